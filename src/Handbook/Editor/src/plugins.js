// ProseMirror plugins of the visual mode: keys, input rules, glossary marks, table alignment.
import { Plugin, PluginKey, TextSelection } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands, exitCode } from 'prosemirror-commands';
import { undo, redo } from 'prosemirror-history';
import { inputRules, wrappingInputRule, textblockTypeInputRule, InputRule, undoInputRule } from 'prosemirror-inputrules';
import { splitListItem, sinkListItem, liftListItem } from 'prosemirror-schema-list';
import { goToNextCell, isInTable, addRowAfter, selectionCell } from 'prosemirror-tables';
import { schema } from './schema.js';
import { markCommand, ancestor } from './commands.js';

const inCell = (state) => {
  const { $from } = state.selection;
  const role = $from.parent.type.spec.tableRole;
  return role === 'cell' || role === 'header_cell';
};

/** Enter in a table cell: to the cell below, adding a row at the end (a cell holds one line of Markdown). */
function enterInCell(state, dispatch) {
  if (!inCell(state)) return false;
  const $cell = selectionCell(state);
  const table = $cell.node(-1);
  const rowIndex = $cell.index(-1);
  const colIndex = $cell.index();
  let tr = state.tr;
  let doc = state.doc;
  if (rowIndex === table.childCount - 1) {
    let next;
    addRowAfter(state, (t) => { next = t; });
    if (!next) return true;
    tr = next;
    doc = tr.doc;
  }
  const tablePos = $cell.before(-1);
  const newTable = doc.nodeAt(tablePos);
  let pos = tablePos + 1;
  for (let r = 0; r <= rowIndex; r++) pos += newTable.child(r).nodeSize;
  const row = newTable.child(rowIndex + 1);
  pos += 1;
  for (let c = 0; c < Math.min(colIndex, row.childCount - 1); c++) pos += row.child(c).nodeSize;
  if (dispatch) dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 1)).scrollIntoView());
  return true;
}

const hardBreak = (state, dispatch) => {
  if (inCell(state)) return true;
  if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
  return true;
};

export function editorKeymap(style, actions) {
  const item = schema.nodes.list_item;
  return keymap({
    'Mod-z': undo,
    'Mod-y': redo,
    'Shift-Mod-z': redo,
    'Mod-b': markCommand('strong', style),
    'Mod-i': markCommand('em', style),
    'Mod-k': (state) => { actions.link(); return true; },
    'Mod-Enter': chainCommands(exitCode, (state, dispatch) => actions.toggleTaskHere(state, dispatch)),
    Backspace: undoInputRule,
    Enter: chainCommands(enterInCell, splitListItem(item)),
    'Shift-Enter': hardBreak,
    Tab: (state, dispatch) => (isInTable(state) ? goToNextCell(1)(state, dispatch) : ancestor(state, item) ? sinkListItem(item)(state, dispatch) || true : false),
    'Shift-Tab': (state, dispatch) => (isInTable(state) ? goToNextCell(-1)(state, dispatch) : ancestor(state, item) ? liftListItem(item)(state, dispatch) || true : false),
  });
}

export { baseKeymap };

/** "- ", "1. ", "## ", "> ", "[ ] " at the start of a paragraph, for those who know Markdown. */
export function markdownInputRules(style) {
  const task = new InputRule(/^\[([ xX])\]\s$/, (state, match, start, end) => {
    const checked = match[1] !== ' ';
    const inItem = ancestor(state, schema.nodes.list_item);
    const tr = state.tr.delete(start, end);
    if (inItem && state.selection.$from.parent === inItem.node.firstChild) {
      return tr.setNodeMarkup(inItem.pos, null, { ...inItem.node.attrs, checked });
    }
    const $start = tr.doc.resolve(start);
    const range = $start.blockRange();
    if (!range) return null;
    const list = schema.nodes.bullet_list.create({ bullet: style.bullet || '-', tight: true },
      schema.nodes.list_item.create({ checked }, $start.parent.copy($start.parent.content)));
    return tr.replaceWith(range.start, range.end, list).setSelection(TextSelection.create(tr.doc, range.start + 3));
  });
  return inputRules({
    rules: [
      task,
      wrappingInputRule(/^\s*([-+*])\s$/, schema.nodes.bullet_list, (m) => ({ bullet: m[1], tight: true })),
      wrappingInputRule(/^(\d+)([.)])\s$/, schema.nodes.ordered_list, (m) => ({ order: +m[1], delim: m[2], tight: true }),
        (m, node) => node.childCount + node.attrs.order === +m[1]),
      textblockTypeInputRule(/^(#{1,6})\s$/, schema.nodes.heading, (m) => ({ level: m[1].length })),
      wrappingInputRule(/^\s*>\s$/, schema.nodes.blockquote),
    ],
  });
}

/** Acronyms of the glossary get a dotted underline and their expansion as a tooltip (decorations only). */
export function glossaryPlugin(glossary) {
  const entries = Object.entries(glossary || {}).filter(([k, v]) => k && v);
  if (!entries.length) return null;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp('(?<![\\p{L}\\p{N}])(' + entries.map(([k]) => escape(k)).sort((a, b) => b.length - a.length).join('|') + ')(?![\\p{L}\\p{N}])', 'gu');
  const map = new Map(entries);
  const inBlock = (block, pos, out) => {
    if (block.type === schema.nodes.heading) return;
    block.forEach((child, offset) => {
      if (!child.isText || child.marks.some((m) => m.type === schema.marks.link || m.type === schema.marks.code)) return;
      pattern.lastIndex = 0;
      let m;
      while ((m = pattern.exec(child.text))) {
        const from = pos + 1 + offset + m.index;
        out.push(Decoration.inline(from, from + m[0].length, { class: 'hb-acronym', title: map.get(m[0]) }));
      }
    });
  };
  const all = (doc) => {
    const out = [];
    doc.descendants((node, pos) => {
      if (node.isTextblock) { inBlock(node, pos, out); return false; }
      return true;
    });
    return DecorationSet.create(doc, out);
  };
  return new Plugin({
    key: new PluginKey('glossary'),
    state: {
      init: (_, state) => all(state.doc),
      apply(tr, set) {
        if (!tr.docChanged) return set;
        set = set.map(tr.mapping, tr.doc);
        // Only the textblocks the transaction touched are looked at again.
        const ranges = [];
        tr.mapping.maps.forEach((stepMap, k) => {
          stepMap.forEach((oldStart, oldEnd, newStart, newEnd) => {
            const rest = tr.mapping.slice(k + 1);
            ranges.push([rest.map(newStart, -1), rest.map(newEnd, 1)]);
          });
        });
        for (const [from, to] of ranges) {
          const start = Math.max(0, Math.min(from, tr.doc.content.size));
          const end = Math.max(start, Math.min(to, tr.doc.content.size));
          tr.doc.nodesBetween(start, end, (node, pos) => {
            if (!node.isTextblock) return true;
            set = set.remove(set.find(pos, pos + node.nodeSize));
            const out = [];
            inBlock(node, pos, out);
            set = set.add(tr.doc, out);
            return false;
          });
        }
        return set;
      },
    },
    props: { decorations(state) { return this.getState(state); } },
  });
}

/** Cells added to a table take their column's alignment (Markdown aligns columns, not cells). */
export const tableAlignPlugin = new Plugin({
  appendTransaction(trs, _old, state) {
    if (!trs.some((t) => t.docChanged)) return null;
    let tr = null;
    state.doc.descendants((node, pos) => {
      if (node.type !== schema.nodes.table) return node.isBlock && !node.isTextblock;
      const header = node.firstChild;
      node.forEach((row, rowOffset) => {
        row.forEach((cell, cellOffset, c) => {
          const want = header.maybeChild(c) ? header.child(c).attrs.align : null;
          if (cell.attrs.align !== want && row !== header) {
            tr = tr || state.tr;
            tr.setNodeMarkup(pos + 1 + rowOffset + 1 + cellOffset, null, { ...cell.attrs, align: want });
          }
        });
      });
      return false;
    });
    return tr;
  },
});
