// Blazor's side of the page editor: loads the editor bundle on demand, keeps drafts in the browser, asks before
// leaving with unsaved changes, and uploads pasted images. No inline script anywhere (the CSP forbids it).
const editors = new Map();
const limits = { maxUploadBytes: 0, uploadTooLarge: '' };
let bundle;

// The edit page's HTML starts loading the bundle itself (an async script and its stylesheet in the head, see
// App.razor), so download and compilation overlap the circuit's start. After an enhanced navigation that script was
// patched in but never ran: then it is added here.
function loadBundle() {
  ensureStylesheet(); // the page's link, or a new one when it has none or chromium never loaded it
  if (window.HandbookEditor) return Promise.resolve(true);
  // A reading page started loading it (js/reading.js); when that failed, load it here.
  if (!bundle && window.HandbookEditorLoading) {
    window.HandbookEditorLoading.start?.();
    bundle = window.HandbookEditorLoading.then((loaded) => (loaded ? true : (bundle = null, loadBundle())));
  }
  if (!bundle) {
    bundle = new Promise((resolve) => {
      const started = document.querySelector('script[data-editor-bundle]');
      const inject = () => {
        if (window.HandbookEditor) { resolve(true); return; }
        const script = document.createElement('script');
        script.src = started ? started.src : '/lib/editor/editor.bundle.js';
        script.onload = () => resolve(!!window.HandbookEditor);
        script.onerror = () => resolve(false);
        document.head.appendChild(script);
      };
      // An async script of the page runs before the window's load event; once that has passed, it never will.
      if (started && document.readyState !== 'complete') {
        started.addEventListener('load', () => resolve(!!window.HandbookEditor), { once: true });
        started.addEventListener('error', inject, { once: true });
        window.addEventListener('load', inject, { once: true });
      } else {
        inject();
      }
    });
  }
  return bundle;
}

// The editor's stylesheet. After "Bewerken" on a reading page (an enhanced navigation) Blazor patches the edit page's
// <link> into the head, but chromium never loads a stylesheet link put there that way: the CSS was requested only by
// the reading page's preload fetch, never as a stylesheet, and the toolbar was drawn as the app's plain buttons. A link
// without a sheet is replaced by one made here, which the browser loads (from the HTTP cache the preload filled).
function ensureStylesheet() {
  const link = document.querySelector('link[rel="stylesheet"][data-editor-bundle]');
  if (link && (link.sheet || link.dataset.remade)) return;
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = link ? link.href : '/lib/editor/editor.bundle.css';
  css.setAttribute('data-editor-bundle', '');
  css.dataset.remade = 'true';
  if (link) link.replaceWith(css); else document.head.appendChild(css);
}

const draftKey = (path) => 'handbook-draft:' + path;

export function readDraft(path) {
  try {
    const raw = localStorage.getItem(draftKey(path));
    return raw ? JSON.parse(raw) : null;
  } catch { return null; }
}

export function clearDraft(path) {
  localStorage.removeItem(draftKey(path));
  const state = editors.get(path);
  if (state) state.dirty = false;
}

function saveDraft(path, state) {
  try {
    localStorage.setItem(draftKey(path), JSON.stringify({ text: state.get(), base: state.base, meta: state.meta, savedAt: new Date().toISOString() }));
  } catch { /* storage full or disabled: the editor still works */ }
}

export function setMeta(path, meta) {
  const state = editors.get(path);
  if (!state) return;
  state.meta = meta;
  state.dirty = true;
  saveDraft(path, state);
}

// Editors made from the prerendered edit page before the circuit started, by path (see boot below).
const early = new Map();
let watcher = null;

/**
 * Builds the editor's state in `root`: the rich editor (the bundle is loaded) or a plain text area. Calls to .NET go
 * through `bridge`, which holds them until the circuit is there: an editor made from the prerendered page is typed in
 * before Blazor has started.
 */
function build(root, path, markdown, base, bridge, options, rich) {
  const state = { base, meta: null, dirty: false, timer: 0, unsent: false };
  state.skipFirst = /^\s*#\s/.test(markdown); // the preview leaves out a leading H1 (the page header shows the title)
  state.maxPageBytes = options.maxPageBytes || 0;
  limits.maxUploadBytes = options.maxUploadBytes || 0;
  limits.uploadTooLarge = options.labels?.uploadTooLarge || 'Too large';
  // The text is read when the timer fires, not on every keystroke: writing a 20 KB page out costs a few ms.
  state.send = () => {
    const text = state.get();
    saveDraft(path, state);
    if (!bridge.dotnet) { state.unsent = true; return; }
    state.unsent = false;
    // Over the limit the text stays here (the preview and the save say why) instead of breaking the circuit.
    if (tooLarge(text, state.maxPageBytes)) {
      bridge.dotnet.invokeMethodAsync('OnEditorError', options.labels?.pageTooLarge || 'Too large');
    } else {
      bridge.dotnet.invokeMethodAsync('OnTextChanged', text);
    }
  };
  const changed = () => {
    state.dirty = true;
    clearTimeout(state.timer);
    state.timer = setTimeout(state.send, 350);
  };
  if (rich) {
    const editor = window.HandbookEditor.create(root, markdown, {
      language: options.language,
      labels: options.labels,
      glossary: options.glossary,
      onChange: changed,
      onCursor: (index) => followInPreview(document.querySelector('.edit-preview .preview-body'), index, state),
      upload: async (blob) => { await bridge.ready; return upload(options.uploadUrl, options.token, blob); },
      onUploaded: (name) => bridge.call('OnUploaded', name),
      onError: (message) => bridge.call('OnEditorError', message),
      searchPages: (query) => bridge.call('SearchPages', query || ''),
      // The page's own links come with the page (their titles show before the circuit is there); new ones are asked.
      resolveLinks: (targets) => (options.links && targets.every((t) => Object.hasOwn(options.links, t))
        ? Promise.resolve(options.links) : bridge.call('ResolveLinks', targets)),
      renderHtml: (text) => bridge.call('RenderHtml', text),
    });
    state.get = editor.getMarkdown;
    state.set = editor.setMarkdown;
    state.insert = editor.insertText;
    state.destroy = () => { editor.destroy(); root.remove(); };
    state.editor = editor;
  } else {
    const area = document.createElement('textarea');
    area.className = 'plain-editor';
    area.value = markdown;
    area.setAttribute('aria-label', options.labels?.text || 'Tekst');
    area.addEventListener('input', () => changed());
    root.appendChild(area);
    state.get = () => area.value;
    state.set = (t) => { area.value = t; };
    state.insert = (t) => area.setRangeText(t, area.selectionStart, area.selectionEnd, 'end');
    state.destroy = () => root.remove();
  }
  return state;
}

/** Calls into .NET once the circuit's object is there; until then they wait (none is lost). */
function bridgeTo(dotnet) {
  const bridge = { dotnet: dotnet || null };
  bridge.ready = dotnet ? Promise.resolve(dotnet) : new Promise((resolve) => { bridge.wire = (d) => { bridge.dotnet = d; resolve(d); }; });
  bridge.call = async (method, ...args) => (await bridge.ready).invokeMethodAsync(method, ...args);
  return bridge;
}

function editorRoot() {
  const root = document.createElement('div');
  root.className = 'editor-root';
  return root;
}

/**
 * Opens the editor on the prerendered edit page as soon as the bundle has run, before the circuit has started: the
 * worker can read and type at once. When Blazor replaces the prerendered markup with its own, the editor (its state,
 * undo history and caret) moves into the new host in the same task, before anything is painted; create() then only
 * connects it to the circuit. Called when this module first runs and after an enhanced navigation (reading.js).
 */
export function boot() {
  const host = document.querySelector('.editor-host[data-editor-options]');
  if (!host || host.dataset.booted) return;
  host.dataset.booted = 'true';
  let data;
  try { data = JSON.parse(host.dataset.editorOptions); } catch { return; }
  const draft = readDraft(data.path); // read before the first keystroke writes one
  loadBundle().then((rich) => {
    // Too late (Blazor has rendered, create() makes the editor) or no bundle (create() makes the text area).
    if (!rich || !host.isConnected || editors.has(data.path)) return;
    const root = editorRoot();
    host.appendChild(root);
    const bridge = bridgeTo(null);
    const state = build(root, data.path, data.markdown, data.base, bridge, data.options, true);
    host.setAttribute('data-editor', 'rich');
    performance.mark('handbook-editor-early'); // the editor benchmark reads it
    const entry = { state, root, draft, bridge, base: data.base, markdown: data.markdown, focused: false };
    root.addEventListener('focusin', () => { entry.focused = true; });
    // A focused element taken out of the document loses focus; that is not the worker leaving the editor.
    root.addEventListener('focusout', () => { queueMicrotask(() => { if (root.isConnected) entry.focused = root.contains(document.activeElement); }); });
    for (const old of early.values()) old.state.destroy();
    early.clear();
    early.set(data.path, entry);
    if (watcher) watcher.disconnect();
    watcher = new MutationObserver(() => { if (!root.isConnected) adopt(data.path); });
    watcher.observe(document.body, { childList: true, subtree: true });
  });
}

/** Moves an early editor into the host Blazor rendered for its page, if that host is there yet. */
function adopt(path, host) {
  const entry = early.get(path);
  if (!entry) return false;
  const target = host || document.querySelector(`.edit-page[data-path="${CSS.escape(path)}"] .editor-host:not([data-editor-options])`);
  if (!target) return false;
  if (entry.root.parentElement !== target) target.appendChild(entry.root);
  target.setAttribute('data-editor', 'rich');
  if (watcher) { watcher.disconnect(); watcher = null; }
  if (entry.focused) entry.state.editor.focus();
  return true;
}

/**
 * Creates the editor (rich if the bundle loads, else a plain textarea) and wires drafts and change callbacks, or
 * connects the one made from the prerendered page; returns the draft kept in this browser, if any (one round trip
 * instead of three).
 */
export async function create(host, path, markdown, base, dotnet, options) {
  if (options.title) document.title = options.title;
  const entry = early.get(path);
  if (entry && entry.base === base && entry.markdown === markdown && adopt(path, host)) {
    early.delete(path);
    editors.set(path, entry.state);
    entry.bridge.wire(dotnet);
    if (entry.state.unsent) entry.state.send(); // typed before the circuit was there
    return entry.draft;
  }
  if (entry) { entry.state.destroy(); early.delete(path); }
  const draft = readDraft(path);
  const rich = await loadBundle();
  const root = editorRoot();
  host.appendChild(root);
  editors.set(path, build(root, path, markdown, base, bridgeTo(dotnet), options, rich));
  host.setAttribute('data-editor', rich ? 'rich' : 'plain');
  return draft;
}

/** Scrolls the preview (not the page) to about the block the caret is in. */
function followInPreview(preview, index, state) {
  if (!preview || !preview.parentElement) return;
  const blocks = Array.from(preview.children);
  if (!blocks.length) return;
  const target = blocks[Math.min(blocks.length - 1, Math.max(0, index - (state.skipFirst ? 1 : 0)))];
  const box = preview.closest('.edit-preview');
  if (!box || box.scrollHeight <= box.clientHeight) return;
  box.scrollTo({ top: Math.max(0, target.offsetTop - box.offsetTop - 16), behavior: 'smooth' });
}

function tooLarge(text, max) {
  if (!max || text.length * 3 <= max) return false;
  return text.length > max || new TextEncoder().encode(text).length > max;
}

export function isTooLarge(path) {
  const state = editors.get(path);
  return state ? tooLarge(state.get(), state.maxPageBytes) : false;
}

export function getMarkdown(path) {
  const state = editors.get(path);
  return state ? state.get() : null;
}

export function setMarkdown(path, text) {
  const state = editors.get(path);
  if (state) { state.set(text); state.dirty = true; saveDraft(path, state); }
}

export function insertText(path, text) {
  const state = editors.get(path);
  if (state) state.insert(text);
}

export function markDirty(path) {
  const state = editors.get(path);
  if (state) state.dirty = true;
}

export function dispose(path) {
  const state = editors.get(path);
  if (state) { state.destroy(); editors.delete(path); }
}

export async function copyText(text) {
  await navigator.clipboard.writeText(text);
}

async function upload(url, token, blob) {
  // Refused before sending: the server would refuse it too, but only after the browser started the upload.
  if (limits.maxUploadBytes && blob.size > limits.maxUploadBytes) throw new Error(limits.uploadTooLarge);
  const form = new FormData();
  form.append('file', blob, blob.name || 'geplakt.png');
  const response = await fetch(url, { method: 'POST', body: form, headers: { 'RequestVerificationToken': token }, credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

export async function uploadFile(url, token, input) {
  const file = input.files && input.files[0];
  if (!file) return null;
  try {
    return await upload(url, token, file);
  } catch (e) {
    return { error: String(e.message || e) };
  } finally {
    input.value = '';
  }
}

// One listener for the whole app: ask before leaving while any editor has unsaved changes.
window.addEventListener('beforeunload', (event) => {
  for (const state of editors.values()) {
    if (state.dirty) { event.preventDefault(); event.returnValue = ''; return ''; }
  }
});

if (document.querySelector('.editor-host[data-editor-options]')) boot();
