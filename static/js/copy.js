// Copy buttons (includes/copy_button.html): copy data-copy to the clipboard, then say "Copied" on the
// button for two seconds and through the page's live region (#announcer). Delegated on document.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const value = button.dataset.copy;
  try {
    await navigator.clipboard.writeText(value);
  } catch {
    // No clipboard API (a page served over plain HTTP): copy through a selected, off-screen field.
    const field = document.createElement("textarea");
    field.value = value;
    field.className = "visually-hidden";
    document.body.append(field);
    field.select();
    document.execCommand("copy");
    field.remove();
    button.focus();
  }
  const label = button.textContent;
  const copied = button.dataset.copiedText;
  button.textContent = copied;
  const live = document.getElementById("announcer");
  if (live) live.textContent = copied;
  window.setTimeout(() => { button.textContent = label; }, 2000);
});
