// The handbook's service worker: serves the offline copy when the network does not answer, and nothing else.
// - It never caches by itself: the copy is written by js/offline.js when a signed-in worker asks for it, so nothing
//   is kept before sign-in, and a copy belongs to one worker (its owner is checked by js/offline.js on every visit).
// - Online, every request goes to the network; a page from the copy is served only when the network fails, and it is
//   marked (data-offline-copy on <main>) so the page says "offline — versie van …". Never a stale page unannounced.
// - A copy past its expiry date (Handbook:OfflineDays without a signed-in visit) is deleted instead of served.
// Registered with scope "/" from /sw.js (a file, no inline script; the CSP is the cached page's own).
"use strict";

var CACHE = "handbook-offline-v1";
var DB = "handbook-offline";
var UNAVAILABLE = "/offline/niet-beschikbaar";
var SEARCH = "/offline/zoeken";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function readCopy() {
  return new Promise(function (resolve) {
    var open = indexedDB.open(DB, 1);
    // No database yet means no copy: reading must not create one.
    open.onupgradeneeded = function () { open.transaction.abort(); };
    open.onerror = function () { resolve(null); };
    open.onsuccess = function () {
      var db = open.result;
      try {
        var get = db.transaction("meta", "readonly").objectStore("meta").get("copy");
        get.onsuccess = function () { resolve(get.result || null); db.close(); };
        get.onerror = function () { resolve(null); db.close(); };
      } catch (e) { resolve(null); db.close(); }
    };
  });
}

function wipe() {
  return Promise.all([
    caches.delete(CACHE),
    new Promise(function (resolve) { var d = indexedDB.deleteDatabase(DB); d.onsuccess = d.onerror = d.onblocked = function () { resolve(); }; })
  ]);
}

function isPage(request) {
  return request.mode === "navigate" || (request.headers.get("accept") || "").indexOf("text/html") >= 0;
}

function fromCopy(request, url) {
  return readCopy().then(function (copy) {
    if (!copy) { return Response.error(); }
    if (copy.validUntil && Date.now() > copy.validUntil) {
      return wipe().then(function () { return Response.error(); });
    }
    // Looked up without opening the cache: caches.open would create it again when the copy was deleted meanwhile
    // (an aborted request also lands here), and a deleted copy must stay deleted.
    var match = function (key) { return caches.match(key, { cacheName: CACHE }); };
    if (!isPage(request)) {
      return match(request.url).then(function (hit) { return hit || Response.error(); });
    }
    var key = url.pathname === "/search" ? SEARCH : url.pathname;
    // Old revisions, comparisons and the like are not in the copy: only a page's plain address is.
    var lookup = url.search && url.pathname !== "/search" ? Promise.resolve(undefined) : match(key);
    return lookup
      .then(function (hit) { return hit || match(UNAVAILABLE); })
      .then(function (hit) {
        if (!hit) { return Response.error(); }
        return hit.text().then(function (html) {
          var marked = html.replace("<main id=\"main\"", "<main id=\"main\" data-offline-copy=\"" + copy.at + "\"");
          // The cached response's own headers, its Content-Security-Policy among them.
          return new Response(marked, { status: 200, headers: hit.headers });
        });
      });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/_blazor") === 0) { return; }
  event.respondWith(fetch(request).catch(function () { return fromCopy(request, url); }));
});
