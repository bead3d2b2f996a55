/*
 * Pramen's service worker: the site's shell offline, and a copy of the last dashboard viewed.
 * Served at /sw.js (scope: the whole site). Version {{ version }}.
 */
"use strict";

const SHELL = "pramen-shell-{{ version }}";
const PRIVATE = "pramen-private"; // the customer's own pages: deleted on sign-out
const OFFLINE_URL = "{{ offline_url }}";
const SHELL_URLS = [{% for url in shell_urls %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
// Pages that may be kept for offline reading carry this marker (the dashboard).
const KEEP_MARKER = 'name="pramen-offline-copy"';

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("pramen-shell-") && name !== SHELL)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-private") {
    event.waitUntil(caches.delete(PRIVATE));
  }
});

async function keepIfAllowed(request, response) {
  const text = await response.clone().text();
  if (text.includes(KEEP_MARKER)) {
    const cache = await caches.open(PRIVATE);
    await cache.put(request.url, new Response(text, { headers: response.headers }));
  }
}

function markNotCurrent(text) {
  // The kept page holds a hidden notice ("saved on …, may not be current"): show it.
  return text.replace("data-offline-notice hidden", "data-offline-notice");
}

async function offlineNavigation(request) {
  const cache = await caches.open(PRIVATE);
  const copy = await cache.match(request.url);
  if (copy) {
    const text = markNotCurrent(await copy.text());
    return new Response(text, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return (await caches.match(OFFLINE_URL)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.type === "basic") {
            event.waitUntil(keepIfAllowed(request, response));
          }
          return response;
        })
        .catch(() => offlineNavigation(request))
    );
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request))
    );
  }
});
