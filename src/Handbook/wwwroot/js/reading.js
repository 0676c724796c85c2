// Reading on a phone: tables that scroll in their own box, folded parts that open on wide screens, and the page menu.
// Loaded with a normal <script src> (the CSP forbids inline script). Runs again after Blazor's enhanced navigation.
// Without script the page still reads: CSS keeps wide tables inside their box and the <details> open by hand.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60.01rem)");

  // Every table in the main column gets its own scroll box. One that is wider than the box becomes a focusable,
  // labelled region (keyboard users can scroll it) with a visible hint; one that fits stays a plain table.
  function boxTables(root) {
    var main = document.getElementById("main");
    if (!main) { return; }
    var tables = (root || main).querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentElement && table.parentElement.classList.contains("table-scroll")) { return; }
      if (table.parentElement && table.parentElement.closest("table")) { return; }
      // Interactive parts (the editor) are Blazor's to change: a wrapper there would confuse its renderer.
      if (table.closest(".edit-page, [data-interactive]")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    markOverflow();
  }

  function markOverflow() {
    var main = document.getElementById("main");
    if (!main) { return; }
    Array.prototype.forEach.call(main.querySelectorAll(".table-scroll"), function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling && box.previousElementSibling.classList.contains("table-hint") ? box.previousElementSibling : null;
      if (overflows) {
        box.classList.add("table-scroll-wide");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", main.dataset.tableLabel || "");
        if (!hint) {
          hint = document.createElement("p");
          hint.className = "table-hint";
          hint.setAttribute("aria-hidden", "true");
          hint.textContent = main.dataset.tableHint || "";
          box.parentNode.insertBefore(hint, box);
        }
      } else {
        box.classList.remove("table-scroll-wide");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        if (hint) { hint.remove(); }
      }
    });
  }

  // Parts folded on a phone (the page's details, its contents) are open on a wide screen.
  function openWide() {
    if (!wide.matches) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]:not([data-touched])"), function (d) { d.open = true; });
  }

  // Acronyms in a page become toggletips: a button that shows the meaning in place, in a live region beside it, with a
  // link to the glossary row. The server's markup (<abbr title>, the first one linked to the glossary) stays the
  // fallback without script.
  function acronyms() {
    var main = document.getElementById("main");
    if (!main) { return; }
    var hrefs = {};
    Array.prototype.forEach.call(main.querySelectorAll(".page-body a.glossary > abbr"), function (abbr) {
      hrefs[abbr.textContent] = abbr.parentElement.getAttribute("href");
    });
    Array.prototype.forEach.call(main.querySelectorAll(".page-body abbr[title]"), function (abbr) {
      if (abbr.closest("button, .edit-page, [data-interactive]")) { return; }
      var link = abbr.parentElement && abbr.parentElement.matches("a.glossary") ? abbr.parentElement : null;
      if (!link && abbr.closest("a")) { return; } // an acronym inside another link stays part of that link
      var button = document.createElement("button");
      button.type = "button";
      button.className = "acronym";
      button.setAttribute("aria-expanded", "false");
      if (hrefs[abbr.textContent]) { button.dataset.href = hrefs[abbr.textContent]; }
      var tip = document.createElement("span");
      tip.className = "acronym-tip";
      tip.setAttribute("role", "status");
      var place = link || abbr;
      place.parentNode.insertBefore(button, place);
      button.parentNode.insertBefore(tip, button.nextSibling);
      button.appendChild(abbr);
      if (link) { link.remove(); }
    });
  }

  function closeTip(button) {
    button.setAttribute("aria-expanded", "false");
    var tip = button.nextElementSibling;
    if (tip && tip.classList.contains("acronym-tip")) { tip.textContent = ""; }
  }

  function openTip(button) {
    var abbr = button.querySelector("abbr");
    var tip = button.nextElementSibling;
    if (!abbr || !tip) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("button.acronym[aria-expanded=true]"), closeTip);
    button.setAttribute("aria-expanded", "true");
    tip.textContent = "";
    var meaning = document.createElement("span");
    meaning.textContent = abbr.getAttribute("title");
    tip.appendChild(meaning);
    if (button.dataset.href) {
      tip.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = button.dataset.href;
      // A full load: the row becomes the document's :target and is highlighted.
      a.setAttribute("data-enhance-nav", "false");
      a.textContent = document.getElementById("main").dataset.glossaryText || "";
      tip.appendChild(a);
    }
  }

  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("button.acronym") : null;
    if (button) {
      if (button.getAttribute("aria-expanded") === "true") { closeTip(button); } else { openTip(button); }
      return;
    }
    if (!(e.target && e.target.closest && e.target.closest(".acronym-tip"))) {
      Array.prototype.forEach.call(document.querySelectorAll("button.acronym[aria-expanded=true]"), closeTip);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      Array.prototype.forEach.call(document.querySelectorAll("button.acronym[aria-expanded=true]"), closeTip);
    }
  });

  // After an enhanced navigation the URL's fragment is not the document's :target; mark the row by hand.
  function markTarget() {
    Array.prototype.forEach.call(document.querySelectorAll(".is-target"), function (e) { e.classList.remove("is-target"); });
    if (location.hash.length > 1) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) { target.classList.add("is-target"); }
    }
  }


  // A wiki link to a partner page gets a partner card: contact and next zitdag, from /api/partners/card/… (JSON, put
  // in the page as text only). A small button after the link opens it by tap or keyboard; a mouse opens it by hovering
  // the link. Without script the link simply leads to the partner page, which shows the same.
  var cards = {};
  var hoverTimer = 0;

  function partnerLinks() {
    var main = document.getElementById("main");
    if (!main || !main.dataset.partnerPrefix) { return; }
    var prefix = main.dataset.partnerPrefix;
    Array.prototype.forEach.call(main.querySelectorAll(".page-body a.wikilink:not(.wikilink-missing)"), function (link) {
      var href = (link.getAttribute("href") || "").split("#")[0];
      if (href.indexOf(prefix) !== 0 || href.length <= prefix.length || link.hasAttribute("data-partner")) { return; }
      if (link.closest(".edit-page, [data-interactive]")) { return; }
      link.setAttribute("data-partner", "/api/partners/card/" + href.slice("/wiki/".length));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "partner-toggle";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-label", (main.dataset.partnerToggle || "{0}").replace("{0}", link.textContent));
      button.textContent = "i";
      var card = document.createElement("span");
      card.className = "partner-tip";
      card.setAttribute("role", "status");
      link.parentNode.insertBefore(button, link.nextSibling);
      button.parentNode.insertBefore(card, button.nextSibling);
    });
  }

  function closeCard(button) {
    button.setAttribute("aria-expanded", "false");
    var card = button.nextElementSibling;
    if (card && card.classList.contains("partner-tip")) { card.textContent = ""; }
  }

  function closeAllCards(except) {
    Array.prototype.forEach.call(document.querySelectorAll("button.partner-toggle[aria-expanded=true]"), function (b) {
      if (b !== except) { closeCard(b); }
    });
  }

  function line(card, label, text, href) {
    var row = document.createElement("span");
    row.className = "partner-tip-line";
    row.appendChild(document.createTextNode(label + ": "));
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      row.appendChild(a);
    } else {
      var value = document.createElement("span");
      value.textContent = text;
      row.appendChild(value);
    }
    card.appendChild(row);
  }

  function fill(card, data) {
    card.textContent = "";
    var title = document.createElement("strong");
    title.textContent = data.acronym && data.title.indexOf(data.acronym) !== 0 ? data.acronym + " · " + data.title : data.title;
    card.appendChild(title);
    var l = data.labels;
    line(card, l.phone, data.phone || l.missing, data.tel);
    line(card, l.email, data.email || l.missing, data.email ? "mailto:" + data.email : null);
    if (data.website) { line(card, l.website, data.website.replace(/^https?:\/\//, "").replace(/\/$/, ""), data.website); }
    line(card, l.nextZitdag, data.nextZitdag || l.noNextZitdag, null);
    var open = document.createElement("a");
    open.className = "partner-tip-open";
    open.href = data.href;
    open.textContent = l.openPage;
    card.appendChild(open);
  }

  function openCard(button) {
    var link = button.previousElementSibling;
    var card = button.nextElementSibling;
    if (!link || !card || !link.getAttribute("data-partner")) { return; }
    closeAllCards(button);
    button.setAttribute("aria-expanded", "true");
    var url = link.getAttribute("data-partner");
    if (cards[url]) { fill(card, cards[url]); return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { closeCard(button); return; }
        cards[url] = data;
        if (button.getAttribute("aria-expanded") === "true") { fill(card, data); }
      })
      .catch(function () { closeCard(button); });
  }

  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("button.partner-toggle") : null;
    if (button) {
      if (button.getAttribute("aria-expanded") === "true") { closeCard(button); } else { openCard(button); }
      return;
    }
    if (!(e.target && e.target.closest && e.target.closest(".partner-tip"))) { closeAllCards(null); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { closeAllCards(null); }
  });
  var hover = window.matchMedia("(hover: hover) and (pointer: fine)");
  document.addEventListener("mouseover", function (e) {
    if (!hover.matches || !e.target || !e.target.closest) { return; }
    var link = e.target.closest("a[data-partner]");
    var inCard = e.target.closest(".partner-tip, button.partner-toggle");
    if (link || inCard) { clearTimeout(hoverTimer); }
    if (link && link.nextElementSibling && link.nextElementSibling.getAttribute("aria-expanded") !== "true") {
      var button = link.nextElementSibling;
      hoverTimer = setTimeout(function () { openCard(button); }, 250);
    }
  });
  document.addEventListener("mouseout", function (e) {
    if (!hover.matches || !e.target || !e.target.closest) { return; }
    if (e.target.closest("a[data-partner], .partner-tip, button.partner-toggle")) {
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(function () { closeAllCards(null); }, 400);
    }
  });

  function init() {
    openWide();
    boxTables();
    acronyms();
    partnerLinks();
    markTarget();
  }

  // The page menu (a <details> disclosure): Escape closes it and returns focus to its button; so does a click elsewhere.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var menu = e.target && e.target.closest ? e.target.closest("details.page-menu[open]") : null;
    if (menu) {
      e.preventDefault();
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (e) {
    Array.prototype.forEach.call(document.querySelectorAll("details.page-menu[open]"), function (menu) {
      if (!menu.contains(e.target)) { menu.open = false; }
    });
  });
  // A worker who folds a part by hand keeps it folded when the screen turns.
  document.addEventListener("click", function (e) {
    var summary = e.target && e.target.closest ? e.target.closest("details[data-open-wide] > summary") : null;
    if (summary) { summary.parentElement.setAttribute("data-touched", ""); }
  });

  // "Vraag over deze passage": while text of the page is selected, a button at the bottom of the screen (within a
  // thumb's reach) puts that passage in the question form as its quote and opens the form.
  function selectedPassage() {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return ""; }
    var body = document.querySelector(".page-body");
    var range = selection.getRangeAt(0);
    if (!body || !body.contains(range.commonAncestorContainer)) { return ""; }
    var text = selection.toString().replace(/\s+/g, " ").trim();
    return text.length > 500 ? text.slice(0, 499) + "…" : text;
  }
  var selectionTimer = 0;
  document.addEventListener("selectionchange", function () {
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(function () {
      var button = document.querySelector("[data-ask-selection]");
      if (button) { button.hidden = selectedPassage().length === 0; }
    }, 150);
  });
  // pointerdown keeps the selection: a click would clear it before the handler reads it.
  document.addEventListener("pointerdown", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("[data-ask-selection]") : null;
    if (button) { button.setAttribute("data-passage", selectedPassage()); }
  });
  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("[data-ask-selection]") : null;
    if (!button) { return; }
    var passage = button.getAttribute("data-passage") || selectedPassage();
    var form = document.getElementById("vraag-stellen");
    if (!passage || !form) { return; }
    var box = form.querySelector("[data-ask-quote]");
    box.querySelector("[data-ask-quote-text]").textContent = passage;
    box.querySelector("[data-ask-quote-input]").value = passage;
    box.hidden = false;
    form.open = true;
    button.hidden = true;
    var text = form.querySelector("textarea");
    form.scrollIntoView({ block: "start" });
    text.focus({ preventScroll: true });
  });

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { openWide(); markOverflow(); }, 100);
  });

  // The edit page opens its editor before the circuit starts (js/edit.js); after an enhanced navigation the page's
  // module script was patched in but never ran, so it is started from here.
  function openEditor() {
    if (document.querySelector(".editor-host[data-editor-options]")) {
      import("/js/edit.js").then(function (m) { m.boot(); });
    }
  }

  // "Bewerken" is an enhanced navigation: the window, and what ran in it, stays. A page the worker may edit loads the
  // editor's bundle and module while she reads (in idle time, once per window, not on a data-saving connection), so
  // the editor opens without downloading and compiling 400 KB first. edit.js waits for this load instead of starting
  // a second one (window.HandbookEditorLoading).
  function preloadEditor() {
    var meta = document.querySelector('meta[name="handbook-editor"]');
    if (!meta || window.HandbookEditor || window.HandbookEditorLoading) { return; }
    if (!document.querySelector('a[href^="/edit/"]')) { return; }
    var connection = navigator.connection;
    if (connection && (connection.saveData || /2g/.test(connection.effectiveType || ""))) { return; }
    var start;
    window.HandbookEditorLoading = new Promise(function (resolve) {
      var started = false;
      start = function () {
        if (started) { return; }
        started = true;
        // The stylesheet only into the HTTP cache: the edit page's head brings it in itself.
        fetch(meta.getAttribute("data-css")).catch(function () { });
        var script = document.createElement("script");
        script.src = meta.getAttribute("content");
        script.async = true;
        var done = function () {
          if (!window.HandbookEditor) { window.HandbookEditorLoading = null; }
          resolve(!!window.HandbookEditor);
        };
        script.onload = done;
        script.onerror = done;
        document.head.appendChild(script);
        import("/js/edit.js").catch(function () { });
      };
    });
    // Opened before the browser was idle: edit.js starts the load at once (HandbookEditorLoading.start).
    window.HandbookEditorLoading.start = start;
    (window.requestIdleCallback || function (f) { return setTimeout(f, 1000); })(start, { timeout: 5000 });
  }

  function whenLoaded() {
    if (document.readyState === "complete") { preloadEditor(); } else { window.addEventListener("load", preloadEditor, { once: true }); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  whenLoaded();
  if (window.Blazor && window.Blazor.addEventListener) {
    window.Blazor.addEventListener("enhancedload", init);
    window.Blazor.addEventListener("enhancedload", openEditor);
    window.Blazor.addEventListener("enhancedload", preloadEditor);
  }
})();
