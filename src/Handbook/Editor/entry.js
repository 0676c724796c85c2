// The only file that knows which editor library we use. Blazor talks to window.HandbookEditor (see
// wwwroot/js/edit.js); swapping Toast UI for another editor means rewriting this file only.
import Editor from '@toast-ui/editor';
import '@toast-ui/editor/dist/i18n/nl-nl';
import '@toast-ui/editor/dist/toastui-editor.css';

function button(label, title, run) {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = 'toastui-editor-toolbar-icons handbook-tool';
  el.textContent = label;
  el.title = title;
  el.setAttribute('aria-label', title);
  el.addEventListener('click', run);
  return el;
}

window.HandbookEditor = {
  /**
   * Creates an editor in `el` holding `markdown`. Markdown mode only: the text is edited as written, so a page
   * opened and saved unchanged is byte-for-byte the same, and an edit changes only the lines it touches.
   */
  create(el, markdown, options) {
    const opts = options || {};
    let editor;
    const insert = (text) => { editor.insertText(text); editor.focus(); };
    editor = new Editor({
      el,
      height: opts.height || '60vh',
      initialEditType: 'markdown',
      previewStyle: 'tab',
      hideModeSwitch: true,
      language: opts.language === 'en' ? 'en-US' : 'nl-NL',
      initialValue: markdown,
      usageStatistics: false,
      autofocus: false,
      toolbarItems: [
        ['heading', 'bold', 'italic', 'strike'],
        ['ul', 'ol', 'task', 'quote'],
        ['table', 'link', 'image'],
        [
          { name: 'wikilink', tooltip: opts.labels?.wikiLink || 'Link naar pagina', el: button('[[ ]]', opts.labels?.wikiLink || 'Link naar pagina', () => opts.onWikiLink ? opts.onWikiLink(insert) : insert('[[pagina]]')) },
          { name: 'callout', tooltip: opts.labels?.callout || 'Let op-blok', el: button('!', opts.labels?.callout || 'Let op-blok', () => insert('\n> [!LET OP]\n> \n')) },
        ],
      ],
      hooks: {
        addImageBlobHook: async (blob, callback) => {
          if (!opts.upload) return;
          try {
            const result = await opts.upload(blob);
            if (result && result.url) callback(result.url, result.alt || 'afbeelding');
          } catch (e) {
            if (opts.onError) opts.onError(String(e && e.message || e));
          }
        },
      },
      events: {
        change: () => opts.onChange && opts.onChange(editor.getMarkdown()),
      },
    });
    // Markdown mode shows our own preview (the server's pipeline); hide the library's preview tab.
    el.classList.add('handbook-editor');
    // Give every control an accessible name: the library leaves a few unnamed.
    const name = () => {
      el.querySelectorAll('button').forEach((b) => {
        if (!b.getAttribute('aria-label') && !b.textContent.trim()) b.setAttribute('aria-label', b.title || opts.labels?.more || 'Meer');
      });
      el.querySelectorAll('textarea.toastui-editor-pseudo-clipboard').forEach((t) => {
        t.setAttribute('aria-label', opts.labels?.clipboard || 'Klembord');
        t.setAttribute('tabindex', '-1');
      });
    };
    name();
    new MutationObserver(name).observe(el, { childList: true, subtree: true });
    return {
      getMarkdown: () => editor.getMarkdown(),
      setMarkdown: (text) => editor.setMarkdown(text, false),
      insertText: insert,
      focus: () => editor.focus(),
      destroy: () => editor.destroy(),
    };
  },
};
