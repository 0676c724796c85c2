// Blazor's side of the page editor: loads the editor bundle on demand, keeps drafts in the browser, asks before
// leaving with unsaved changes, and uploads pasted images. No inline script anywhere (the CSP forbids it).
const editors = new Map();
const limits = { maxUploadBytes: 0, uploadTooLarge: '' };
let bundle;

// The edit page's HTML starts loading the bundle itself (an async script and its stylesheet in the head, see
// App.razor), so download and compilation overlap the circuit's start. After an enhanced navigation that script was
// patched in but never ran: then it is added here.
function loadBundle() {
  if (window.HandbookEditor) return Promise.resolve(true);
  if (!bundle) {
    bundle = new Promise((resolve) => {
      const started = document.querySelector('script[data-editor-bundle]');
      const inject = () => {
        if (window.HandbookEditor) { resolve(true); return; }
        if (!document.querySelector('link[data-editor-bundle]')) {
          const css = document.createElement('link');
          css.rel = 'stylesheet';
          css.href = '/lib/editor/editor.bundle.css';
          css.setAttribute('data-editor-bundle', '');
          document.head.appendChild(css);
        }
        const script = document.createElement('script');
        script.src = started ? started.src : '/lib/editor/editor.bundle.js';
        script.onload = () => resolve(!!window.HandbookEditor);
        script.onerror = () => resolve(false);
        document.head.appendChild(script);
      };
      // An async script of the page runs before the window's load event; once that has passed, it never will.
      if (started && document.readyState !== 'complete') {
        window.addEventListener('load', inject, { once: true });
      } else {
        inject();
      }
    });
  }
  return bundle;
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

/**
 * Creates the editor (rich if the bundle loads, else a plain textarea) and wires drafts and change callbacks; returns
 * the draft kept in this browser, if any (one round trip instead of three).
 */
export async function create(host, path, markdown, base, dotnet, options) {
  // Not prerendered, so the static <title> never saw this page's PageTitle.
  if (options.title) document.title = options.title;
  const draft = readDraft(path);
  const rich = await loadBundle();
  const state = { base, meta: null, dirty: false, timer: 0 };
  state.skipFirst = /^\s*#\s/.test(markdown); // the preview leaves out a leading H1 (the page header shows the title)
  state.maxPageBytes = options.maxPageBytes || 0;
  limits.maxUploadBytes = options.maxUploadBytes || 0;
  limits.uploadTooLarge = options.labels?.uploadTooLarge || 'Too large';
  // The text is read when the timer fires, not on every keystroke: writing a 20 KB page out costs a few ms.
  const changed = () => {
    state.dirty = true;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      const text = state.get();
      saveDraft(path, state);
      // Over the limit the text stays here (the preview and the save say why) instead of breaking the circuit.
      if (tooLarge(text, state.maxPageBytes)) {
        dotnet.invokeMethodAsync('OnEditorError', options.labels?.pageTooLarge || 'Too large');
      } else {
        dotnet.invokeMethodAsync('OnTextChanged', text);
      }
    }, 350);
  };
  if (rich) {
    const preview = document.querySelector('.edit-preview .preview-body');
    const editor = window.HandbookEditor.create(host, markdown, {
      language: options.language,
      labels: options.labels,
      glossary: options.glossary,
      onChange: changed,
      onCursor: (index) => followInPreview(preview, index, state),
      upload: (blob) => upload(options.uploadUrl, options.token, blob),
      onUploaded: (name) => dotnet.invokeMethodAsync('OnUploaded', name),
      onError: (message) => dotnet.invokeMethodAsync('OnEditorError', message),
      searchPages: (query) => dotnet.invokeMethodAsync('SearchPages', query || ''),
      resolveLinks: (targets) => dotnet.invokeMethodAsync('ResolveLinks', targets),
      renderHtml: (text) => dotnet.invokeMethodAsync('RenderHtml', text),
    });
    state.get = editor.getMarkdown;
    state.set = editor.setMarkdown;
    state.insert = editor.insertText;
    state.destroy = editor.destroy;
    state.editor = editor;
  } else {
    const area = document.createElement('textarea');
    area.className = 'plain-editor';
    area.value = markdown;
    area.setAttribute('aria-label', options.labels?.text || 'Tekst');
    area.addEventListener('input', () => changed());
    host.appendChild(area);
    state.get = () => area.value;
    state.set = (t) => { area.value = t; };
    state.insert = (t) => area.setRangeText(t, area.selectionStart, area.selectionEnd, 'end');
    state.destroy = () => area.remove();
  }
  editors.set(path, state);
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
