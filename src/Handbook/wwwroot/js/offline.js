// The offline copy, in the browser: take the handbook (or chosen sections) offline, keep it fresh by blob id, search it
// with lunr (Dutch stemming) and the glossary, say "offline — versie van …" when a page comes from it, and delete it on
// sign-out, for another worker or after its expiry. The service worker (/sw.js) only serves what this file stored.
// Loaded with a normal <script src> (the CSP forbids inline script).
(function () {
  "use strict";
  var CACHE = "handbook-offline-v1";
  var DB = "handbook-offline";
  var REFRESH_EVERY_MS = 5 * 60 * 1000;
  var supported = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window;

  function main() { return document.getElementById("main"); }
  function userKey() { var u = document.querySelector("[data-offline-user]"); return u ? u.getAttribute("data-offline-user") : null; }
  function format(template, args) { return String(template || "").replace(/\{(\d)\}/g, function (_, n) { return args[+n] === undefined ? "" : args[+n]; }); }
  function when(iso) {
    var m = main();
    var culture = (m && m.dataset.offlineCulture) || "nl-BE";
    try {
      return new Intl.DateTimeFormat(culture, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Brussels" }).format(new Date(iso));
    } catch (e) { return iso; }
  }
  function size(bytes) { return (bytes / 1024 / 1024).toLocaleString((main() && main().dataset.offlineCulture) || "nl-BE", { maximumFractionDigits: 1 }) + " MB"; }

  // --- IndexedDB: one record, "copy" ------------------------------------------------------------------------------
  /** The database; only a write creates it (reading must leave no trace on a device without a copy). */
  function db(create) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () {
        if (create) { open.result.createObjectStore("meta"); } else { open.transaction.abort(); }
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function readCopy() {
    if (!supported) { return Promise.resolve(null); }
    return db(false).then(function (d) {
      return new Promise(function (resolve) {
        var get = d.transaction("meta", "readonly").objectStore("meta").get("copy");
        get.onsuccess = function () { resolve(get.result || null); d.close(); };
        get.onerror = function () { resolve(null); d.close(); };
      });
    }).catch(function () { return null; });
  }
  function writeCopy(copy) {
    memo = null;
    return db(true).then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("meta", "readwrite");
        tx.objectStore("meta").put(copy, "copy");
        tx.oncomplete = function () { d.close(); resolve(); };
        tx.onerror = function () { d.close(); reject(tx.error); };
      });
    });
  }
  /** Deletes the whole copy: the cache, the database and the service worker. */
  function wipe() {
    memo = null;
    if (!supported) { return Promise.resolve(); }
    return Promise.all([
      caches.delete(CACHE),
      new Promise(function (resolve) { var r = indexedDB.deleteDatabase(DB); r.onsuccess = r.onerror = r.onblocked = function () { resolve(); }; }),
      navigator.serviceWorker.getRegistrations().then(function (rs) { return Promise.all(rs.map(function (r) { return r.unregister(); })); })
    ]).then(function () { try { localStorage.removeItem("handbook-offline"); } catch (e) { /* private mode */ } });
  }

  // --- Taking pages into the copy --------------------------------------------------------------------------------
  function sameOrigin(href) { try { return new URL(href, location.href).origin === location.origin; } catch (e) { return false; } }

  /** Fetches one page into the cache; returns what the search index needs from it, plus the assets and images it uses. */
  function takePage(cache, href, maxAttachmentBytes) {
    return fetch(href, { credentials: "same-origin", redirect: "follow" }).then(function (response) {
      // A page that sends us to sign-in is not a page of the copy (the session ended).
      if (!response.ok || response.redirected) { throw new Error(href + ": " + response.status); }
      var copy = response.clone();
      return response.text().then(function (html) {
        return cache.put(href, copy).then(function () {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var assets = [];
          Array.prototype.forEach.call(doc.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href], link[rel=manifest][href], link[rel=apple-touch-icon][href]"), function (e) {
            var u = e.getAttribute("href") || e.getAttribute("src");
            if (sameOrigin(u)) { assets.push(new URL(u, location.origin).pathname + new URL(u, location.origin).search); }
          });
          var images = [];
          Array.prototype.forEach.call(doc.querySelectorAll(".page-body img[src]"), function (img) {
            var u = img.getAttribute("src");
            if (sameOrigin(u)) { images.push(new URL(u, location.origin).pathname); }
          });
          var title = doc.querySelector("main h1");
          var body = doc.querySelector("main .page-body");
          var summary = doc.querySelector("main .page-summary");
          return {
            href: href,
            title: title ? title.textContent.trim() : href,
            summary: summary ? summary.textContent.trim() : "",
            body: body ? body.textContent.replace(/\s+/g, " ").trim() : "",
            assets: assets,
            images: images,
            bytes: html.length
          };
        });
      });
    });
  }

  /** An attachment, if it is not larger than the limit (its size comes from the response, before it is kept). */
  function takeFile(cache, href, maxBytes) {
    return fetch(href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { return 0; }
      var length = +(response.headers.get("content-length") || 0);
      if (length > maxBytes) { return 0; }
      return response.clone().blob().then(function (blob) {
        if (blob.size > maxBytes) { return 0; }
        return cache.put(href, response).then(function () { return blob.size; });
      });
    }).catch(function () { return 0; });
  }

  function takeAssets(cache, urls) {
    var unique = urls.filter(function (u, i) { return urls.indexOf(u) === i; });
    return Promise.all(unique.map(function (u) {
      return cache.match(u).then(function (hit) {
        if (hit) { return 0; }
        return fetch(u).then(function (r) { return r.ok ? r.clone().blob().then(function (b) { return cache.put(u, r).then(function () { return b.size; }); }) : 0; }).catch(function () { return 0; });
      });
    })).then(function (sizes) { return sizes.reduce(function (a, b) { return a + b; }, 0); });
  }

  function lunrFiles() { var m = main(); return m && m.dataset.lunr ? m.dataset.lunr.split(" ").filter(Boolean) : []; }

  var lunrLoading = null;
  /** lunr with the Dutch pipeline, loaded on demand (from the copy when offline); null without it (plain word matching). */
  function loadLunr() {
    if (window.lunr && window.lunr.nl) { return Promise.resolve(window.lunr); }
    if (lunrLoading) { return lunrLoading; }
    var files = lunrFiles();
    if (files.length === 0) { return Promise.resolve(null); }
    lunrLoading = files.reduce(function (chain, src) {
      return chain.then(function () {
        return new Promise(function (resolve, reject) {
          var s = document.createElement("script");
          s.src = src;
          s.onload = resolve;
          s.onerror = reject;
          document.head.appendChild(s);
        });
      });
    }, Promise.resolve()).then(function () { return window.lunr && window.lunr.nl ? window.lunr : null; }).catch(function () { return null; });
    return lunrLoading;
  }

  function buildIndex(docs) {
    return loadLunr().then(function (lunr) {
      if (!lunr) { return null; }
      var list = Object.keys(docs).map(function (k) { return docs[k]; });
      return lunr(function () {
        this.use(lunr.nl);
        this.ref("href");
        this.field("title", { boost: 8 });
        this.field("summary", { boost: 2 });
        this.field("body");
        var self = this;
        list.forEach(function (d) { self.add({ href: d.href, title: d.title, summary: d.summary, body: d.body }); });
      }).toJSON();
    });
  }

  /**
   * Takes the pages of the manifest into the cache: all of them for a new copy; for a refresh only those whose blob id
   * changed (and it drops those that left). Reports progress as (done, total).
   */
  function sync(manifest, previous, progress) {
    return caches.open(CACHE).then(function (cache) {
      var old = (previous && previous.pages) || {};
      var docs = (previous && previous.docs) || {};
      var pages = {};
      manifest.pages.forEach(function (p) { pages[p.href] = p; });
      var changed = manifest.pages.filter(function (p) { return !old[p.href] || old[p.href].blob !== p.blob || !docs[p.href]; });
      var gone = Object.keys(old).filter(function (href) { return !pages[href]; });
      var shell = ["/"].concat(manifest.shell).filter(function (h) { return !previous || !previous.shellTaken || changed.length > 0; });
      var todo = shell.concat(changed.map(function (p) { return p.href; }));
      // Assets and images by URL (a page uses the same dozen files: a list with indexOf would grow quadratic).
      var done = 0, bytes = 0, assets = {}, images = {};
      lunrFiles().forEach(function (u) { assets[u] = true; });
      // Four pages at a time: the server renders one while the browser stores another.
      var next = 0;
      function worker() {
        if (next >= todo.length) { return Promise.resolve(); }
        var href = todo[next++];
        return takePage(cache, href, manifest.maxAttachmentBytes).then(function (doc) {
          bytes += doc.bytes;
          doc.assets.forEach(function (u) { assets[u] = true; });
          doc.images.forEach(function (u) { images[u] = true; });
          if (pages[href]) {
            doc.section = pages[href].section;
            docs[href] = { href: href, title: pages[href].title || doc.title, section: doc.section, summary: doc.summary, body: doc.body };
          }
          done++;
          if (progress) { progress(done, todo.length); }
        }).then(worker);
      }
      var workers = [];
      for (var w = 0; w < Math.min(4, todo.length); w++) { workers.push(worker()); }
      return Promise.all(workers)
        .then(function () { return Promise.all(gone.map(function (href) { delete docs[href]; return cache.delete(href); })); })
        .then(function () { return takeAssets(cache, Object.keys(assets)); })
        .then(function (assetBytes) {
          bytes += assetBytes;
          return Promise.all(Object.keys(images).map(function (u) { return takeFile(cache, u, manifest.maxAttachmentBytes); }));
        })
        .then(function (imageBytes) {
          bytes += imageBytes.reduce(function (a, b) { return a + b; }, 0);
          var rebuild = changed.length > 0 || gone.length > 0 || !previous || !previous.index;
          return (rebuild ? buildIndex(docs) : Promise.resolve(previous.index)).then(function (index) {
            return {
              owner: manifest.user,
              version: manifest.version,
              at: manifest.at,
              days: manifest.days,
              validUntil: Date.now() + manifest.days * 24 * 3600 * 1000,
              checkedAt: Date.now(),
              sections: previous ? previous.sections : null,
              pages: pages,
              docs: docs,
              glossary: manifest.glossary,
              index: index,
              shellTaken: true,
              bytes: (previous && !rebuild ? previous.bytes : 0) + bytes,
              fetched: todo.length
            };
          });
        });
    });
  }

  function fetchManifest(sections) {
    var form = document.querySelector("[data-offline-form]");
    var path = (form && form.dataset.manifest) || "/api/offline/manifest";
    return fetch(path + (sections ? "?sections=" + encodeURIComponent(sections) : ""), {
      credentials: "same-origin", headers: { Accept: "application/json" }, redirect: "error"
    }).then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); });
  }

  function take(sections, progress) {
    return navigator.serviceWorker.register("/sw.js", { scope: "/" })
      .then(function () { return fetchManifest(sections); })
      .then(function (manifest) {
        if (manifest.user !== userKey()) { throw new Error("user"); }
        return sync(manifest, null, progress);
      })
      .then(function (copy) { copy.sections = sections; return writeCopy(copy).then(function () { return copy; }); })
      .then(function (copy) { try { localStorage.setItem("handbook-offline", "1"); } catch (e) { /* private mode */ } return copy; });
  }

  /** Online with a copy: fetch what changed since (by blob id), at most every few minutes; a new sign-in extends it. */
  function refresh(force) {
    return readCopy().then(function (copy) {
      if (!copy || !navigator.onLine) { return null; }
      if (!force && copy.checkedAt && Date.now() - copy.checkedAt < REFRESH_EVERY_MS) { return null; }
      return fetchManifest(copy.sections).then(function (manifest) {
        if (manifest.user !== copy.owner) { return wipe().then(function () { return null; }); }
        return sync(manifest, copy).then(function (next) { next.sections = copy.sections; return writeCopy(next).then(function () { return next; }); });
      });
    });
  }

  // --- Searching the copy ----------------------------------------------------------------------------------------
  function fold(text) { return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim(); }

  /** As online (Search/AcronymAnswers): an acronym in any case, or its whole expansion (its start from 8 letters as you type). */
  function acronymAnswers(q, glossary, asYouType) {
    var f = fold(q);
    if (!f) { return []; }
    var exact = glossary.filter(function (g) { return fold(g.acronym) === f; });
    var meaning = glossary.filter(function (g) {
      var m = fold(g.expansion);
      return exact.indexOf(g) < 0 && (m === f || (asYouType && f.length >= 8 && m.indexOf(f) === 0));
    });
    return exact.concat(meaning).slice(0, 3);
  }

  // The copy and its loaded index, kept for the life of the page: a search reads neither the database nor the index
  // JSON again (reset when this page writes or deletes the copy).
  var memo = null;
  function loadCopy() {
    if (!memo) {
      memo = readCopy().then(function (copy) {
        return loadLunr().then(function (lunr) {
          return { copy: copy, index: copy && lunr && copy.index ? lunr.Index.load(copy.index) : null };
        });
      });
    }
    return memo;
  }
  // Offline, the copy is loaded when the worker goes to the search field, not at her first letter.
  document.addEventListener("focusin", function (e) {
    if (!navigator.onLine && e.target && e.target.matches && e.target.matches("input[type=search], input[name=q]")) { loadCopy(); }
  });
  function searchCopy(q, asYouType, take) {
    return loadCopy().then(function (m) {
      var copy = m.copy;
      if (!copy) { return null; }
      var answers = acronymAnswers(q, copy.glossary || [], asYouType);
      // lunr's own syntax (wildcards, fields, boosts) is not for workers to trip over: those characters go.
      var words = fold(q).replace(/[*:^~+]/g, " ").split(" ").filter(Boolean);
      // An acronym in the query also finds its expansion (all of its words), and the other way round (as online).
      var expansions = [];
      words.forEach(function (w) {
        (copy.glossary || []).forEach(function (g) { if (fold(g.acronym) === w) { expansions.push(fold(g.expansion).split(" ")); } });
      });
      var extra = answers.map(function (a) { return fold(a.acronym); });
      return loadLunr().then(function (lunr) {
        var hits;
        if (lunr && m.index) {
          var index = m.index;
          hits = index.query(function (query) {
            words.forEach(function (w) {
              query.term(w, { boost: 10 });
              // A word being typed also matches as the start of a word (the stemmer alone does plurals).
              if (asYouType) { query.term(w, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false, boost: 2 }); }
            });
            extra.forEach(function (w) { query.term(w, { boost: 3 }); });
          }).map(function (r) { return r.ref; });
          expansions.forEach(function (expansion) {
            index.query(function (query) {
              // Stop words are not in the index: requiring one ("voor") would find nothing.
              expansion.filter(function (w) { return w.length > 1 && (!lunr.nl.stopWordFilter || lunr.nl.stopWordFilter(w)); })
                .forEach(function (w) { query.term(w, { presence: lunr.Query.presence.REQUIRED }); });
            }).forEach(function (r) { if (hits.indexOf(r.ref) < 0) { hits.push(r.ref); } });
          });
        } else {
          // Without lunr: pages holding every word (no stemming).
          hits = Object.keys(copy.docs).filter(function (href) {
            var d = copy.docs[href], text = fold(d.title + " " + d.body);
            return words.every(function (w) { return text.indexOf(w) >= 0; });
          });
        }
        return {
          answers: answers,
          hits: hits.slice(0, take || 20).map(function (href) { return copy.docs[href]; }).filter(Boolean),
          total: hits.length,
          at: copy.at
        };
      });
    });
  }

  /** For the header's search box (js/search.js), offline: the same shape as /api/search/suggest. */
  function suggest(q) {
    return searchCopy(q, true, 8).then(function (r) {
      if (!r) { return []; }
      var kind = (document.querySelector("[data-offline-results]") || main() || { dataset: {} }).dataset.acronymLabel || "";
      return r.answers.map(function (a) { return { title: a.acronym + " — " + a.expansion, href: a.href, section: kind, kind: "acronym" }; })
        .concat(r.hits.map(function (d) { return { title: d.title, href: d.href, section: d.section || "" }; }));
    });
  }

  function renderResults(host, q) {
    var input = document.getElementById("offline-search-q");
    if (input) { input.value = q; }
    if (!q) { return; }
    searchCopy(q, false, 30).then(function (r) {
      host.textContent = "";
      if (!r) { return; }
      if (r.answers.length > 0) {
        var section = document.createElement("section");
        section.className = "acronym-answers";
        r.answers.forEach(function (a) {
          var p = document.createElement("p");
          p.className = "acronym-answer";
          var link = document.createElement("a");
          link.href = a.href;
          link.setAttribute("data-enhance-nav", "false");
          var abbr = document.createElement("abbr");
          abbr.textContent = a.acronym;
          link.appendChild(abbr);
          link.appendChild(document.createTextNode(" — " + a.expansion));
          p.appendChild(link);
          section.appendChild(p);
        });
        host.appendChild(section);
      }
      var count = document.createElement("p");
      count.setAttribute("role", "status");
      count.className = "result-count";
      count.textContent = r.hits.length === 0 ? host.dataset.noneText : format(host.dataset.countText, [r.total]);
      host.appendChild(count);
      var list = document.createElement("ol");
      list.className = "search-results";
      r.hits.forEach(function (d) {
        var li = document.createElement("li");
        var h = document.createElement("h2");
        var a = document.createElement("a");
        a.href = d.href;
        a.textContent = d.title;
        h.appendChild(a);
        li.appendChild(h);
        var snippet = document.createElement("p");
        snippet.className = "snippet";
        snippet.textContent = d.summary || d.body.slice(0, 200);
        li.appendChild(snippet);
        list.appendChild(li);
      });
      host.appendChild(list);
    });
  }

  // --- The page: banner, owner check, refresh, the /offline form ------------------------------------------------
  function banner(copy) {
    var existing = document.getElementById("offline-banner");
    var m = main();
    var marked = m && m.dataset.offlineCopy;
    var show = copy && (marked || !navigator.onLine);
    if (!show) { if (existing) { existing.remove(); } return; }
    if (!existing) {
      existing = document.createElement("div");
      existing.id = "offline-banner";
      existing.className = "offline-banner";
      existing.setAttribute("role", "status");
      document.body.insertBefore(existing, document.body.firstChild);
    }
    existing.textContent = format(m ? m.dataset.offlineBanner : "", [when(marked || copy.at)]);
  }

  function status(form, text) { var s = form.querySelector("[data-offline-status]"); if (s) { s.textContent = text; } }

  function initForm(form, copy) {
    var remove = form.querySelector("[data-offline-remove]");
    if (!supported) { status(form, form.dataset.unsupportedText); form.querySelector("[data-offline-take]").disabled = true; return; }
    if (copy) {
      remove.hidden = false;
      status(form, format(form.dataset.doneText, [Object.keys(copy.pages).length, when(copy.at), size(copy.bytes || 0)]));
      if (copy.sections) {
        var chosen = copy.sections.split(",");
        form.querySelector("[data-offline-all]").checked = false;
        Array.prototype.forEach.call(form.querySelectorAll("input[name=section]"), function (c) { c.checked = chosen.indexOf(c.value) >= 0; });
      }
    } else {
      status(form, form.dataset.noneText);
    }
    form.setAttribute("data-offline-wired", "true");
  }

  // The form's listeners sit on the document from the start: a click before the copy was read is not lost to a plain GET.
  document.addEventListener("change", function (e) {
    var form = e.target && e.target.closest ? e.target.closest("[data-offline-form]") : null;
    if (!form) { return; }
    var all = form.querySelector("[data-offline-all]");
    var boxes = form.querySelectorAll("input[name=section]");
    if (e.target === all) { Array.prototype.forEach.call(boxes, function (c) { c.checked = all.checked; }); }
    else { all.checked = Array.prototype.every.call(boxes, function (c) { return c.checked; }); }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.matches || !form.matches("[data-offline-form]")) { return; }
    e.preventDefault();
    if (!supported) { return; }
    var remove = form.querySelector("[data-offline-remove]");
    var all = form.querySelector("[data-offline-all]").checked;
    var sections = all ? "" : Array.prototype.filter.call(form.querySelectorAll("input[name=section]"), function (c) { return c.checked; })
      .map(function (c) { return c.value; }).join(",");
    var bar = form.querySelector("[data-offline-progress]");
    var button = form.querySelector("[data-offline-take]");
    button.disabled = true;
    bar.hidden = false;
    form.removeAttribute("data-offline-ready");
    wipe().then(function () {
      return take(sections || null, function (done, total) {
        bar.value = Math.round(100 * done / total);
        status(form, format(form.dataset.workingText, [done, total]));
      });
    }).then(function (copy) {
      bar.hidden = true;
      remove.hidden = false;
      form.setAttribute("data-offline-ready", "true");
      status(form, format(form.dataset.doneText, [Object.keys(copy.pages).length, when(copy.at), size(copy.bytes || 0)]));
    }).catch(function (err) {
      bar.hidden = true;
      status(form, format(form.dataset.failedText, [err && err.message ? err.message : String(err)]));
    }).then(function () { button.disabled = false; });
  });
  document.addEventListener("click", function (e) {
    var remove = e.target && e.target.closest ? e.target.closest("[data-offline-remove]") : null;
    if (!remove) { return; }
    var form = remove.closest("[data-offline-form]");
    wipe().then(function () { remove.hidden = true; form.removeAttribute("data-offline-ready"); status(form, form.dataset.removedText); });
  });

  // Sign-out takes the copy with it (the server's Clear-Site-Data header does too, for a browser without script).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.matches || !form.matches("form.signout") || form.dataset.cleared) { return; }
    e.preventDefault();
    wipe().then(function () { form.dataset.cleared = "1"; form.submit(); });
  }, true);

  function init() {
    readCopy().then(function (copy) {
      var me = userKey();
      // A copy of another worker, or one past its date, is deleted before anything is shown.
      if (copy && ((me && copy.owner !== me) || (copy.validUntil && Date.now() > copy.validUntil))) {
        return wipe().then(function () { return null; });
      }
      return copy;
    }).then(function (copy) {
      banner(copy);
      var form = document.querySelector("[data-offline-form]");
      if (form) { initForm(form, copy); }
      var results = document.querySelector("[data-offline-results]");
      if (results) { renderResults(results, new URLSearchParams(location.search).get("q") || ""); }
      if (copy && navigator.onLine && userKey() && !(main() && main().dataset.offlineCopy)) {
        refresh(false).then(function (next) {
          if (next) { document.documentElement.setAttribute("data-offline-refreshed", String(next.fetched)); }
        }).catch(function () { /* tried again on the next page or when back online */ });
      }
    });
  }

  /**
   * Refreshes the copy, trying again a few times: the "online" event can come before the network answers. When it
   * cannot (not signed in any more, the server away), the copy stays as it is and keeps saying its date.
   */
  function refreshSoon(attempt) {
    refresh(true).then(function (next) {
      document.documentElement.removeAttribute("data-offline-refresh-failed");
      if (next) { document.documentElement.setAttribute("data-offline-refreshed", String(next.fetched)); }
    }).catch(function (err) {
      if (attempt < 3) { setTimeout(function () { refreshSoon(attempt + 1); }, 1000 * Math.pow(3, attempt)); return; }
      document.documentElement.setAttribute("data-offline-refresh-failed", err && err.message ? err.message : String(err));
    });
  }

  // Back online: the banner goes, and the copy catches up in the background (only pages whose blob id changed).
  window.addEventListener("online", function () {
    readCopy().then(banner);
    if (userKey()) { refreshSoon(0); }
  });
  window.addEventListener("offline", function () { readCopy().then(banner); });
  // For js/search.js, and for bench/OfflineBench (which times the search on a larger copy it writes itself).
  window.HandbookOffline = { suggest: suggest, search: searchCopy, refresh: refresh, wipe: wipe, read: readCopy, build: buildIndex, write: writeCopy };

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  if (window.Blazor && window.Blazor.addEventListener) { window.Blazor.addEventListener("enhancedload", init); }
})();
