// The visual editor: a ProseMirror view over the page body, a toolbar people understand, dialogs for links, and a
// Markdown mode (a plain textarea) for experts. Saving goes through the selective serialiser (serialize.js).
import { EditorState, TextSelection, NodeSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { Slice, Fragment } from 'prosemirror-model';
import { history, undo, redo, undoDepth, redoDepth } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { tableEditing, isInTable, addRowAfter, addColumnAfter, deleteRow, deleteColumn, deleteTable, fixTables, selectionCell } from 'prosemirror-tables';
import { sinkListItem, liftListItem } from 'prosemirror-schema-list';
import {
  Undo2, Redo2, Bold, Italic, Strikethrough, Code, List, ListOrdered, ListChecks, ListIndentIncrease, ListIndentDecrease,
  Link, FileText, MessageSquareWarning, Table, ImagePlus, SeparatorHorizontal, BetweenHorizontalEnd, BetweenVerticalEnd,
  Rows3, Columns3, Trash, ChevronDown, SquarePen,
} from 'lucide-static';
import { schema, CALLOUTS, calloutKind } from './schema.js';
import { parseMarkdown } from './markdown.js';
import { serialize } from './serialize.js';
import { labelsFor, CALLOUT_TITLES } from './labels.js';
import {
  insertCallout, removeCallout, insertWikiLink, setLink, markRange, setHeading, currentHeading, toggleList, toggleTask,
  insertTable, insertRule, insertImage, markCommand, ancestor,
} from './commands.js';
import { editorKeymap, baseKeymap, markdownInputRules, glossaryPlugin, tableAlignPlugin } from './plugins.js';

let uid = 0;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child != null) el.append(child);
  return el;
}

/** An icon from lucide-static (SVG markup bundled as a string; no request, no font). */
function icon(svg) {
  const span = h('span', { class: 'hb-icon', 'aria-hidden': 'true' });
  span.innerHTML = svg;
  const el = span.firstElementChild;
  if (el) { el.setAttribute('focusable', 'false'); el.setAttribute('width', '20'); el.setAttribute('height', '20'); }
  return span;
}

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

export function createEditor(host, markdown, options = {}) {
  const opts = options;
  const L = labelsFor(opts.language, opts.labels);
  const calloutTitles = CALLOUT_TITLES[opts.language === 'en' ? 'en' : 'nl'];
  const id = 'hb' + ++uid;
  let parsed = parseMarkdown(markdown);
  let mode = 'visual';
  let shownMarkdown = null; // the text the Markdown mode showed when it was opened
  const links = new Map(); // wiki link target → { title, exists }
  const linkViews = new Set();

  // --- DOM -----------------------------------------------------------------------------------------------------
  host.classList.add('hb-editor');
  const tabVisual = h('button', { type: 'button', role: 'tab', id: id + '-tab-v', 'aria-controls': id + '-visual', 'aria-selected': 'true', class: 'hb-tab' }, L.visual);
  const tabSource = h('button', { type: 'button', role: 'tab', id: id + '-tab-m', 'aria-controls': id + '-source', 'aria-selected': 'false', tabindex: '-1', class: 'hb-tab' }, L.markdown);
  const tabs = h('div', { role: 'tablist', 'aria-label': L.modes, class: 'hb-tabs' }, tabVisual, tabSource);
  const toolbar = h('div', { role: 'toolbar', 'aria-label': L.toolbar, 'aria-controls': id + '-content', class: 'hb-toolbar' });
  const visual = h('div', { role: 'tabpanel', id: id + '-visual', 'aria-labelledby': id + '-tab-v', class: 'hb-visual' });
  const textarea = h('textarea', { class: 'hb-textarea', 'aria-label': L.markdownText, spellcheck: 'false', id: id + '-textarea' });
  const source = h('div', { role: 'tabpanel', id: id + '-source', 'aria-labelledby': id + '-tab-m', class: 'hb-source', hidden: true }, textarea);
  const fileInput = h('input', { type: 'file', class: 'hb-file-input', tabindex: '-1', 'aria-hidden': 'true',
    accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf,.docx,.xlsx,.pptx,.odt,.doc,.xls' });
  const status = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const head = h('div', { class: 'hb-head' }, tabs, toolbar);
  host.append(head, visual, source, fileInput, status);

  // --- State and view ------------------------------------------------------------------------------------------
  const style = () => parsed.source.style;
  const actions = {
    link: () => openLinkDialog(),
    toggleTaskHere: (state, dispatch) => {
      const item = ancestor(state, schema.nodes.list_item, (n) => n.attrs.checked != null);
      return item ? toggleTask(item.pos)(state, dispatch) : false;
    },
  };

  function plugins() {
    const list = [
      markdownInputRules(style()),
      editorKeymap(style(), actions),
      keymap(baseKeymap),
      history({ newGroupDelay: 500 }),
      dropCursor(),
      gapCursor(),
      tableEditing(),
      tableAlignPlugin,
    ];
    const glossary = glossaryPlugin(opts.glossary);
    if (glossary) list.push(glossary);
    return list;
  }

  const makeState = (doc) => {
    let state = EditorState.create({ doc, plugins: plugins() });
    const fix = fixTables(state);
    if (fix) state = state.apply(fix.setMeta('addToHistory', false));
    return state;
  };

  let changeTimer = 0;
  const changed = () => { if (opts.onChange) opts.onChange(); };

  // --- Node views ---------------------------------------------------------------------------------------------
  class WikiLinkView {
    constructor(node) {
      this.node = node;
      this.dom = h('span', { class: 'wikilink hb-wikilink', role: 'link', 'data-target': node.attrs.target });
      linkViews.add(this);
      this.render();
    }
    render() {
      const info = links.get(this.node.attrs.target);
      const text = this.node.attrs.label || (info && info.title) || this.node.attrs.target;
      this.dom.textContent = text;
      const missing = info && !info.exists;
      this.dom.classList.toggle('wikilink-missing', !!missing);
      this.dom.title = (missing ? L.pageMissing + ': ' : '') + L.format('pageLinkTitle', this.node.attrs.target);
    }
    update(node) {
      if (node.type !== this.node.type) return false;
      this.node = node;
      this.dom.dataset.target = node.attrs.target;
      this.render();
      return true;
    }
    selectNode() { this.dom.classList.add('ProseMirror-selectednode'); }
    deselectNode() { this.dom.classList.remove('ProseMirror-selectednode'); }
    stopEvent() { return false; }
    ignoreMutation() { return true; }
    destroy() { linkViews.delete(this); }
  }

  class InlineSourceView {
    constructor(node) {
      const kind = node.attrs.kind;
      const src = node.attrs.src;
      const inner = /^(==|\+\+|\^|~)([\s\S]*)\1$/.exec(src);
      if (inner && ['mark', 'ins', 'sup', 'sub'].includes(kind)) {
        this.dom = h(kind, { class: 'hb-inline-source', title: L.inlineSource + ': ' + src }, inner[2]);
      } else if (kind === 'footnote') {
        this.dom = h('sup', { class: 'hb-inline-source hb-footnote', title: L.inlineSource + ': ' + src }, src.slice(2, -1));
      } else if (kind === 'html' && /^<br\s*\/?>$/i.test(src)) {
        this.dom = h('span', { class: 'hb-inline-source', title: src }, '↵');
      } else {
        this.dom = h('code', { class: 'hb-inline-source', title: L.inlineSource }, src);
      }
      this.dom.setAttribute('contenteditable', 'false');
    }
    stopEvent() { return false; }
    ignoreMutation() { return true; }
  }

  class ImageView {
    constructor(node) {
      this.dom = h('img', { src: node.attrs.src, alt: node.attrs.alt, title: node.attrs.title, class: 'hb-image' });
    }
    ignoreMutation() { return true; }
  }

  class BlockquoteView {
    constructor(node, v, getPos) {
      const kind = calloutKind(node.attrs.callout);
      if (!kind) {
        this.dom = this.contentDOM = h('blockquote');
      } else {
        const title = calloutTitles[kind] || CALLOUTS[kind].title;
        this.contentDOM = h('div', { class: 'hb-callout-body' });
        const heading = h('p', { class: 'callout-title', contenteditable: 'false' }, title);
        // A click on the box's title puts the caret at the start of its text.
        heading.addEventListener('mousedown', (e) => {
          e.preventDefault();
          const pos = getPos();
          if (pos == null) return;
          v.dispatch(v.state.tr.setSelection(TextSelection.near(v.state.doc.resolve(pos + 1))));
          v.focus();
        });
        this.dom = h('aside', { class: 'callout callout-' + CALLOUTS[kind].css, 'aria-label': title }, heading, this.contentDOM);
      }
      this.kind = kind;
    }
    update(node) { return node.type === schema.nodes.blockquote && calloutKind(node.attrs.callout) === this.kind; }
    ignoreMutation(m) { return m.type !== 'selection' && !this.contentDOM.contains(m.target); }
  }

  class ListItemView {
    constructor(node, v, getPos) {
      this.node = node;
      this.task = node.attrs.checked != null;
      if (!this.task) {
        this.dom = this.contentDOM = h('li');
        return;
      }
      this.box = h('input', { type: 'checkbox', class: 'hb-check', 'aria-label': L.checkbox });
      this.box.checked = !!node.attrs.checked;
      this.box.addEventListener('mousedown', (e) => e.preventDefault());
      this.box.addEventListener('change', () => {
        const pos = getPos();
        if (pos != null) toggleTask(pos)(v.state, v.dispatch);
        else this.box.checked = !!this.node.attrs.checked;
      });
      this.contentDOM = h('div', { class: 'hb-task-body' });
      this.dom = h('li', { class: 'task-list-item hb-task' }, h('span', { class: 'hb-check-wrap', contenteditable: 'false' }, this.box), this.contentDOM);
    }
    update(node) {
      if (node.type !== schema.nodes.list_item || (node.attrs.checked != null) !== this.task) return false;
      this.node = node;
      if (this.box) this.box.checked = !!node.attrs.checked;
      return true;
    }
    stopEvent(e) { return !!this.box && e.target === this.box; }
    ignoreMutation(m) { return m.type !== 'selection' && !this.contentDOM.contains(m.target); }
  }

  class OpaqueView {
    constructor(node, v, getPos) {
      this.node = node;
      this.getPos = getPos;
      this.body = h('div', { class: 'hb-opaque-body' });
      const edit = h('button', { type: 'button', class: 'hb-opaque-edit', onclick: () => editAsMarkdown(this.getPos()) }, icon(SquarePen), h('span', {}, L.editAsMarkdown));
      this.dom = h('div', { class: 'hb-opaque', contenteditable: 'false', title: L.opaqueTitle }, this.body, edit);
      this.render();
    }
    render() {
      const src = this.node.attrs.src;
      const fallback = () => { this.body.replaceChildren(h('pre', { class: 'hb-opaque-source' }, src)); };
      fallback();
      if (opts.renderHtml && src.trim()) {
        Promise.resolve(opts.renderHtml(src)).then((html) => {
          if (typeof html !== 'string' || !html.trim()) return;
          const box = h('div', { class: 'hb-opaque-rendered' });
          box.innerHTML = html;
          this.body.replaceChildren(box);
        }).catch(() => {});
      }
    }
    update(node) {
      if (node.type !== this.node.type) return false;
      if (node.attrs.src !== this.node.attrs.src) { this.node = node; this.render(); }
      this.node = node;
      return true;
    }
    stopEvent(e) { return e.target.closest && !!e.target.closest('button'); }
    ignoreMutation() { return true; }
  }

  // --- Wiki link titles ------------------------------------------------------------------------------------------
  let resolving = false;
  function resolveLinks() {
    if (!opts.resolveLinks || resolving) return;
    const wanted = new Set();
    view.state.doc.descendants((node) => {
      if (node.type === schema.nodes.wikilink && !links.has(node.attrs.target)) wanted.add(node.attrs.target);
      return !node.isTextblock || node.inlineContent;
    });
    if (!wanted.size) return;
    resolving = true;
    Promise.resolve(opts.resolveLinks([...wanted])).then((answer) => {
      for (const target of wanted) links.set(target, (answer && answer[target]) || { title: null, exists: false });
      linkViews.forEach((v) => v.render());
    }).catch(() => {}).finally(() => { resolving = false; });
  }

  // --- Toolbar -------------------------------------------------------------------------------------------------
  const buttons = [];
  const run = (command) => () => { command(view.state, view.dispatch, view); view.focus(); };

  function button(name, svg, label, command, { toggle = false, short = null } = {}) {
    const el = h('button', { type: 'button', class: 'hb-button', 'data-action': name, 'aria-label': label.replace(/ \(.*\)$/, ''), title: label, tabindex: '-1' },
      icon(svg), short ? h('span', { class: 'hb-label', 'aria-hidden': 'true' }, short) : null);
    if (toggle) el.setAttribute('aria-pressed', 'false');
    el.addEventListener('mousedown', (e) => e.preventDefault());
    el.addEventListener('click', () => { if (el.getAttribute('aria-disabled') !== 'true') command(); });
    buttons.push({ el, name, command });
    return el;
  }

  function menu(name, svg, label, short, items, onPick) {
    const trigger = h('button', { type: 'button', class: 'hb-button hb-menu-button', 'data-action': name, 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-label': label, title: label, tabindex: '-1' }, svg ? icon(svg) : null, h('span', { class: 'hb-label hb-menu-value' }, short), icon(ChevronDown));
    const list = h('div', { role: 'menu', class: 'hb-menu', 'aria-label': label, hidden: true });
    const entries = items.map((it) => {
      const el = h('button', { type: 'button', role: it.radio ? 'menuitemradio' : 'menuitem', class: 'hb-menu-item ' + (it.class || ''), tabindex: '-1', 'data-value': it.value }, it.label);
      el.addEventListener('mousedown', (e) => e.preventDefault());
      el.addEventListener('click', () => { close(); onPick(it.value); view.focus(); });
      list.append(el);
      return el;
    });
    const wrap = h('div', { class: 'hb-menu-wrap' }, trigger, list);
    const open = (focusLast) => {
      list.hidden = false;
      trigger.setAttribute('aria-expanded', 'true');
      const checked = entries.find((e) => e.getAttribute('aria-checked') === 'true');
      (checked || (focusLast ? entries[entries.length - 1] : entries[0])).focus();
      document.addEventListener('pointerdown', outside, true);
    };
    const close = () => {
      list.hidden = true;
      trigger.setAttribute('aria-expanded', 'false');
      document.removeEventListener('pointerdown', outside, true);
    };
    const outside = (e) => { if (!wrap.contains(e.target)) close(); };
    trigger.addEventListener('mousedown', (e) => e.preventDefault());
    trigger.addEventListener('click', () => (list.hidden ? open(false) : close()));
    trigger.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(false); }
      if (e.key === 'ArrowUp') { e.preventDefault(); open(true); }
    });
    list.addEventListener('keydown', (e) => {
      const i = entries.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); entries[(i + 1) % entries.length].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); entries[(i - 1 + entries.length) % entries.length].focus(); }
      else if (e.key === 'Home') { e.preventDefault(); entries[0].focus(); }
      else if (e.key === 'End') { e.preventDefault(); entries[entries.length - 1].focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); close(); trigger.focus(); }
      else if (e.key === 'Tab') close();
    });
    buttons.push({ el: trigger, name, menu: { entries, close } });
    return wrap;
  }

  /** Runs a table command, then puts the caret in the row below / the column to the right (where the new cells are). */
  function andMove(command, where) {
    return (state, dispatch) => {
      const $cell = selectionCell(state);
      const row = $cell.index(-1);
      const col = $cell.index();
      return command(state, dispatch && ((tr) => {
        const tablePos = $cell.before(-1);
        const table = tr.doc.nodeAt(tablePos);
        const r = Math.min(table.childCount - 1, where === 'row' ? row + 1 : row);
        let pos = tablePos + 1;
        for (let k = 0; k < r; k++) pos += table.child(k).nodeSize;
        const rowNode = table.child(r);
        const c = Math.min(rowNode.childCount - 1, where === 'column' ? col + 1 : 0);
        pos += 1;
        for (let k = 0; k < c; k++) pos += rowNode.child(k).nodeSize;
        dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 1)).scrollIntoView());
      }));
    };
  }

  const headingItems = [0, 2, 3, 4].map((level) => ({ value: level, radio: true, class: 'hb-style-' + level, label: level ? L.format('heading', level) : L.paragraph }));
  const group = (...items) => h('div', { class: 'hb-group', role: 'group' }, ...items);
  const tableGroup = group(
    h('span', { class: 'hb-group-caption', 'aria-hidden': 'true' }, L.tableShort + ':'),
    button('rowAfter', BetweenHorizontalEnd, L.rowAfter, run(andMove(addRowAfter, 'row'))),
    button('columnAfter', BetweenVerticalEnd, L.columnAfter, run(andMove(addColumnAfter, 'column'))),
    button('deleteRow', Rows3, L.deleteRow, run(deleteRow)),
    button('deleteColumn', Columns3, L.deleteColumn, run(deleteColumn)),
    button('deleteTable', Trash, L.deleteTable, run(deleteTable)),
  );
  tableGroup.classList.add('hb-table-tools');
  toolbar.append(
    group(button('undo', Undo2, L.undo, run(undo)), button('redo', Redo2, L.redo, run(redo))),
    group(menu('heading', null, L.blockStyle, L.paragraph, headingItems, (level) => run(setHeading(level))())),
    group(
      button('bold', Bold, L.bold, run(markCommand('strong', style())), { toggle: true }),
      button('italic', Italic, L.italic, run(markCommand('em', style())), { toggle: true }),
      button('strike', Strikethrough, L.strike, run(markCommand('strike', style())), { toggle: true }),
      button('code', Code, L.code, run(markCommand('code', style())), { toggle: true }),
    ),
    group(
      button('bulletList', List, L.bulletList, run(toggleList('bullet', style())), { toggle: true }),
      button('orderedList', ListOrdered, L.orderedList, run(toggleList('ordered', style())), { toggle: true }),
      button('taskList', ListChecks, L.taskList, run(toggleList('task', style())), { toggle: true }),
      button('outdent', ListIndentDecrease, L.outdent, run(liftListItem(schema.nodes.list_item))),
      button('indent', ListIndentIncrease, L.indent, run(sinkListItem(schema.nodes.list_item))),
    ),
    group(
      button('link', Link, L.link, () => openLinkDialog(), { short: L.linkShort }),
      button('wikiLink', FileText, L.wikiLink, () => openPageDialog(null, null), { short: L.wikiLinkShort }),
      menu('callout', MessageSquareWarning, L.calloutMenu, L.callout, [
        ...Object.keys(CALLOUTS).map((k) => ({ value: k, label: calloutTitles[k], class: 'hb-callout-item callout-' + CALLOUTS[k].css })),
        { value: '', label: L.calloutNone },
      ], (kind) => run(kind ? insertCallout(kind) : removeCallout)()),
      button('table', Table, L.table, run(insertTable(3, 3)), { short: L.tableShort }),
      button('image', ImagePlus, L.image, () => fileInput.click(), { short: L.imageShort }),
      button('rule', SeparatorHorizontal, L.rule, run(insertRule)),
    ),
    tableGroup,
  );

  // Roving focus: one toolbar control is in the tab order; arrow keys move between them.
  let current = 0;
  const focusable = () => buttons.map((b) => b.el).filter((el) => !el.closest('[hidden]')); // no layout read: cheap at open
  const rove = (el) => {
    for (const b of buttons) b.el.tabIndex = -1;
    el.tabIndex = 0;
    current = Math.max(0, focusable().indexOf(el));
  };
  toolbar.addEventListener('keydown', (e) => {
    if (e.target.closest('.hb-menu')) return;
    const list = focusable();
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % list.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + list.length) % list.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = list.length - 1;
    else if (e.key === 'Escape') { e.preventDefault(); view.focus(); return; }
    if (next >= 0) { e.preventDefault(); rove(list[next]); list[next].focus(); }
  });
  toolbar.addEventListener('focusin', (e) => { const b = e.target.closest('.hb-button'); if (b) rove(b); });

  function markActive(state, type) {
    const { from, $from, to, empty } = state.selection;
    if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
    return state.doc.rangeHasMark(from, to, type);
  }

  function updateToolbar() {
    const state = view.state;
    const list = ancestor(state, schema.nodes.bullet_list) || ancestor(state, schema.nodes.ordered_list);
    const task = !!list && list.node.firstChild.attrs.checked != null;
    const pressed = {
      bold: markActive(state, schema.marks.strong),
      italic: markActive(state, schema.marks.em),
      strike: markActive(state, schema.marks.strike),
      code: markActive(state, schema.marks.code),
      bulletList: !!list && list.node.type === schema.nodes.bullet_list && !task,
      orderedList: !!list && list.node.type === schema.nodes.ordered_list,
      taskList: task,
    };
    const inTable = isInTable(state);
    const can = {
      undo: undoDepth(state) > 0,
      redo: redoDepth(state) > 0,
      indent: sinkListItem(schema.nodes.list_item)(state),
      outdent: liftListItem(schema.nodes.list_item)(state),
      table: !inTable,
    };
    for (const b of buttons) {
      if (b.name in pressed) b.el.setAttribute('aria-pressed', String(pressed[b.name]));
      if (b.name in can) b.el.setAttribute('aria-disabled', String(!can[b.name]));
    }
    tableGroup.hidden = !inTable;
    const level = currentHeading(state);
    const headingButton = buttons.find((b) => b.name === 'heading');
    const known = headingItems.find((it) => it.value === level);
    const styleName = known ? known.label : L.format('heading', level);
    headingButton.el.querySelector('.hb-menu-value').textContent = styleName;
    headingButton.el.setAttribute('aria-label', L.blockStyle + ': ' + styleName);
    headingButton.menu.entries.forEach((e) => e.setAttribute('aria-checked', String(+e.dataset.value === level)));
    const callout = ancestor(state, schema.nodes.blockquote, (n) => !!n.attrs.callout);
    const calloutButton = buttons.find((b) => b.name === 'callout');
    calloutButton.menu.entries.forEach((e) => e.setAttribute('aria-current', String(!!callout && calloutKind(callout.node.attrs.callout) === e.dataset.value)));
  }

  // --- Dialogs -------------------------------------------------------------------------------------------------
  function dialog(title, body, actionsRow) {
    const heading = h('h2', { id: id + '-dlg-' + ++uid, class: 'hb-dialog-title' }, title);
    const form = h('form', { method: 'dialog', class: 'hb-dialog-form' }, heading, body, h('div', { class: 'hb-dialog-actions' }, ...actionsRow));
    const dlg = h('dialog', { class: 'hb-dialog', 'aria-labelledby': heading.id }, form);
    host.append(dlg);
    dlg.addEventListener('close', () => { dlg.remove(); if (mode === 'visual') view.focus(); });
    dlg.showModal();
    return { dlg, form };
  }

  const field = (label, input) => h('label', { class: 'hb-field' }, h('span', {}, label), input);

  function openLinkDialog() {
    const state = view.state;
    const { from, to, empty } = state.selection;
    const range = empty ? markRange(state.selection.$from, schema.marks.link) : null;
    const existing = range ? range.mark : state.doc.rangeHasMark(from, to, schema.marks.link) ? (() => {
      let m = null;
      state.doc.nodesBetween(from, to, (n) => { m = m || schema.marks.link.isInSet(n.marks); });
      return m;
    })() : null;
    const selected = range ? state.doc.textBetween(range.from, range.to) : state.doc.textBetween(from, to, ' ');
    const url = h('input', { type: 'url', name: 'url', required: true, value: existing ? existing.attrs.href : 'https://', autocomplete: 'url', inputmode: 'url' });
    const text = h('input', { type: 'text', name: 'text', value: selected });
    const ok = h('button', { type: 'submit', value: 'ok', class: 'primary' }, existing ? L.apply : L.insert);
    const removeButton = existing ? h('button', { type: 'submit', value: 'remove', class: 'secondary', formnovalidate: true }, L.remove) : null;
    const cancel = h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, L.cancel);
    const { dlg } = dialog(L.linkDialog, h('div', {}, field(L.linkUrl, url), field(L.linkText, text)), [ok, removeButton, cancel]);
    url.focus();
    url.select();
    dlg.addEventListener('close', () => {
      if (dlg.returnValue === 'cancel' || !dlg.returnValue) return;
      if (range) view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, range.from, range.to)));
      if (dlg.returnValue === 'remove') setLink('', null)(view.state, view.dispatch);
      else if (url.value.trim() && url.value.trim() !== 'https://') setLink(url.value.trim(), text.value)(view.state, view.dispatch);
    });
  }

  function openPageDialog(node, nodePos) {
    const search = h('input', { type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id + '-pages', autocomplete: 'off',
      value: node ? node.attrs.target : view.state.doc.textBetween(view.state.selection.from, view.state.selection.to, ' ') });
    const results = h('ul', { role: 'listbox', id: id + '-pages', class: 'hb-page-results', 'aria-label': L.pageResults });
    const label = h('input', { type: 'text', value: node && node.attrs.label ? node.attrs.label : '' });
    const hint = h('p', { class: 'hb-hint', 'aria-live': 'polite' });
    const ok = h('button', { type: 'submit', value: 'ok', class: 'primary' }, node ? L.apply : L.insert);
    const cancel = h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, L.cancel);
    const { dlg, form } = dialog(L.pageDialog, h('div', {}, field(L.pageSearch, search), results, hint, field(L.pageLabel, label)), [ok, cancel]);
    let options = [];
    let active = -1;
    let chosen = node ? node.attrs.target : null;
    const choose = (i) => {
      active = i;
      options.forEach((o, k) => o.el.setAttribute('aria-selected', String(k === i)));
      if (i >= 0) {
        search.setAttribute('aria-activedescendant', options[i].el.id);
        options[i].el.scrollIntoView({ block: 'nearest' });
        chosen = options[i].path;
      } else search.removeAttribute('aria-activedescendant');
    };
    let timer = 0;
    let asked = 0;
    const lookup = () => {
      const q = search.value.trim();
      const ticket = ++asked;
      const show = (pages) => {
        if (ticket !== asked) return;
        results.replaceChildren();
        options = (pages || []).slice(0, 12).map((p, k) => {
          const el = h('li', { role: 'option', id: id + '-opt-' + k, 'aria-selected': 'false', class: 'hb-page-option' },
            h('span', { class: 'hb-page-title' }, p.title || p.path), h('span', { class: 'hb-page-path' }, p.path));
          el.addEventListener('mousedown', (e) => e.preventDefault());
          el.addEventListener('click', () => { choose(k); search.value = p.title || p.path; chosen = p.path; form.requestSubmit(ok); });
          return { el, path: p.path };
        });
        if (q && !options.some((o) => o.path === q.toLowerCase())) {
          const path = q.toLowerCase().replace(/\s+/g, '-');
          const el = h('li', { role: 'option', id: id + '-opt-new', 'aria-selected': 'false', class: 'hb-page-option hb-page-new' }, L.format('pageNew', path));
          el.addEventListener('mousedown', (e) => e.preventDefault());
          el.addEventListener('click', () => { chosen = path; form.requestSubmit(ok); });
          options.push({ el, path, isNew: true });
        }
        options.forEach((o) => results.append(o.el));
        search.setAttribute('aria-expanded', String(options.length > 0));
        hint.textContent = pages && pages.length ? '' : q ? L.pageNone : '';
        chosen = null;
        if (options.length) choose(0);
      };
      if (!opts.searchPages) { show([]); return; }
      Promise.resolve(opts.searchPages(q)).then(show).catch(() => show([]));
    };
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lookup, 150); });
    search.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && options.length) { e.preventDefault(); choose((active + 1) % options.length); }
      else if (e.key === 'ArrowUp' && options.length) { e.preventDefault(); choose((active - 1 + options.length) % options.length); }
      else if (e.key === 'Enter') { e.preventDefault(); if (active >= 0) chosen = options[active].path; form.requestSubmit(ok); }
    });
    search.focus();
    search.select();
    lookup();
    dlg.addEventListener('close', () => {
      if (dlg.returnValue !== 'ok' || !chosen) return;
      const state = view.state;
      let command = insertWikiLink(chosen, label.value.trim() || null);
      if (node && nodePos != null && state.doc.nodeAt(nodePos) && state.doc.nodeAt(nodePos).type === schema.nodes.wikilink) {
        // Changing a link keeps the way it was written where the worker changed nothing.
        const target = chosen === node.attrs.target ? node.attrs.target : chosen;
        const labelText = label.value.trim() || null;
        view.dispatch(state.tr.setNodeMarkup(nodePos, null, { target, label: labelText }));
        return;
      }
      command(view.state, view.dispatch);
    });
  }

  // --- Uploads -----------------------------------------------------------------------------------------------
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (file) uploadFile(file);
  });

  async function uploadFile(file) {
    if (!opts.upload) return;
    status.textContent = L.uploading;
    try {
      const result = await opts.upload(file);
      if (!result || !result.url) return;
      const isImage = IMAGE.test(result.url);
      if (mode === 'markdown') {
        const text = isImage ? `![${result.alt || L.image_alt}](${result.url})` : `[${result.name || result.url}](${result.url})`;
        textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
        textarea.dispatchEvent(new Event('input'));
      } else if (isImage) {
        insertImage(result.url, result.alt || L.image_alt)(view.state, view.dispatch);
      } else {
        setLink(result.url, result.name || result.url)(view.state, view.dispatch);
      }
      status.textContent = '';
      if (opts.onUploaded) opts.onUploaded(result.name || result.url);
    } catch (e) {
      status.textContent = '';
      if (opts.onError) opts.onError(String((e && e.message) || e));
    }
  }

  // --- Modes ---------------------------------------------------------------------------------------------------
  /** Puts the Markdown mode's caret at `at` and scrolls the page (the text area grows with its text) to it. */
  function reveal(at) {
    textarea.setSelectionRange(at, at);
    textarea.focus({ preventScroll: true });
    const line = textarea.value.slice(0, at).split('\n').length - 1;
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 24;
    const top = textarea.getBoundingClientRect().top + window.scrollY + line * lineHeight - head.offsetHeight - 80;
    window.scrollTo({ top: Math.max(0, top) });
  }

  /** Where the top-level block `node` (at `pos`) starts in the Markdown text, found by its own text. */
  function offsetOf(node, pos, text) {
    const needle = node.type === schema.nodes.opaque_block ? node.attrs.src : (node.textContent || '').trim().slice(0, 24);
    if (!needle) return -1;
    let nth = 0;
    view.state.doc.forEach((child, offset) => {
      if (offset < pos && (child.type === schema.nodes.opaque_block ? child.attrs.src : child.textContent).includes(needle)) nth++;
    });
    let at = -1;
    for (let k = 0; k <= nth; k++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) return -1;
    }
    return node.type === schema.nodes.opaque_block ? at : text.lastIndexOf('\n', at) + 1;
  }

  function editAsMarkdown(pos) {
    const node = pos != null ? view.state.doc.nodeAt(pos) : null;
    setMode('markdown', node ? { node, pos } : null);
  }

  function setMode(next, at) {
    if (next === mode) return;
    let caret = 0;
    if (next === 'markdown') {
      shownMarkdown = getMarkdown();
      textarea.value = shownMarkdown;
      // The caret goes to the block the visual caret was in.
      const $from = view.state.selection.$from;
      const target = at || ($from.depth >= 1 ? { node: $from.node(1), pos: $from.before(1) } : null);
      caret = target ? Math.max(0, offsetOf(target.node, target.pos, shownMarkdown)) : 0;
      mode = 'markdown';
    } else {
      const text = textarea.value;
      // Only a changed text is read again: back and forth without typing changes nothing.
      if (text !== shownMarkdown) load(text);
      mode = 'visual';
    }
    visual.hidden = mode !== 'visual';
    toolbar.hidden = mode !== 'visual';
    source.hidden = mode !== 'markdown';
    tabVisual.setAttribute('aria-selected', String(mode === 'visual'));
    tabSource.setAttribute('aria-selected', String(mode === 'markdown'));
    tabVisual.tabIndex = mode === 'visual' ? 0 : -1;
    tabSource.tabIndex = mode === 'markdown' ? 0 : -1;
    host.dataset.mode = mode;
    if (mode === 'markdown') reveal(caret); else view.focus();
  }

  tabVisual.addEventListener('click', () => setMode('visual'));
  tabSource.addEventListener('click', () => setMode('markdown'));
  tabs.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const target = (e.key === 'ArrowRight' || e.key === 'End') ? tabSource : tabVisual;
      const other = target === tabSource ? tabVisual : tabSource;
      const next = document.activeElement === target && (e.key === 'ArrowRight' || e.key === 'ArrowLeft') ? other : target;
      setMode(next === tabSource ? 'markdown' : 'visual');
      next.focus();
    }
  });
  textarea.addEventListener('input', () => changed());

  // --- API -----------------------------------------------------------------------------------------------------
  function load(text) {
    parsed = parseMarkdown(text);
    view.updateState(makeState(parsed.doc));
    updateToolbar();
    resolveLinks();
  }

  function getMarkdown() {
    if (mode === 'markdown') return textarea.value;
    return serialize(view.state.doc, parsed.source);
  }

  function setMarkdown(text) {
    if (mode === 'markdown') { textarea.value = text; shownMarkdown = text; }
    load(text);
  }

  /** Inserts Markdown at the caret: as text in the Markdown mode, as what it means in the visual one. */
  function insertText(text) {
    if (mode === 'markdown') {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
      textarea.dispatchEvent(new Event('input'));
      textarea.focus();
      return;
    }
    const doc = parseMarkdown(text.trim()).doc;
    const only = doc.childCount === 1 && doc.firstChild.type === schema.nodes.paragraph ? doc.firstChild.content : null;
    const tr = only ? view.state.tr.replaceSelection(new Slice(only, 0, 0)) : view.state.tr.replaceSelection(new Slice(Fragment.from(doc.content), 0, 0));
    view.dispatch(tr.scrollIntoView());
    view.focus();
  }

  const view = new EditorView(visual, {
    state: makeState(parsed.doc),
    attributes: { class: 'page-body hb-content', role: 'textbox', 'aria-multiline': 'true', 'aria-label': L.editorText, id: id + '-content', spellcheck: 'true', lang: opts.language === 'en' ? 'en' : 'nl' },
    nodeViews: {
      wikilink: (node, v, getPos) => new WikiLinkView(node, v, getPos),
      opaque_block: (node, v, getPos) => new OpaqueView(node, v, getPos),
      inline_src: (node) => new InlineSourceView(node),
      list_item: (node, v, getPos) => new ListItemView(node, v, getPos),
      blockquote: (node, v, getPos) => new BlockquoteView(node, v, getPos),
      image: (node) => new ImageView(node),
    },
    scrollMargin: { top: 80, bottom: 140, left: 5, right: 5 },
    scrollThreshold: { top: 80, bottom: 140, left: 0, right: 0 },
    dispatchTransaction(tr) {
      const state = view.state.apply(tr);
      view.updateState(state);
      updateToolbar();
      if (tr.docChanged) {
        resolveLinks();
        changed();
      }
      if (tr.selectionSet || tr.docChanged) {
        clearTimeout(changeTimer);
        changeTimer = setTimeout(() => { if (opts.onCursor) opts.onCursor(state.selection.$from.index(0)); }, 250);
      }
    },
    handleClickOn(v, pos, node, nodePos, event, direct) {
      if (direct && node.type === schema.nodes.wikilink) {
        v.dispatch(v.state.tr.setSelection(NodeSelection.create(v.state.doc, nodePos)));
        openPageDialog(node, nodePos);
        return true;
      }
      return false;
    },
    handleKeyDown(v, event) {
      const sel = v.state.selection;
      if (event.key === 'Enter' && sel instanceof NodeSelection && sel.node.type === schema.nodes.wikilink) {
        openPageDialog(sel.node, sel.from);
        return true;
      }
      return false;
    },
    handlePaste(v, event) {
      const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
      if (!files.length) return false;
      files.forEach((f) => uploadFile(f));
      return true;
    },
    handleDrop(v, event) {
      const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
      if (!files.length) return false;
      const at = v.posAtCoords({ left: event.clientX, top: event.clientY });
      if (at) v.dispatch(v.state.tr.setSelection(TextSelection.create(v.state.doc, at.pos)));
      files.forEach((f) => uploadFile(f));
      return true;
    },
  });

  // Keep the caret clear of the sticky toolbar and the page's save bar when the view scrolls to it.
  const margins = () => {
    const bar = document.querySelector('.save-bar');
    const top = head.offsetHeight + 12;
    const bottom = (bar ? bar.offsetHeight : 0) + 24;
    view.setProps({ scrollMargin: { top, bottom, left: 5, right: 5 }, scrollThreshold: { top, bottom, left: 0, right: 0 } });
  };
  // The observer reports once the page is laid out (reading offsetHeight here would force that layout early).
  const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(margins) : null;
  if (resize) resize.observe(head);

  updateToolbar();
  const first = focusable()[0];
  if (first) rove(first);
  resolveLinks();

  return {
    getMarkdown,
    setMarkdown,
    insertText,
    focus: () => (mode === 'markdown' ? textarea.focus() : view.focus()),
    destroy: () => { if (resize) resize.disconnect(); view.destroy(); host.replaceChildren(); host.classList.remove('hb-editor'); },
    getMode: () => mode,
    setMode,
    view,
  };
}
