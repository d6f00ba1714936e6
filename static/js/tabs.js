// Tabs whose panels htmx loads (profile detail: phone numbers, short codes, history). Marks the
// clicked tab as selected for assistive tech and styling; htmx does the loading. Delegated on
// document, so tabs inside swapped content work too.
document.addEventListener("click", (event) => {
  const tab = event.target.closest('[role="tab"]');
  const list = tab && tab.closest('[role="tablist"]');
  if (!list) return;
  for (const other of list.querySelectorAll('[role="tab"]')) {
    other.setAttribute("aria-selected", other === tab ? "true" : "false");
  }
  const panel = document.getElementById(tab.getAttribute("aria-controls"));
  if (panel) panel.setAttribute("aria-labelledby", tab.id);
});
