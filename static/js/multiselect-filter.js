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

// Keeps the "Selected:" line under the list in step with the choice, since a long list scrolls the
// chosen countries out of sight.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.multiple) return;
  const summary = document.querySelector(`[data-multiselect-chosen="${CSS.escape(select.id)}"]`);
  if (!summary) return;
  const chips = Array.from(select.selectedOptions, (option) => {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.textContent = option.text;
    return chip;
  });
  summary.replaceChildren("Selected: ", ...chips.flatMap((chip) => [chip, " "]));
});
