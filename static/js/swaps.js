// What every htmx table swap does besides swapping, on every page (loaded by base.html):
//  - the region being replaced is marked aria-busy (site.css dims it) while its request runs;
//  - keyboard focus stays on the control that caused the swap, or returns to its equivalent in the
//    new content (page "2" of the pager, the "Per page" list), never falling back to <body>;
//  - the new result count (any [data-announce] in the new content) is read out by the live region;
//  - a form that comes back with an error summary (includes/error_summary.html) puts focus on it;
//  - buttons marked js-hide disappear (their forms apply by themselves);
//  - GET forms marked data-drop-empty leave empty fields out of the request and the pushed URL.
// htmx itself only restores focus to an element with the same id; pager links have none.
(() => {
  // Buttons that only matter without JavaScript (class js-hide, e.g. "Filter" where filters apply
  // as they change) are hidden by site.css once this runs.
  document.documentElement.classList.add("js");
  let saved = null;

  function describe(element, target) {
    if (!element || element === document.body || !target.contains(element)) return null;
    const scope = element.closest("[aria-label]");
    return {
      id: element.id,
      testid: element.dataset.testid,
      name: element.getAttribute("name"),
      rel: element.getAttribute("rel"),
      text: element.textContent.trim(),
      tag: element.tagName,
      scope: scope && target.contains(scope) ? scope.getAttribute("aria-label") : null,
    };
  }

  function equivalent(memory, region) {
    if (memory.id) {
      const same = document.getElementById(memory.id);
      if (same) return same;
    }
    if (memory.testid) {
      const same = region.querySelector(`[data-testid="${CSS.escape(memory.testid)}"]`);
      if (same) return same;
    }
    const scopes = memory.scope
      ? Array.from(region.querySelectorAll("[aria-label]")).filter((s) => s.getAttribute("aria-label") === memory.scope)
      : [];
    for (const scope of [...scopes, region]) {
      const candidates = Array.from(scope.querySelectorAll(memory.tag));
      const match =
        (memory.name && candidates.find((c) => c.getAttribute("name") === memory.name)) ||
        (memory.rel && candidates.find((c) => c.getAttribute("rel") === memory.rel)) ||
        candidates.find((c) => c.textContent.trim() === memory.text);
      if (match) return match;
    }
    return scopes.length ? scopes[0].querySelector("[aria-current]") || scopes[0] : null;
  }

  function focusable(element) {
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus({ preventScroll: true });
  }

  function announce(region) {
    const live = document.getElementById("announcer");
    const source = region.querySelector("[data-announce]") || (region.matches("[data-announce]") ? region : null);
    if (!live || !source) return;
    // Emptied first so that the same text twice in a row is announced twice.
    live.textContent = "";
    window.setTimeout(() => { live.textContent = source.textContent.replace(/\s+/g, " ").trim(); }, 50);
  }

  // Refreshes on a timer (job progress) are not the user's doing: no dimming, no announcement.
  function background(element) {
    return /\bevery\b/.test((element && element.getAttribute("hx-trigger")) || "");
  }

  // By request, since an error answer is retargeted to #messages and leaves the table as it was.
  const busy = new WeakMap();

  document.addEventListener("htmx:beforeRequest", (event) => {
    const target = event.detail.target;
    if (!target || target.id === "messages" || background(event.detail.elt)) return;
    target.setAttribute("aria-busy", "true");
    busy.set(event.detail.xhr, target);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const target = busy.get(event.detail.xhr);
    if (target && target.isConnected) target.removeAttribute("aria-busy");
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    saved = target
      ? { targetId: target.id, memory: describe(document.activeElement, target), quiet: background(event.detail.requestConfig && event.detail.requestConfig.elt) }
      : null;
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (!saved) return;
    const { targetId, memory, quiet } = saved;
    saved = null;
    const region = (targetId && document.getElementById(targetId)) || event.detail.target;
    if (!region || !region.isConnected) return;
    region.removeAttribute("aria-busy");
    if (targetId === "messages") return;
    const summary = region.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return;
    }
    if (!quiet) announce(region);
    const lost = !document.activeElement || document.activeElement === document.body;
    if (memory && lost) focusable(equivalent(memory, region) || region);
  });

  document.addEventListener("DOMContentLoaded", () => {
    const summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt.closest("form[data-drop-empty]");
    if (!form || event.detail.verb !== "get") return;
    const parameters = event.detail.parameters;
    for (const name of Object.keys(parameters)) {
      if (parameters[name] === "") delete parameters[name];
    }
  });

  // Lists in htmx forms (filters, "Per page") apply on a committed choice: a mouse pick, Enter, or
  // leaving the list. Chromium fires `change` on every arrow key of a closed list, which would load
  // each value in turn; those changes are held back here (before htmx sees them) until Enter or blur.
  // A list marked data-apply-on-change submits its form itself (its form has no change trigger).
  const browsingKeys = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
  let lastKey = null;
  const pending = new WeakSet();

  function committing(target) {
    const select = target instanceof HTMLSelectElement && !target.multiple ? target : null;
    return select && (select.matches("[data-apply-on-change]") || select.closest("form[hx-get]")) ? select : null;
  }

  function apply(select) {
    pending.delete(select);
    if (select.matches("[data-apply-on-change]")) {
      if (select.form) select.form.requestSubmit();
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  document.addEventListener("keydown", (event) => {
    const select = committing(event.target);
    if (!select) return;
    lastKey = event.key.length === 1 || browsingKeys.has(event.key) ? event.key : null;
    window.setTimeout(() => { lastKey = null; }, 0);
    if (event.key === "Enter" && pending.has(select)) {
      event.preventDefault();
      apply(select);
    }
  }, true);

  document.addEventListener("change", (event) => {
    const select = committing(event.target);
    if (!select) return;
    if (lastKey) {
      event.stopImmediatePropagation();
      pending.add(select);
    } else if (select.matches("[data-apply-on-change]")) {
      apply(select);
    }
  }, true);

  // A list fires `input` too (forms that filter as you type listen to it): held back the same way.
  document.addEventListener("input", (event) => {
    if (lastKey && committing(event.target)) event.stopImmediatePropagation();
  }, true);

  document.addEventListener("focusout", (event) => {
    const select = committing(event.target);
    if (select && pending.has(select)) apply(select);
  });

  // A link that shows everything again (e.g. "Show all profiles" under an empty search) also empties
  // the search box it undoes, so the box does not claim a filter that is no longer applied.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-clears]");
    const field = link && document.getElementById(link.dataset.clears);
    if (field) field.value = "";
  });
})();
