// Search as you type for the header search box: the ARIA 1.2 combobox pattern with a listbox popup.
// Loaded with a normal <script src> (the CSP forbids inline script). Listeners sit on the document, so they
// keep working when Blazor's enhanced navigation replaces parts of the page.
(function () {
  "use strict";
  var inputId = "site-search-q", listId = "site-search-list", statusId = "site-search-status";
  var timer = 0, active = -1, requestNo = 0;

  function input() { return document.getElementById(inputId); }
  function list() { return document.getElementById(listId); }
  function options() { var l = list(); return l ? Array.prototype.slice.call(l.querySelectorAll("[role=option]")) : []; }

  function close() {
    var i = input(), l = list();
    if (!i || !l) { return; }
    l.hidden = true;
    l.textContent = "";
    i.setAttribute("aria-expanded", "false");
    i.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function announce(count) {
    var s = document.getElementById(statusId);
    if (!s) { return; }
    s.textContent = count === 0 ? s.dataset.noneText : s.dataset.countText.replace("{0}", String(count));
  }

  function render(items) {
    var i = input(), l = list();
    if (!i || !l) { return; }
    l.textContent = "";
    active = -1;
    i.removeAttribute("aria-activedescendant");
    items.forEach(function (item, n) {
      var li = document.createElement("li");
      li.id = "site-search-opt-" + n;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = item.href;
      if (item.kind === "acronym") { li.className = "suggest-acronym"; }
      var title = document.createElement("span");
      title.className = "suggest-title";
      title.textContent = item.title;
      li.appendChild(title);
      if (item.section) {
        var section = document.createElement("span");
        section.className = "suggest-section";
        section.textContent = item.section;
        li.appendChild(section);
      }
      l.appendChild(li);
    });
    var open = items.length > 0;
    l.hidden = !open;
    i.setAttribute("aria-expanded", open ? "true" : "false");
    announce(items.length);
  }

  function move(delta) {
    var opts = options();
    if (opts.length === 0) { return; }
    active = (active + delta + opts.length) % opts.length;
    opts.forEach(function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
    input().setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }

  function go(option) {
    if (option && option.dataset.href) { window.location.assign(option.dataset.href); }
  }

  function suggest() {
    var i = input();
    if (!i) { return; }
    var q = i.value.trim();
    if (q.length < 2) { close(); return; }
    var mine = ++requestNo;
    var show = function (items) { if (mine === requestNo && document.activeElement === input()) { render(items); } };
    // Offline (or the server does not answer): the offline copy answers, if this device has one (js/offline.js).
    var offline = function () {
      if (window.HandbookOffline) { return window.HandbookOffline.suggest(q).then(show); }
      close();
    };
    if (!navigator.onLine) { offline(); return; }
    fetch(i.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(show)
      .catch(offline);
  }

  document.addEventListener("input", function (e) {
    if (e.target && e.target.id === inputId) {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    }
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && t.id === inputId) {
      var expanded = t.getAttribute("aria-expanded") === "true";
      if (e.key === "ArrowDown") { e.preventDefault(); if (expanded) { move(1); } else { suggest(); } }
      else if (e.key === "ArrowUp") { if (expanded) { e.preventDefault(); move(-1); } }
      else if (e.key === "Enter") { if (expanded && active >= 0) { e.preventDefault(); go(options()[active]); } }
      else if (e.key === "Escape") { if (expanded) { e.preventDefault(); close(); } else { t.value = ""; } }
      return;
    }
    // "/" focuses the search box, unless the worker is typing somewhere.
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && t &&
        !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
      var i = input();
      if (i) { e.preventDefault(); i.focus(); i.select(); }
    }
  });

  // Keep focus in the box while clicking an option; then follow it.
  document.addEventListener("mousedown", function (e) {
    if (e.target && e.target.closest && e.target.closest("#" + listId)) { e.preventDefault(); }
  });
  document.addEventListener("click", function (e) {
    var option = e.target && e.target.closest ? e.target.closest("#" + listId + " [role=option]") : null;
    if (option) { go(option); }
  });
  document.addEventListener("focusout", function (e) {
    if (e.target && e.target.id === inputId) { setTimeout(close, 150); }
  });
})();
