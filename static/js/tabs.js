// Tabs whose panels htmx loads (profile detail: phone numbers, short codes, history), following the
// WAI-ARIA tabs pattern with manual activation: Left/Right (wrapping), Home and End move focus between
// tabs; Space, Enter or a click opens one (htmx loads the panel and pushes ?tab=). Only the open tab
// is in the Tab order. Delegated on document, so tabs inside swapped content work too.
(() => {
  function tabsOf(tab) {
    const list = tab.closest('[role="tablist"]');
    return list ? Array.from(list.querySelectorAll('[role="tab"]')) : [];
  }

  function select(tab) {
    for (const other of tabsOf(tab)) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
    }
    const panel = document.getElementById(tab.getAttribute("aria-controls"));
    if (panel) panel.setAttribute("aria-labelledby", tab.id);
  }

  document.addEventListener("click", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab && tab.closest('[role="tablist"]')) select(tab);
  });

  document.addEventListener("keydown", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (!tab) return;
    const tabs = tabsOf(tab);
    const at = tabs.indexOf(tab);
    const moves = {
      ArrowRight: tabs[(at + 1) % tabs.length],
      ArrowLeft: tabs[(at - 1 + tabs.length) % tabs.length],
      Home: tabs[0],
      End: tabs[tabs.length - 1],
    };
    if (event.key in moves) {
      event.preventDefault();
      moves[event.key].focus();
    } else if (event.key === " " || event.key === "Spacebar") {
      event.preventDefault();  // a link would scroll the page on Space
      tab.click();
    }
  });
})();
