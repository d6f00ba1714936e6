// A list of checkboxes with a filter box and "Selected:" chips (profiles/widgets/searchable_checkboxes.html).
// Typing in the box hides the items that do not match; checked items stay visible, so that a filter
// never hides what will be submitted. Delegated on document, so it also works in htmx swaps.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-multiselect-filter]");
  if (!box) return;
  const list = document.getElementById(box.getAttribute("aria-controls"));
  if (!list) return;
  const needle = box.value.trim().toLowerCase();
  for (const option of list.querySelectorAll("label")) {
    const checked = option.querySelector("input").checked;
    option.hidden = needle !== "" && !checked && !option.textContent.toLowerCase().includes(needle);
  }
});

// Keeps the "Selected:" line under the list in step with the choice, since a long list scrolls the
// chosen countries out of sight.
document.addEventListener("change", (event) => {
  const list = event.target.closest("[data-multiselect-options]");
  if (!list) return;
  const summary = document.querySelector(`[data-multiselect-chosen="${CSS.escape(list.id)}"]`);
  if (!summary) return;
  const chosen = Array.from(list.querySelectorAll("input:checked"), (input) => input.closest("label"));
  for (const label of list.querySelectorAll("label")) label.toggleAttribute("data-chosen", chosen.includes(label));
  for (const chip of summary.querySelectorAll(".chip")) chip.remove();
  const none = summary.querySelector("[data-multiselect-none]");
  if (none) none.hidden = chosen.length > 0;
  for (const label of chosen) {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.textContent = label.textContent.trim();
    summary.insertBefore(chip, none);
    summary.insertBefore(document.createTextNode(" "), none);
  }
});
