/* SciWeek behaviour. No inline scripts (strict CSP): everything hooks onto data- attributes. */
(function () {
  "use strict";

  // Countdown to the edition's first day: <div data-countdown="2027-05-20T00:00:00+08:00">
  function startCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var target = new Date(el.getAttribute("data-countdown")).getTime();
      var parts = {
        days: el.querySelector("[data-unit=days]"),
        hours: el.querySelector("[data-unit=hours]"),
        minutes: el.querySelector("[data-unit=minutes]"),
        seconds: el.querySelector("[data-unit=seconds]")
      };
      function tick() {
        var left = Math.max(0, Math.floor((target - Date.now()) / 1000));
        if (parts.days) parts.days.textContent = Math.floor(left / 86400);
        if (parts.hours) parts.hours.textContent = Math.floor((left % 86400) / 3600);
        if (parts.minutes) parts.minutes.textContent = Math.floor((left % 3600) / 60);
        if (parts.seconds) parts.seconds.textContent = left % 60;
        if (left === 0) { clearInterval(timer); }
      }
      var timer = setInterval(tick, 1000);
      tick();
    });
  }

  // Buttons that ask before acting: <button data-confirm="...">
  function confirmButtons() {
    document.addEventListener("click", function (event) {
      var el = event.target.closest("[data-confirm]");
      if (el && !window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
  }

  // Check-all boxes for recipient pickers: <input type=checkbox data-check-all="group">
  function checkAll() {
    document.addEventListener("change", function (event) {
      var el = event.target.closest("[data-check-all]");
      if (!el) return;
      var group = el.getAttribute("data-check-all");
      document.querySelectorAll("[data-check-group='" + group + "']").forEach(function (box) {
        box.checked = el.checked;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    startCountdowns();
    confirmButtons();
    checkAll();
  });
})();
