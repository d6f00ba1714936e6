// Inline edit on the spend-limit overview, for the keyboard: Escape in an edit row presses its
// Cancel; when a row comes back (saved or cancelled) its Edit button gets the focus again, and a new
// edit row puts the focus in its amount box, unless it comes back with the conflict panel, which swaps.js
// focuses (as on the profile forms). Delegated on document, so it works across htmx swaps.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const row = event.target.closest("[data-testid=spend-edit-row]");
  const cancel = row && row.querySelector("[data-inline-cancel]");
  if (cancel) {
    event.preventDefault();
    // An Escape pressed the moment the row arrived may come before htmx has wired its buttons up
    // (it does so as the swap settles); processing again is harmless and makes the click count.
    if (window.htmx) window.htmx.process(cancel);
    cancel.click();
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const swapped = event.detail.elt;
  if (!swapped || !swapped.closest) return;
  const row = document.getElementById(swapped.id) || swapped;
  if (row.querySelector && row.querySelector("[data-error-summary]")) return;
  const target = row.querySelector && row.querySelector("[data-inline-focus]");
  if (target) target.focus();
});
