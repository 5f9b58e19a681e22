/* Check-in at the gate: scan tickets with the phone camera (BarcodeDetector where the browser has
   it, jsQR on canvas frames otherwise) or type the code; htmx posts it and shows the answer.
   No inline scripts (strict CSP): everything hooks onto data- attributes. */
(function () {
  "use strict";

  var REPEAT_MS = 3000; // the same ticket held in front of the camera counts once
  var VIBRATE = { ok: [80], already: [80, 80, 80], default: [300, 100, 300] };

  function codeFrom(text) {
    // The QR holds the ticket code; accept a link with ?code= too.
    var match = /[?&]code=([A-Za-z0-9]+)/.exec(text || "");
    return (match ? match[1] : text || "").trim();
  }

  function setup(root) {
    var form = document.getElementById("gate-form");
    var input = document.getElementById("gate-code");
    var button = root.querySelector("[data-gate-camera]");
    var video = root.querySelector("[data-gate-video]");
    var canvas = root.querySelector("[data-gate-canvas]");
    var status = root.querySelector("[data-gate-camera-status]");
    if (!form || !input || !button || !video || !canvas) return;

    var stream = null, detector = null, timer = null, busy = false;
    var last = { code: "", at: 0 };
    var startLabel = button.querySelector("span").textContent;

    function say(message) {
      status.textContent = message;
      status.hidden = !message;
    }

    function submit(code) {
      var now = Date.now();
      if (code === last.code && now - last.at < REPEAT_MS) return;
      last = { code: code, at: now };
      input.value = code;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    function stop() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      video.hidden = true;
      button.querySelector("span").textContent = startLabel;
    }

    function scanFrame() {
      timer = null;
      if (!stream || busy) { schedule(); return; }
      if (video.readyState < 2) { schedule(); return; }
      if (detector) {
        busy = true;
        detector.detect(video).then(function (codes) {
          busy = false;
          if (codes.length) submit(codeFrom(codes[0].rawValue));
          schedule();
        }, function () { busy = false; schedule(); });
        return;
      }
      if (window.jsQR) {
        var w = video.videoWidth, h = video.videoHeight;
        var scale = Math.min(1, 640 / Math.max(w, h));
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        var ctx = canvas.getContext("2d", { willReadFrequently: true });
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found && found.data) submit(codeFrom(found.data));
      }
      schedule();
    }

    function schedule() {
      if (stream && !timer) timer = setTimeout(scanFrame, 150);
    }

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say(status.getAttribute("data-msg-unavailable"));
        return;
      }
      if ("BarcodeDetector" in window) {
        try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          say("");
          button.querySelector("span").textContent = button.getAttribute("data-label-stop");
          return video.play();
        })
        .then(schedule)
        .catch(function (err) {
          stop();
          say(status.getAttribute(err && err.name === "NotAllowedError" ? "data-msg-denied" : "data-msg-unavailable"));
        });
    }

    button.addEventListener("click", function () { if (stream) { stop(); } else { start(); } });
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });

    // After each answer: empty the field for the next ticket, keep the keyboard up, buzz.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (!event.detail.target || event.detail.target.id !== "gate-result") return;
      input.value = "";
      if (!stream) input.focus();
      var answer = event.detail.target.querySelector("[data-result]");
      if (answer && navigator.vibrate) {
        var kind = answer.getAttribute("data-result");
        navigator.vibrate(VIBRATE[kind] || VIBRATE["default"]);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-gate-scanner]");
    if (root) setup(root);
  });
})();
