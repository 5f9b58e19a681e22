/* The gate's service worker (served at /office/gate/sw.js, scope /office/gate/): keeps the
   gate pages and their assets so that a gate page opens without the network. Pages: network
   first, the last copy when offline. Static assets: the cached copy first. The API (manifest,
   check-ins, batches) is never cached here: the page keeps tickets and queued scans in
   IndexedDB (gate-offline.js). */
"use strict";

var CACHE = "sciweek-gate-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return url.pathname.indexOf("/office/gate/") === 0 && !/\/(check-in|resend|counts)\/$/.test(url.pathname);
}

function isAsset(url) {
  return url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isAsset(url)) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreVary: true }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
      });
    }));
  } else if (isPage(url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
          return hit || Response.error();
        });
      });
    }));
  }
});
