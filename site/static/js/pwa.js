/*
 * Pramen as an installable web app: registers the service worker (/sw.js), and removes the
 * copy of the customer's pages it keeps for offline reading when the user signs out or is
 * signed out. No inline scripts (CSP-safe); without this file the site works as before.
 */
(() => {
  "use strict";

  const PRIVATE = "pramen-private"; // the same name as in /sw.js

  function clearPrivate() {
    const jobs = [];
    if (window.caches) jobs.push(window.caches.delete(PRIVATE));
    const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ type: "clear-private" });
    return Promise.all(jobs).catch(() => undefined);
  }

  function initLogoutForms() {
    document.querySelectorAll("form[data-sign-out]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (form.dataset.cleared === "true") return;
        event.preventDefault();
        clearPrivate().then(() => {
          form.dataset.cleared = "true";
          form.submit();
        });
      });
    });
  }

  function init() {
    if (document.body.dataset.signedIn === "false") clearPrivate();
    initLogoutForms();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
