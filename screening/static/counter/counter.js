// The counter screen works without this file; it only saves clicks and waiting.
// 1. After a screen or a confirmation, focus what the page jumped to (#results, a line),
//    so a screen reader starts reading there.
// 2. "Make the handout" stays on the page: post the form, poll the handout's status,
//    announce progress in the live region, then open the PDF.
(function () {
  "use strict";

  function focusTarget() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }

  var POLL_MS = 700;
  var GIVE_UP_MS = 120000;

  function setupHandoutForm(form) {
    var section = form.closest("section") || document;
    var progress = section.querySelector("[data-handout-progress]");
    var ready = section.querySelector("[data-handout-ready]");
    var link = section.querySelector("[data-handout-link]");
    var slow = section.querySelector("[data-handout-slow]");
    var slowLink = slow.querySelector("a");
    var button = form.querySelector("button[type=submit]");

    function say(text) { progress.textContent = text; }

    function finish(status) {
      button.disabled = false;
      if (status.status === "ready" && status.pdf_url) {
        say(status.status_text);
        link.href = status.pdf_url;
        ready.hidden = false;
        link.focus();
        // A pop-up blocker may refuse this (it is not a click); the focused link remains.
        window.open(status.pdf_url, "_blank", "noopener");
      } else {
        say(status.status_text);
      }
    }

    function poll(status, startedAt) {
      if (status.status !== "queued" && status.status !== "running") { finish(status); return; }
      say(status.status_text);
      if (Date.now() - startedAt > GIVE_UP_MS) {
        button.disabled = false;
        say("The handout is taking longer than usual.");
        slowLink.href = status.page_url;
        slow.hidden = false;
        return;
      }
      setTimeout(function () {
        fetch(status.status_url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
          .then(function (next) { poll(next, startedAt); })
          .catch(function () { poll(status, startedAt); });
      }, POLL_MS);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      ready.hidden = true;
      slow.hidden = true;
      say("Sending the handout to the printer service…");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (status) { poll(status, Date.now()); })
        .catch(function () {
          // Fall back to the page that refreshes by itself.
          button.disabled = false;
          form.submit();
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusTarget();
    document.querySelectorAll("form[data-handout-form]").forEach(setupHandoutForm);
  });
})();
