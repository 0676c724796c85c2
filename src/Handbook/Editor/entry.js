// The bundle's entry: window.HandbookEditor for Blazor's side (wwwroot/js/edit.js). The editor itself is in src/:
// ProseMirror for the visual mode, markdown-it to read the page, our selective serialiser to write it back.
import { createEditor } from './src/editor.js';
import './src/editor.css';

window.HandbookEditor = {
  /** performance.now() when the bundle ran (the editor benchmark reads it). */
  loadedAt: performance.now(),

  /**
   * Creates an editor in `el` holding `markdown` (the page body; front matter is edited in form fields).
   * Options: language ('nl'|'en'), labels, onChange(), onCursor(blockIndex), upload(blob) → {url, alt, name},
   * onUploaded(name), onError(message), searchPages(query) → [{path, title}], resolveLinks(targets) →
   * {target: {title, exists}}, glossary {ACRONYM: expansion}, renderHtml(markdown) → sanitised HTML.
   * Returns { getMarkdown, setMarkdown, insertText, focus, destroy, getMode, setMode }.
   */
  create(el, markdown, options) {
    const editor = createEditor(el, markdown, options || {});
    return {
      getMarkdown: editor.getMarkdown,
      setMarkdown: editor.setMarkdown,
      insertText: editor.insertText,
      focus: editor.focus,
      destroy: editor.destroy,
      getMode: editor.getMode,
      setMode: editor.setMode,
    };
  },
};
