// "Tick every row on this page": a checkbox with data-select-all="NAME" ticks or clears the
// checkboxes named NAME that belong to the same form. Delegated, so tables htmx swaps in work too.
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-select-all]");
  if (!all) return;
  const boxes = document.querySelectorAll(`input[type="checkbox"][name="${all.dataset.selectAll}"]`);
  for (const box of boxes) if (box.form === all.form) box.checked = all.checked;
});
