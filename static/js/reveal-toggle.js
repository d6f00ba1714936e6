// A checkbox with data-reveals="<id>" shows the element with that id only while it is checked
// (number pool and URL shortener settings). The server renders the right initial state, so this
// only reacts to changes; delegated on document, so it also works in htmx swaps.
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-reveals]");
  if (!box) return;
  const target = document.getElementById(box.dataset.reveals);
  if (target) target.hidden = !box.checked;
});
