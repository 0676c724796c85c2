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

  function init() {
    openWide();
    boxTables();
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

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { openWide(); markOverflow(); }, 100);
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  if (window.Blazor && window.Blazor.addEventListener) { window.Blazor.addEventListener("enhancedload", init); }
})();
