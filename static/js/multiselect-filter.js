// Filters a <select multiple> as the user types in the search box rendered just before it
// (profiles/widgets/searchable_select_multiple.html). Chosen options stay visible so that a
// filter never hides what will be submitted. Delegated on document, so it also works in htmx swaps.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-multiselect-filter]");
  if (!box) return;
  const select = document.getElementById(box.getAttribute("aria-controls"));
  if (!select) return;
  const needle = box.value.trim().toLowerCase();
  for (const option of select.options) {
    option.hidden = needle !== "" && !option.selected && !option.text.toLowerCase().includes(needle);
  }
});
