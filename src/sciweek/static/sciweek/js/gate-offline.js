/* The offline gate: installs the gate's service worker, keeps the session's ticket manifest in
   IndexedDB (codes only as salted SHA-256 hashes), answers scans from it while the network is
   down, with the same result codes as the server, queues those scans and syncs them to the
   batch endpoint when the network returns. Online, the form posts as before (gate.js, htmx).
   No inline scripts (strict CSP): everything hooks onto data- attributes. */
(function () {
  "use strict";

  var DB = "sciweek-gate", VERSION = 1, SYNC_MS = 15000, AGE_MS = 30000;
  var SW_CACHE = "sciweek-gate-v1"; // the same name as in gate-sw.js
  var TONE = { ok: "ok", already: "warn" };

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("manifests", { keyPath: "session" });
        db.createObjectStore("queue", { keyPath: "client_scan_id" });
        db.createObjectStore("meta");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(db, store, mode, work) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode), result;
      var s = t.objectStore(store);
      var req = work(s);
      if (req) req.onsuccess = function () { result = req.result; };
      t.oncomplete = function () { resolve(result); };
      t.onerror = function () { reject(t.error); };
    });
  }

  function normalize(code) {
    return (code || "").toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 32);
  }

  function sha256(text) {
    var bytes = new TextEncoder().encode(text);
    return crypto.subtle.digest("SHA-256", bytes).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  var clock = null; // the site's time zone (Asia/Shanghai), not the device's
  function hhmm(date) {
    if (!clock) {
      var zone = document.querySelector("[data-gate-offline]").getAttribute("data-time-zone");
      try {
        clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: zone || undefined });
      } catch (e) {
        clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false });
      }
    }
    return clock.format(date);
  }

  function setup(root) {
    var session = parseInt(root.getAttribute("data-session"), 10);
    var form = document.getElementById("gate-form");
    var input = document.getElementById("gate-code");
    var resultBox = document.getElementById("gate-result");
    var netEl = root.querySelector("[data-gate-net]");
    var queueEl = root.querySelector("[data-gate-queue]");
    var ageEl = root.querySelector("[data-gate-age]");
    var conflictsEl = root.querySelector("[data-gate-conflicts]");
    var download = root.querySelector("[data-gate-download]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var msg = function (name) { return root.getAttribute("data-msg-" + name) || ""; };
    var db = null, manifest = null, deviceId = null, syncing = false;

    function online() { return navigator.onLine; }

    function showNet() {
      root.setAttribute("data-state", online() ? "online" : "offline");
      netEl.textContent = online() ? msg("online") : msg("offline");
    }

    function showAge() {
      if (!manifest) { ageEl.textContent = msg("no-manifest"); return; }
      var at = new Date(manifest.generated_at);
      var minutes = Math.max(0, Math.round((Date.now() - at.getTime()) / 60000));
      ageEl.textContent = fill(msg("age"), { time: hhmm(at), minutes: minutes });
      ageEl.setAttribute("data-manifest-at", manifest.generated_at);
    }

    function showQueue() {
      return tx(db, "queue", "readonly", function (s) { return s.count(); }).then(function (n) {
        queueEl.textContent = fill(msg("queued"), { n: n });
        queueEl.setAttribute("data-queued", n);
        return n;
      });
    }

    function loadManifest() {
      return tx(db, "manifests", "readonly", function (s) { return s.get(session); }).then(function (m) {
        manifest = m || null;
        showAge();
      });
    }

    function fetchManifest() {
      if (!online()) return Promise.resolve();
      return fetch(root.getAttribute("data-manifest-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (m) {
          // Tickets checked in on this device and not yet synced stay checked in (hashed with
          // the new manifest's salt).
          m.local = {};
          return tx(db, "queue", "readonly", function (s) { return s.getAll(); }).then(function (scans) {
            return Promise.all(scans.filter(function (q) { return q.device_result === "ok"; }).map(function (q) {
              return sha256(m.salt + ":" + q.code).then(function (h) { m.local[h] = q.scanned_at; });
            }));
          }).then(function () {
            return tx(db, "manifests", "readwrite", function (s) { return s.put(m); });
          }).then(function () {
            manifest = m;
            showAge();
          });
        })
        .catch(function () { /* keep the copy we have */ });
    }

    function sync() {
      if (syncing || !online()) return Promise.resolve();
      syncing = true;
      return tx(db, "queue", "readonly", function (s) { return s.getAll(); }).then(function (scans) {
        if (!scans.length) return null;
        return fetch(root.getAttribute("data-batch-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ scans: scans.slice(0, 500) })
        }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (body) {
            var refused = body.results.filter(function (a) { return a.conflict; });
            if (refused.length) {
              conflictsEl.hidden = false;
              refused.forEach(function (a) {
                var li = document.createElement("li");
                li.textContent = hhmm(new Date(a.scanned_at)) + " · " + a.label;
                li.setAttribute("data-conflict", a.result);
                conflictsEl.querySelector("ul").appendChild(li);
              });
            }
            return tx(db, "queue", "readwrite", function (s) {
              body.results.forEach(function (a) { s.delete(a.client_scan_id); });
            });
          })
          .then(fetchManifest);
      }).catch(function () { /* try again later */ })
        .then(function () { syncing = false; return showQueue(); });
    }

    function render(result, ticket, extra) {
      var tone = TONE[result] || "stop";
      var box = document.createElement("div");
      box.className = "gate-answer gate-answer-" + tone;
      box.setAttribute("data-result", result);
      box.setAttribute("data-offline", "");
      box.setAttribute("role", "alert");
      var top = document.createElement("div");
      top.className = "gate-answer-top";
      var label = document.createElement("span");
      label.className = "gate-answer-label";
      label.textContent = (manifest && manifest.labels[result]) || result;
      top.appendChild(label);
      box.appendChild(top);
      function line(text, attr) {
        if (!text) return;
        var d = document.createElement("div");
        d.className = "gate-answer-detail";
        d.textContent = text;
        if (attr) d.setAttribute(attr, "");
        box.appendChild(d);
      }
      if (ticket && (result === "ok" || result === "already" || result === "outside_window")) {
        var who = document.createElement("div");
        who.className = "gate-answer-who";
        who.textContent = ticket.name + " · " + fill(msg("people"), { n: ticket.party_size });
        box.appendChild(who);
        line(ticket.group_name);
        if (ticket.id_tail) line(fill(msg("id-tail"), { tail: ticket.id_tail }), "data-id-tail");
      }
      line(extra);
      line(msg("queued-note"), "data-offline-note");
      resultBox.innerHTML = "";
      resultBox.appendChild(box);
      if (navigator.vibrate) navigator.vibrate(result === "ok" ? [80] : [300, 100, 300]);
    }

    function checkLocally(typed) {
      var code = normalize(typed);
      input.value = "";
      input.focus();
      if (!code) { render("unknown", null, msg("empty")); return Promise.resolve(); }
      var now = new Date();
      var salt = manifest ? manifest.salt : "";
      return sha256(salt + ":" + code).then(function (hash) {
        var result = "unknown", ticket = null, extra = "";
        if (manifest) {
          manifest.local = manifest.local || {};
          manifest.tickets.forEach(function (t) { if (t.hash === hash) ticket = t; });
          if (ticket) {
            var first = manifest.local[hash] || (ticket.state === "checked_in" ? ticket.checked_in_at : null);
            if (ticket.state === "cancelled" || ticket.state === "waiting") {
              result = ticket.state;
            } else if (first) {
              result = "already";
              extra = msg("first") + " " + hhmm(new Date(first));
            } else if (now < new Date(manifest.window_opens_at) || now > new Date(manifest.window_closes_at)) {
              result = "outside_window";
            } else {
              result = "ok";
              manifest.local[hash] = now.toISOString();
            }
          } else {
            manifest.other_sessions.forEach(function (t) {
              if (t.hash === hash) { result = "wrong_session"; extra = msg("other-session") + " " + t.session; }
            });
          }
        }
        if (manifest && !ticket && result === "unknown") extra = msg("unknown");
        if (!manifest) extra = msg("no-manifest");
        render(result, ticket, extra);
        var scan = {
          client_scan_id: uuid(), device_id: deviceId, code: code,
          scanned_at: now.toISOString(), device_result: result
        };
        var writes = [tx(db, "queue", "readwrite", function (s) { return s.put(scan); })];
        if (manifest) writes.push(tx(db, "manifests", "readwrite", function (s) { return s.put(manifest); }));
        return Promise.all(writes).then(showQueue);
      });
    }

    // Offline: the form never reaches htmx; the manifest answers.
    document.addEventListener("submit", function (event) {
      if (event.target !== form || online()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      checkLocally(input.value);
    }, true);
    // Online but the request failed (the network dropped): answer locally all the same.
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === form) checkLocally(input.value);
    });

    window.addEventListener("online", function () { showNet(); sync(); });
    window.addEventListener("offline", showNet);
    download.addEventListener("click", function () { fetchManifest(); });

    openDb().then(function (opened) {
      db = opened;
      return tx(db, "meta", "readonly", function (s) { return s.get("device"); });
    }).then(function (id) {
      deviceId = id || uuid();
      return tx(db, "meta", "readwrite", function (s) { return s.put(deviceId, "device"); });
    }).then(loadManifest).then(showQueue).then(function () {
      showNet();
      root.setAttribute("data-ready", "");
      return sync().then(fetchManifest);
    }).then(function () {
      root.setAttribute("data-synced", "");
    });
    setInterval(function () { if (online()) sync(); }, SYNC_MS);
    setInterval(showAge, AGE_MS);

    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-sw-scope") })
        .then(function () { return navigator.serviceWorker.ready; })
        .then(keepThisPage)
        .then(function () { root.setAttribute("data-cached", ""); })
        .catch(function () { /* the page works online without it */ });
    }
  }

  // The first visit came before the worker: put this page and its assets in the worker's cache
  // (gate-sw.js) so that it opens without the network.
  function keepThisPage() {
    if (!window.caches || !navigator.onLine) return null;
    var urls = [location.pathname];
    // Every asset the page loaded (scripts, styles and the icon font they pulled in).
    (performance.getEntriesByType ? performance.getEntriesByType("resource") : []).forEach(function (entry) {
      var url = new URL(entry.name);
      if (url.origin === location.origin && url.pathname.indexOf("/static/") === 0) urls.push(url.pathname + url.search);
    });
    return caches.open(SW_CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url, { ignoreVary: true }).then(function (hit) { return hit || cache.add(url); }).catch(function () {});
      }));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-gate-offline]");
    if (root && window.indexedDB && window.crypto && crypto.subtle) setup(root);
  });
})();
