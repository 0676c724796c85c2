// The document model of the visual editor. Every construct the handbook's Markdown uses has a node or mark here;
// style choices that Markdown allows but a reader does not see (bullet character, emphasis character, fence,
// setext or ATX heading, tight or loose list) are attributes, so a block the worker did not touch can be written
// back exactly as it was and a new block can follow the file's own style. Needs no DOM: the serialiser tests run
// this in Node.
import { Schema } from 'prosemirror-model';
import { tableNodes } from 'prosemirror-tables';

/** The call-out kinds of Rendering/Callouts/CalloutExtension.cs: marker → (css suffix, visible title). */
export const CALLOUTS = {
  'LET OP': { css: 'letop', title: 'Let op' },
  TIP: { css: 'tip', title: 'Tip' },
  WETGEVING: { css: 'wetgeving', title: 'Wetgeving' },
  INFO: { css: 'info', title: 'Info' },
};

export function calloutKind(marker) {
  const key = String(marker || '').trim().toUpperCase();
  return CALLOUTS[key] ? key : null;
}

const alignClass = (align) => (align ? 'align-' + align : null);

const table = tableNodes({
  tableGroup: 'block',
  cellContent: 'inline*',
  cellAttributes: {
    align: {
      default: null,
      getFromDOM: (dom) => ['left', 'center', 'right'].find((a) => dom.classList.contains('align-' + a)) || null,
      setDOMAttr: (value, attrs) => { if (value) attrs.class = alignClass(value); },
    },
  },
});

export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: {
      group: 'block',
      content: 'inline*',
      parseDOM: [{ tag: 'p' }],
      toDOM: () => ['p', 0],
    },
    heading: {
      group: 'block',
      content: 'inline*',
      defining: true,
      // setext: null for "## Title", '=' or '-' for an underlined title.
      attrs: { level: { default: 2 }, setext: { default: null } },
      parseDOM: [1, 2, 3, 4, 5, 6].map((level) => ({ tag: 'h' + level, attrs: { level } })),
      toDOM: (node) => ['h' + node.attrs.level, 0],
    },
    blockquote: {
      group: 'block',
      content: 'block+',
      defining: true,
      // callout: null for a plain quote, else the marker as written ("LET OP", "tip", …).
      attrs: { callout: { default: null } },
      parseDOM: [
        { tag: 'aside[data-callout]', contentElement: '.callout-body', getAttrs: (dom) => ({ callout: dom.getAttribute('data-callout') }) },
        { tag: 'blockquote' },
      ],
      toDOM(node) {
        const kind = calloutKind(node.attrs.callout);
        if (!kind) return ['blockquote', 0];
        const info = CALLOUTS[kind];
        return ['aside', { class: 'callout callout-' + info.css, 'data-callout': kind },
          ['p', { class: 'callout-title', contenteditable: 'false' }, info.title], ['div', { class: 'callout-body' }, 0]];
      },
    },
    code_block: {
      group: 'block',
      content: 'text*',
      marks: '',
      code: true,
      defining: true,
      // fence: null for an indented block, else the fence as written ("```", "~~~~").
      attrs: { fence: { default: '```' }, info: { default: '' } },
      parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
      toDOM: () => ['pre', ['code', 0]],
    },
    horizontal_rule: {
      group: 'block',
      attrs: { markup: { default: '---' } },
      parseDOM: [{ tag: 'hr' }],
      toDOM: () => ['hr'],
    },
    bullet_list: {
      group: 'block',
      content: 'list_item+',
      attrs: { bullet: { default: '-' }, tight: { default: true } },
      parseDOM: [{ tag: 'ul' }],
      toDOM: (node) => ['ul', { class: node.firstChild && node.firstChild.attrs.checked != null ? 'task-list' : null }, 0],
    },
    ordered_list: {
      group: 'block',
      content: 'list_item+',
      attrs: { order: { default: 1 }, delim: { default: '.' }, tight: { default: true } },
      parseDOM: [{ tag: 'ol', getAttrs: (dom) => ({ order: dom.hasAttribute('start') ? +dom.getAttribute('start') : 1 }) }],
      toDOM: (node) => ['ol', node.attrs.order === 1 ? {} : { start: node.attrs.order }, 0],
    },
    list_item: {
      content: 'block+',
      defining: true,
      // checked: null for an ordinary item, true/false for a task; checkChar keeps "x" or "X".
      attrs: { checked: { default: null }, checkChar: { default: 'x' } },
      parseDOM: [{
        tag: 'li',
        getAttrs: (dom) => (dom.hasAttribute('data-checked') ? { checked: dom.getAttribute('data-checked') === 'true' } : {}),
      }],
      toDOM: (node) => ['li', node.attrs.checked == null ? {} : { class: 'task-list-item', 'data-checked': String(node.attrs.checked) }, 0],
    },
    // Whatever the visual mode cannot show faithfully: kept byte for byte, shown rendered, edited as Markdown.
    opaque_block: {
      group: 'block',
      atom: true,
      selectable: true,
      attrs: { src: { default: '' }, kind: { default: 'markdown' } },
      parseDOM: [{ tag: 'pre.opaque-source', priority: 60, preserveWhitespace: 'full', getAttrs: (dom) => ({ src: dom.textContent, kind: dom.getAttribute('data-kind') || 'markdown' }) }],
      toDOM: (node) => ['pre', { class: 'opaque-source', 'data-kind': node.attrs.kind }, node.attrs.src],
    },
    ...table,
    text: { group: 'inline' },
    // A line break inside a paragraph as written (hard-wrapped text): invisible, kept so the lines stay lines.
    softbreak: {
      group: 'inline',
      inline: true,
      atom: true,
      selectable: false,
      toDOM: () => ['span', { class: 'softbreak' }, ' '],
    },
    hard_break: {
      group: 'inline',
      inline: true,
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: () => ['br'],
    },
    image: {
      group: 'inline',
      inline: true,
      draggable: true,
      attrs: { src: {}, alt: { default: '' }, title: { default: null } },
      parseDOM: [{ tag: 'img[src]', getAttrs: (dom) => ({ src: dom.getAttribute('src'), alt: dom.getAttribute('alt') || '', title: dom.getAttribute('title') }) }],
      toDOM: (node) => ['img', { src: node.attrs.src, alt: node.attrs.alt, title: node.attrs.title }],
    },
    // [[target]] or [[target|label]]; shown as the page's title.
    wikilink: {
      group: 'inline',
      inline: true,
      atom: true,
      attrs: { target: {}, label: { default: null } },
      // Copy and paste inside the editor goes through these two.
      parseDOM: [{ tag: 'a.wikilink[data-target]', priority: 60, getAttrs: (dom) => ({ target: dom.getAttribute('data-target'), label: dom.getAttribute('data-label') || null }) }],
      toDOM: (node) => ['a', { class: 'wikilink', 'data-target': node.attrs.target, 'data-label': node.attrs.label }, node.attrs.label || node.attrs.target],
    },
    // Inline syntax the visual mode keeps as written: inline HTML, footnote references, ==mark==, ^sup^ …
    inline_src: {
      group: 'inline',
      inline: true,
      atom: true,
      attrs: { src: {}, kind: { default: 'html' } },
      parseDOM: [{ tag: 'code.inline-source[data-src]', priority: 60, getAttrs: (dom) => ({ src: dom.getAttribute('data-src'), kind: dom.getAttribute('data-kind') || 'html' }) }],
      toDOM: (node) => ['code', { class: 'inline-source', 'data-src': node.attrs.src, 'data-kind': node.attrs.kind }, node.attrs.src],
    },
  },
  marks: {
    link: {
      attrs: { href: {}, title: { default: null }, auto: { default: false } },
      inclusive: false,
      parseDOM: [{ tag: 'a[href]', getAttrs: (dom) => ({ href: dom.getAttribute('href'), title: dom.getAttribute('title') }) }],
      toDOM: (mark) => ['a', { href: mark.attrs.href, title: mark.attrs.title, class: 'external-link' }, 0],
    },
    em: {
      attrs: { markup: { default: '*' } },
      parseDOM: [{ tag: 'i' }, { tag: 'em' }],
      toDOM: () => ['em', 0],
    },
    strong: {
      attrs: { markup: { default: '**' } },
      parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
      toDOM: () => ['strong', 0],
    },
    strike: {
      attrs: { markup: { default: '~~' } },
      parseDOM: [{ tag: 's' }, { tag: 'del' }],
      toDOM: () => ['s', 0],
    },
    code: {
      attrs: { markup: { default: '`' } },
      parseDOM: [{ tag: 'code' }],
      toDOM: () => ['code', 0],
    },
  },
});

/**
 * Attributes that only record how something was written. Two documents that differ only in these read the same,
 * so the final check of a save ignores them.
 */
export const STYLE_ATTRS = {
  heading: ['setext'],
  code_block: ['fence'],
  horizontal_rule: ['markup'],
  bullet_list: ['bullet', 'tight'],
  ordered_list: ['delim', 'tight'],
  list_item: ['checkChar'],
  em: ['markup'],
  strong: ['markup'],
  strike: ['markup'],
  code: ['markup'],
  link: ['auto'],
};
