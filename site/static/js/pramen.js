/*
 * Pramen — progressive enhancements for the public website and the portal.
 * Vanilla ES2020, no dependencies, loaded with `defer`; no inline scripts (CSP-safe).
 * Every page works without this file:
 *   - the main navigation is simply always shown,
 *   - the FAQ filter form submits to the server,
 *   - FAQ answers open by clicking their question.
 */
(() => {
  "use strict";

  const NARROW = "(max-width: 47.99rem)"; // pramen.css switches layout at 48rem
  const prefersReducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /* --- Navigation toggle on narrow screens -------------------------------- */
  function initNavToggle() {
    const toggle = document.querySelector(".nav-toggle");
    const nav = document.getElementById("main-nav");
    if (!toggle || !nav) return;
    const query = window.matchMedia(NARROW);
    const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      nav.hidden = !open;
    };
    const apply = () => {
      if (query.matches) {
        toggle.hidden = false;
        setOpen(false);
      } else {
        toggle.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        nav.hidden = false;
      }
    };
    toggle.addEventListener("click", () => setOpen(!isOpen()));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !query.matches || !isOpen()) return;
      const active = document.activeElement;
      if (active !== toggle && !nav.contains(active)) return;
      setOpen(false);
      toggle.focus();
    });
    query.addEventListener("change", apply);
    apply();
  }

  /* --- FAQ: live filter ----------------------------------------------------- */
  // Case- and diacritics-insensitive: "Vodné" matches "vodne".
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ");

  const faqFilters = [];

  function countMessage(output, shown) {
    if (shown === 0) return output.dataset.templateNone || "";
    if (shown === 1) return output.dataset.templateOne || "";
    return (output.dataset.templateMany || "").replace("[n]", String(shown));
  }

  function initFaqFilter(form) {
    const input = form.querySelector('input[type="search"]');
    if (!input) return;
    const scope = form.closest("main") || document;
    const output = form.querySelector("[data-faq-count]") || scope.querySelector("[data-faq-count]");
    const items = Array.from(scope.querySelectorAll("[data-faq-item]"), (el) => ({ el, text: fold(el.textContent) }));
    const groups = Array.from(scope.querySelectorAll("[data-faq-group]"));
    let timer = 0;

    // Topic links ("#topic-1") that point at a group's heading, hidden with their group.
    const topicLinks = (group) => {
      const id = group.getAttribute("aria-labelledby") || group.querySelector("h2, h3")?.id;
      return id ? Array.from(scope.querySelectorAll(`a[href="#${CSS.escape(id)}"]`)) : [];
    };

    const apply = () => {
      window.clearTimeout(timer);
      const terms = fold(input.value).trim().split(" ").filter(Boolean);
      let shown = 0;
      for (const { el, text } of items) {
        const match = terms.every((term) => text.includes(term));
        el.hidden = !match;
        if (match) shown += 1;
      }
      for (const group of groups) {
        const visible = group.querySelector("[data-faq-item]:not([hidden])") !== null;
        group.hidden = !visible;
        for (const link of topicLinks(group)) (link.closest("li") || link).hidden = !visible;
      }
      for (const nav of scope.querySelectorAll(".faq-topics")) {
        nav.hidden = nav.querySelector("li:not([hidden])") === null;
      }
      if (output) output.textContent = countMessage(output, shown);
    };

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 250);
    });
    // The form still submits to the server (Enter or the button); nothing to intercept.

    faqFilters.push({
      scope,
      reset() {
        if (!input.value) return;
        input.value = "";
        apply();
      },
    });
  }

  /* --- FAQ: deep links to one question ---------------------------------------- */
  function openFaqFromHash() {
    let id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch {
      return;
    }
    if (!id) return;
    const item = document.getElementById(id);
    if (!item || !item.matches("details[data-faq-item]")) return;
    if (item.closest("[hidden]")) {
      for (const filter of faqFilters) if (filter.scope.contains(item)) filter.reset();
    }
    item.open = true;
    item.scrollIntoView({ block: "start", behavior: prefersReducedMotion() ? "auto" : "smooth" });
    const summary = item.querySelector("summary");
    if (summary) focusAfterFragmentNavigation(summary);
  }

  // Chromium moves focus itself when it processes a fragment (to the target when focusable,
  // otherwise back to <body>) a frame after `hashchange`, and only once the page has loaded.
  // Focus the question after that, so keyboard and screen-reader users land on it.
  function focusAfterFragmentNavigation(element) {
    const focus = () =>
      window.requestAnimationFrame(() => window.setTimeout(() => element.focus({ preventScroll: true }), 0));
    if (document.readyState === "complete") focus();
    else window.addEventListener("load", focus, { once: true });
  }

  /* --- Printing: open every disclosure, then restore ------------------------- */
  function initPrint() {
    const opened = [];
    window.addEventListener("beforeprint", () => {
      for (const details of document.querySelectorAll("details:not([open])")) {
        details.open = true;
        opened.push(details);
      }
    });
    window.addEventListener("afterprint", () => {
      while (opened.length) opened.pop().open = false;
    });
  }

  /* --- Wide tables ---------------------------------------------------------
   * A table wider than a phone scrolls inside its .table-wrap, never the page (pramen.css). The
   * wrapper is a named, focusable region so that keyboard users can scroll it and screen readers
   * announce what it holds: the table's caption names it. */
  function labelTableWraps() {
    document.querySelectorAll(".table-wrap").forEach((wrap, index) => {
      if (!wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
      if (wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby")) return;
      const caption = wrap.querySelector("caption");
      if (!caption || !caption.textContent.trim()) return;
      if (!caption.id) caption.id = `table-caption-${index + 1}`;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-labelledby", caption.id);
    });
  }

  function init() {
    initNavToggle();
    labelTableWraps();
    document.querySelectorAll("form[data-faq-filter]").forEach(initFaqFilter);
    openFaqFromHash();
    window.addEventListener("hashchange", openFaqFromHash);
    // A link to the question already in the address bar fires no `hashchange`.
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      if (link && link.hash && link.hash === window.location.hash) openFaqFromHash();
    });
    initPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
