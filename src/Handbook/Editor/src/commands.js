// Editing commands of the toolbar and shortcuts. Plain ProseMirror commands: (state, dispatch) → bool, no DOM.
import { TextSelection, NodeSelection } from 'prosemirror-state';
import { setBlockType, toggleMark, lift } from 'prosemirror-commands';
import { wrapInList, liftListItem } from 'prosemirror-schema-list';
import { schema } from './schema.js';

/** The innermost ancestor of the selection of the given type: { node, pos, depth } or null. */
export function ancestor(state, type, pred) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d);
    if (node.type === type && (!pred || pred(node))) return { node, pos: $from.before(d), depth: d };
  }
  return null;
}

/** Inserts a call-out of `kind` after the current block (or in place of an empty paragraph); caret inside it. */
export function insertCallout(kind) {
  return (state, dispatch) => {
    const inside = ancestor(state, schema.nodes.blockquote);
    if (inside) {
      if (dispatch) dispatch(state.tr.setNodeMarkup(inside.pos, null, { ...inside.node.attrs, callout: kind }).scrollIntoView());
      return true;
    }
    const { $from, empty } = state.selection;
    const box = (content) => schema.nodes.blockquote.create({ callout: kind }, content);
    if (!dispatch) return true;
    let tr = state.tr;
    const block = $from.depth >= 1 ? $from.node(1) : null;
    if (block && block.type === schema.nodes.paragraph && block.childCount === 0) {
      const pos = $from.before(1);
      tr = tr.replaceWith(pos, pos + block.nodeSize, box([schema.nodes.paragraph.create()]));
      tr = tr.setSelection(TextSelection.create(tr.doc, pos + 2));
    } else if (!empty && $from.depth >= 1 && state.selection.$to.depth >= 1 && $from.parent.isTextblock && $from.sameParent(state.selection.$to)
               && $from.parent.type === schema.nodes.paragraph) {
      // A selection inside one paragraph: that text becomes the call-out's text, after the paragraph.
      const slice = state.selection.content();
      const para = schema.nodes.paragraph.create(null, slice.content.firstChild ? slice.content.firstChild.content : null);
      const pos = $from.after(1);
      tr = tr.insert(pos, box([para]));
      tr = tr.setSelection(TextSelection.create(tr.doc, pos + 2 + para.content.size));
    } else {
      const pos = $from.depth >= 1 ? $from.after(1) : state.doc.content.size;
      tr = tr.insert(pos, box([schema.nodes.paragraph.create()]));
      tr = tr.setSelection(TextSelection.create(tr.doc, pos + 2));
    }
    dispatch(tr.scrollIntoView());
    return true;
  };
}

/** Turns the call-out around the caret back into ordinary text. */
export function removeCallout(state, dispatch) {
  const inside = ancestor(state, schema.nodes.blockquote, (n) => !!n.attrs.callout);
  if (!inside) return false;
  if (dispatch) {
    const from = inside.pos + 1;
    const to = inside.pos + inside.node.nodeSize - 1;
    const $from = state.doc.resolve(from);
    const $to = state.doc.resolve(to);
    const range = $from.blockRange($to, (n) => n === inside.node);
    if (range) dispatch(state.tr.lift(range, inside.depth - 1).scrollIntoView());
  }
  return true;
}

export function insertWikiLink(target, label) {
  return (state, dispatch) => {
    if (dispatch) {
      const node = schema.nodes.wikilink.create({ target, label: label || null });
      const { selection } = state;
      if (selection instanceof NodeSelection && selection.node.type === schema.nodes.wikilink) {
        dispatch(state.tr.replaceSelectionWith(node, false).scrollIntoView());
      } else {
        dispatch(state.tr.replaceSelectionWith(node, false).scrollIntoView());
      }
    }
    return true;
  };
}

/** Adds, changes or (with an empty href) removes a web link on the selection; inserts `text` when nothing is selected. */
export function setLink(href, text) {
  return (state, dispatch) => {
    const type = schema.marks.link;
    const { from, to, empty } = state.selection;
    if (!dispatch) return true;
    let tr = state.tr;
    let start = from;
    let end = to;
    if (empty) {
      const range = markRange(state.doc.resolve(from), type);
      if (range) { start = range.from; end = range.to; }
    }
    if (!href) {
      if (start === end) return false;
      dispatch(tr.removeMark(start, end, type).scrollIntoView());
      return true;
    }
    if (start === end || (text && text !== state.doc.textBetween(start, end))) {
      const label = text || href;
      tr = tr.insertText(label, start, end);
      end = start + label.length;
    }
    tr = tr.removeMark(start, end, type).addMark(start, end, type.create({ href }));
    tr = tr.setSelection(TextSelection.create(tr.doc, end)).removeStoredMark(type);
    dispatch(tr.scrollIntoView());
    return true;
  };
}

/** The extent of the mark of `type` around a position (for editing an existing link). */
export function markRange($pos, type) {
  const parent = $pos.parent;
  const index = $pos.index();
  const at = parent.maybeChild(index) && type.isInSet(parent.child(index).marks) ? index
    : index > 0 && parent.maybeChild(index - 1) && type.isInSet(parent.child(index - 1).marks) ? index - 1 : -1;
  if (at < 0) return null;
  const mark = type.isInSet(parent.child(at).marks);
  let startIndex = at;
  let endIndex = at + 1;
  while (startIndex > 0 && mark.isInSet(parent.child(startIndex - 1).marks)) startIndex--;
  while (endIndex < parent.childCount && mark.isInSet(parent.child(endIndex).marks)) endIndex++;
  let from = $pos.start();
  for (let i = 0; i < startIndex; i++) from += parent.child(i).nodeSize;
  let to = from;
  for (let i = startIndex; i < endIndex; i++) to += parent.child(i).nodeSize;
  return { from, to, mark };
}

/** Heading level (0 = ordinary text) for the blocks in the selection. */
export function setHeading(level) {
  return level ? setBlockType(schema.nodes.heading, { level }) : setBlockType(schema.nodes.paragraph);
}

export function currentHeading(state) {
  const parent = state.selection.$from.parent;
  return parent.type === schema.nodes.heading ? parent.attrs.level : 0;
}

/** A list command that also switches between kinds, and turns a list off when it is already that kind. */
export function toggleList(kind, style) {
  return (state, dispatch) => {
    const list = ancestor(state, schema.nodes.bullet_list) || ancestor(state, schema.nodes.ordered_list);
    const isTask = list && list.node.firstChild.attrs.checked != null;
    const want = kind === 'ordered' ? schema.nodes.ordered_list : schema.nodes.bullet_list;
    if (list && list.node.type === want && (kind === 'task') === isTask) return liftListItem(schema.nodes.list_item)(state, dispatch);
    if (list) {
      if (!dispatch) return true;
      let tr = state.tr;
      if (list.node.type !== want) {
        tr = tr.setNodeMarkup(list.pos, want, want === schema.nodes.bullet_list ? { bullet: style.bullet || '-', tight: list.node.attrs.tight } : { order: 1, delim: '.', tight: list.node.attrs.tight });
      }
      list.node.forEach((item, offset) => {
        const checked = kind === 'task' ? (item.attrs.checked == null ? false : item.attrs.checked) : null;
        if (checked !== item.attrs.checked) tr = tr.setNodeMarkup(list.pos + 1 + offset, null, { ...item.attrs, checked });
      });
      dispatch(tr.scrollIntoView());
      return true;
    }
    const attrs = kind === 'ordered' ? { order: 1, delim: '.', tight: true } : { bullet: style.bullet || '-', tight: true };
    return wrapInList(want, attrs)(state, dispatch && ((tr) => {
      if (kind === 'task') {
        const made = tr.doc.resolve(tr.mapping.map(state.selection.from));
        for (let d = made.depth; d > 0; d--) {
          if (made.node(d).type === want) {
            const pos = made.before(d);
            made.node(d).forEach((item, offset) => { tr.setNodeMarkup(pos + 1 + offset, null, { ...item.attrs, checked: false }); });
            break;
          }
        }
      }
      dispatch(tr.scrollIntoView());
    }));
  };
}

export function toggleTask(pos) {
  return (state, dispatch) => {
    const item = state.doc.nodeAt(pos);
    if (!item || item.type !== schema.nodes.list_item || item.attrs.checked == null) return false;
    if (dispatch) dispatch(state.tr.setNodeMarkup(pos, null, { ...item.attrs, checked: !item.attrs.checked }));
    return true;
  };
}

/** A new table of `rows` × `cols` with a header row, after the current block; caret in the first header cell. */
export function insertTable(rows = 3, cols = 3) {
  return (state, dispatch) => {
    if (ancestor(state, schema.nodes.table)) return false;
    if (dispatch) {
      const row = (type) => schema.nodes.table_row.create(null, Array.from({ length: cols }, () => type.create()));
      const table = schema.nodes.table.create(null, [row(schema.nodes.table_header), ...Array.from({ length: rows - 1 }, () => row(schema.nodes.table_cell))]);
      const { $from } = state.selection;
      const block = $from.depth >= 1 ? $from.node(1) : null;
      let tr = state.tr;
      let pos;
      if (block && block.type === schema.nodes.paragraph && block.childCount === 0) {
        pos = $from.before(1);
        tr = tr.replaceWith(pos, pos + block.nodeSize, table);
      } else {
        pos = $from.depth >= 1 ? $from.after(1) : state.doc.content.size;
        tr = tr.insert(pos, table);
      }
      tr = tr.setSelection(TextSelection.create(tr.doc, pos + 3));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

export function insertRule(state, dispatch) {
  if (dispatch) {
    const { $from } = state.selection;
    const pos = $from.depth >= 1 ? $from.after(1) : state.doc.content.size;
    let tr = state.tr.insert(pos, [schema.nodes.horizontal_rule.create(), schema.nodes.paragraph.create()]);
    tr = tr.setSelection(TextSelection.create(tr.doc, pos + 2));
    dispatch(tr.scrollIntoView());
  }
  return true;
}

export function insertImage(src, alt) {
  return (state, dispatch) => {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.image.create({ src, alt: alt || '' }), false).scrollIntoView());
    return true;
  };
}

export function insertFileLink(href, name) {
  return setLink(href, name);
}

export function markCommand(name, style) {
  const markup = name === 'em' ? style.em : name === 'strong' ? style.strong : undefined;
  return toggleMark(schema.marks[name], markup ? { markup } : null);
}

export { lift };
