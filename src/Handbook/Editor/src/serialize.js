// Document → Markdown, changing only the bytes the worker changed (Parsoid's "selective serialisation").
//
// The original text was cut into pieces at parse time (markdown.js): top-level blocks, the list items of a
// top-level list and the rows of a top-level table, each with its exact bytes and the bytes between it and the
// next. On save the edited document's blocks are aligned with the original ones (same object first — ProseMirror
// keeps untouched nodes as the same objects across transactions — then equal content). An untouched block gives
// its original bytes, the gap between two untouched neighbours its original gap. A changed block paired with an
// original one is merged three ways at the character level: base = fresh text of the old node, ours = its original
// bytes, theirs = fresh text of the new node; so escapes, padding, `_` markers and reference links stay where the
// worker did not edit. New blocks are written fresh, in the file's style. Every merged piece, and the whole
// result, is parsed again and must read as the edited document; where it does not, that piece is written fresh.
import diff from 'fast-diff';
import { schema, STYLE_ATTRS } from './schema.js';
import { parseMarkdown } from './markdown.js';

// --- Fresh serialiser ----------------------------------------------------------------------------------------

const EMPHASIS = new Set(['em', 'strong', 'strike']);

function escapeText(text, lineStart, inTable) {
  let s = text.replace(/[\\`*_[\]~^]/g, '\\$&')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/==/g, '=\\=')
    .replace(/\+\+/g, '+\\+');
  if (inTable) s = s.replace(/\|/g, '\\|');
  if (lineStart) {
    s = s.replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|=+\s*$|-+\s*$|:(?=\s)|\+(?=[-=:]))/, (m, ws, mark) => ws + '\\' + mark)
      .replace(/^(\s*)(\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(?=\s|$)/, (m, ws, n, d) => ws + n + '\\' + d);
  }
  return s;
}

function codeSpan(text) {
  const runs = text.match(/`+/g) || [];
  let n = 1;
  while (runs.includes('`'.repeat(n))) n++;
  const fence = '`'.repeat(n);
  const pad = /^`|`$/.test(text) || (/^ /.test(text) && / $/.test(text) && text.trim()) ? ' ' : '';
  return fence + pad + text + pad + fence;
}

function linkDestination(href) {
  if (!href) return '<>';
  if (/[\s<>]/.test(href) || /[()]/.test(href) && !balanced(href)) return '<' + href.replace(/[<>]/g, (c) => encodeURIComponent(c)) + '>';
  return href;
}

function balanced(s) {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

const linkTitle = (title) => (title ? ' "' + title.replace(/["\\]/g, '\\$&') + '"' : '');

/** Inline content of a textblock or table cell as Markdown (lines joined with "\n"). */
export function inlineMarkdown(node, style, inTable = false) {
  // Tokens first, so whitespace can be moved out of emphasis delimiters ("** bold**" is not bold in Markdown).
  const tokens = [];
  let active = [];
  const closeTo = (keep) => {
    while (active.length > keep) tokens.push({ t: 'close', mark: active.pop() });
  };
  node.forEach((child) => {
    const marks = child.marks.filter((m) => m.type !== schema.marks.code);
    let keep = 0;
    while (keep < active.length && keep < marks.length && active[keep].eq(marks[keep])) keep++;
    closeTo(keep);
    for (let k = keep; k < marks.length; k++) {
      tokens.push({ t: 'open', mark: marks[k] });
      active.push(marks[k]);
    }
    if (child.isText) {
      if (child.marks.some((m) => m.type === schema.marks.code)) tokens.push({ t: 'raw', s: codeSpan(child.text), text: child.text });
      else tokens.push({ t: 'text', s: child.text });
    } else {
      tokens.push({ t: 'atom', node: child });
    }
  });
  closeTo(0);

  // Leading/trailing whitespace inside an emphasis goes outside it.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      if (tok.t === 'open' && EMPHASIS.has(tok.mark.type.name) && tokens[i + 1] && tokens[i + 1].t === 'text') {
        const m = /^\s+/.exec(tokens[i + 1].s);
        if (m) {
          tokens[i + 1].s = tokens[i + 1].s.slice(m[0].length);
          tokens.splice(i, 0, { t: 'text', s: m[0] });
          changed = true;
        }
      }
      if (tok.t === 'close' && EMPHASIS.has(tok.mark.type.name) && tokens[i - 1] && tokens[i - 1].t === 'text') {
        const m = /\s+$/.exec(tokens[i - 1].s);
        if (m) {
          tokens[i - 1].s = tokens[i - 1].s.slice(0, -m[0].length);
          tokens.splice(i + 1, 0, { t: 'text', s: m[0] });
          changed = true;
        }
      }
    }
    // An emphasis left empty by that is dropped.
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].t === 'open' && tokens[i + 1].t === 'close' && tokens[i].mark === tokens[i + 1].mark) {
        tokens.splice(i, 2);
        changed = true;
      }
    }
  }

  let out = '';
  let lineStart = true;
  const opened = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.t === 'text') {
      if (!tok.s) continue;
      out += escapeText(tok.s, lineStart, inTable);
      lineStart = false;
    } else if (tok.t === 'raw') {
      out += inTable ? tok.s.replace(/\|/g, '\\|') : tok.s;
      lineStart = false;
    } else if (tok.t === 'open') {
      const m = tok.mark;
      if (m.type === schema.marks.link) {
        const close = tokens.findIndex((x, k) => k > i && x.t === 'close' && x.mark === m);
        const inner = tokens.slice(i + 1, close);
        const plain = inner.every((x) => x.t === 'text') ? inner.map((x) => x.s).join('') : null;
        const auto = m.attrs.auto && plain != null && (plain === m.attrs.href || 'mailto:' + plain === m.attrs.href) && !/[\s<>]/.test(plain);
        tok.auto = auto;
        if (auto) {
          out += '<' + plain + '>';
          i = close;
          lineStart = false;
          continue;
        }
        out += '[';
      } else {
        out += delimiter(m, out, tokens, i, true);
      }
      opened.push(m);
      lineStart = false;
    } else if (tok.t === 'close') {
      const m = tok.mark;
      if (m.type === schema.marks.link) out += '](' + linkDestination(m.attrs.href) + linkTitle(m.attrs.title) + ')';
      else out += delimiter(m, out, tokens, i, false);
    } else {
      const n = tok.node;
      switch (n.type.name) {
        case 'softbreak': out += '\n'; lineStart = true; continue;
        case 'hard_break': out += inTable ? '<br>' : '\\\n'; lineStart = !inTable; continue;
        case 'image':
          out += '![' + n.attrs.alt.replace(/[\\[\]]/g, '\\$&') + '](' + linkDestination(n.attrs.src) + linkTitle(n.attrs.title) + ')';
          break;
        case 'wikilink':
          out += '[[' + n.attrs.target + (n.attrs.label ? '|' + n.attrs.label : '') + ']]';
          break;
        case 'inline_src':
          out += n.attrs.src;
          break;
        default:
          out += n.textContent;
      }
      lineStart = false;
    }
  }
  return out;
}

function delimiter(mark, out, tokens, i, opening) {
  let d = mark.attrs.markup || (mark.type === schema.marks.strong ? '**' : mark.type === schema.marks.strike ? '~~' : '*');
  if (d[0] === '_') {
    // Underscores do not work inside a word: use asterisks there.
    const before = opening ? out.slice(-1) : null;
    const next = tokens[i + 1];
    const after = !opening && next && next.t === 'text' ? next.s[0] : null;
    if ((before && /[\p{L}\p{N}]/u.test(before)) || (after && /[\p{L}\p{N}]/u.test(after))) d = d.replace(/_/g, '*');
    if (!opening) {
      const open = tokens.slice(0, i).reverse().find((x) => x.t === 'open' && x.mark === mark);
      if (open && open.used) d = open.used;
    } else {
      tokens[i].used = d;
    }
  }
  return d;
}

const prefixLines = (text, first, rest) => {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, k) => (k === 0 ? first(l) : rest(l))).join('\n') + '\n';
};

/** Separator between two children of a container: a blank line, or none inside a tight list item. */
function joinChildren(nodes, style, tight) {
  let out = '';
  let prev = null;
  for (const child of nodes) {
    const text = freshBlock(child, style);
    if (!text) continue;
    if (prev) {
      const needBlank = !tight || (prev.type === schema.nodes.paragraph && child.type === schema.nodes.paragraph)
        || (child.type === schema.nodes.code_block && !child.attrs.fence) || child.type === schema.nodes.opaque_block;
      if (needBlank) out += '\n';
    }
    out += text;
    prev = child;
  }
  return out;
}

export function listMarker(list, index) {
  if (list.type === schema.nodes.bullet_list) return list.attrs.bullet || '-';
  return (list.attrs.order + index) + (list.attrs.delim || '.');
}

export function freshItem(item, marker, tight, style) {
  const body = joinChildren(childrenOf(item), style, tight);
  const task = item.attrs.checked == null ? '' : '[' + (item.attrs.checked ? item.attrs.checkChar || 'x' : ' ') + '] ';
  if (!body) return marker + (task ? ' ' + task.trimEnd() : '') + '\n';
  const indent = ' '.repeat(marker.length + 1);
  return prefixLines(body, (l) => marker + ' ' + task + l, (l) => (l ? indent + l : ''));
}

export function freshRow(row, inTable = true) {
  const cells = [];
  row.forEach((cell) => cells.push(inlineMarkdown(cell, null, inTable).replace(/\n/g, ' ')));
  return '| ' + cells.join(' | ') + ' |\n';
}

export function freshDelimiter(table) {
  const header = table.firstChild;
  const cols = [];
  header.forEach((cell) => {
    const a = cell.attrs.align;
    cols.push(a === 'left' ? ':---' : a === 'center' ? ':---:' : a === 'right' ? '---:' : '---');
  });
  return '|' + cols.join('|') + '|\n';
}

const childrenOf = (node) => {
  const out = [];
  node.forEach((c) => out.push(c));
  return out;
};

/** One block as Markdown with "\n" line ends, ending in "\n"; "" for an empty paragraph. */
export function freshBlock(node, style) {
  style = style || {};
  switch (node.type.name) {
    case 'paragraph': {
      const text = inlineMarkdown(node, style);
      return text ? text + '\n' : '';
    }
    case 'heading': {
      let text = inlineMarkdown(node, style);
      if (node.attrs.setext && node.attrs.level <= 2 && text.trim()) {
        const last = text.split('\n').pop();
        return text + '\n' + (node.attrs.level === 1 ? '===' : '---') + '\n';
      }
      text = text.replace(/\n/g, ' ').replace(/(\s)(#+)\s*$/, '$1\\$2');
      return '#'.repeat(node.attrs.level) + (text ? ' ' + text : '') + '\n';
    }
    case 'code_block': {
      const text = node.textContent;
      if (!node.attrs.fence && text.trim()) return text.split('\n').map((l) => (l ? '    ' + l : '')).join('\n') + '\n';
      const char = (node.attrs.fence || style.fence || '```')[0];
      const longest = Math.max(0, ...(text.match(new RegExp('\\' + char + '+', 'g')) || []).map((r) => r.length));
      const fence = char.repeat(Math.max(3, (node.attrs.fence || '').length, longest + 1));
      return fence + (node.attrs.info || '') + '\n' + (text ? text + '\n' : '') + fence + '\n';
    }
    case 'horizontal_rule':
      return (node.attrs.markup || style.hr || '---') + '\n';
    case 'blockquote': {
      const head = node.attrs.callout ? '[!' + node.attrs.callout + ']\n' : '';
      const body = head + joinChildren(childrenOf(node), style, false);
      return prefixLines(body || '\n', (l) => (l ? '> ' + l : '>'), (l) => (l ? '> ' + l : '>'));
    }
    case 'bullet_list':
    case 'ordered_list': {
      let out = '';
      node.forEach((item, _, k) => {
        if (k > 0 && !node.attrs.tight) out += '\n';
        out += freshItem(item, listMarker(node, k), node.attrs.tight, style);
      });
      return out;
    }
    case 'table': {
      let out = '';
      node.forEach((row, _, k) => {
        out += freshRow(row);
        if (k === 0) out += freshDelimiter(node);
      });
      return out;
    }
    case 'opaque_block': {
      const src = node.attrs.src.replace(/\r\n?/g, '\n');
      return src.endsWith('\n') ? src : src + '\n';
    }
    default:
      return node.textContent + '\n';
  }
}

/** A whole document written fresh in the given style (used for new pages and as the last fallback). */
export function freshDocument(doc, style, eol = '\n') {
  return toEol(joinChildren(childrenOf(doc), style || {}, false), eol);
}

const toEol = (text, eol) => (eol === '\n' ? text : text.replace(/\n/g, eol));

// --- Comparing documents as a reader would ---------------------------------------------------------------------

function attrsOf(type, attrs) {
  // A column's alignment is the table's (its delimiter row), whatever a cell added later says.
  const skip = type.spec.tableRole === 'cell' || type.spec.tableRole === 'header_cell' ? ['align'] : STYLE_ATTRS[type.name] || [];
  const out = {};
  for (const key of Object.keys(attrs).sort()) if (!skip.includes(key)) out[key] = attrs[key];
  return out;
}

const isBreak = (n) => n.type === schema.nodes.softbreak || n.type === schema.nodes.hard_break;

/** A canonical form: style attributes dropped, whitespace at line edges trimmed, empty paragraphs gone. */
export function canon(node) {
  if (node.isTextblock || node.type.spec.tableRole === 'cell' || node.type.spec.tableRole === 'header_cell') {
    const items = [];
    node.forEach((child, _, k) => {
      if (child.isText) {
        let text = child.text;
        const prev = k > 0 ? node.child(k - 1) : null;
        const next = k + 1 < node.childCount ? node.child(k + 1) : null;
        if (!prev || isBreak(prev)) text = text.replace(/^[ \t]+/, '');
        if (!next || isBreak(next)) text = text.replace(/[ \t]+$/, '');
        if (!text) return;
        const marks = child.marks.map((m) => [m.type.name, attrsOf(m.type, m.attrs)]);
        const last = items[items.length - 1];
        if (last && last[0] === 't' && JSON.stringify(last[2]) === JSON.stringify(marks)) last[1] += text;
        else items.push(['t', text, marks]);
      } else {
        items.push([child.type.name, attrsOf(child.type, child.attrs), child.marks.map((m) => [m.type.name, attrsOf(m.type, m.attrs)])]);
      }
    });
    while (items.length && isBreakItem(items[items.length - 1])) items.pop();
    if (node.type === schema.nodes.paragraph && !items.length) return '';
    return JSON.stringify([node.type.name, attrsOf(node.type, node.attrs), items]);
  }
  if (node.type === schema.nodes.code_block) return JSON.stringify(['code', attrsOf(node.type, node.attrs), node.textContent]);
  if (node.type === schema.nodes.opaque_block) return JSON.stringify(['opaque', node.attrs.src.replace(/\r\n?/g, '\n').replace(/\s+$/, '')]);
  const children = [];
  node.forEach((c) => { const s = canon(c); if (s) children.push(s); });
  const attrs = attrsOf(node.type, node.attrs);
  if (node.type === schema.nodes.table && node.firstChild) {
    attrs.aligns = [];
    node.firstChild.forEach((cell) => attrs.aligns.push(cell.attrs.align || null));
  }
  return '[' + JSON.stringify(node.type.name) + ',' + JSON.stringify(attrs) + ',' + children.join(',') + ']';
}

const isBreakItem = (item) => item[0] === 'softbreak' || item[0] === 'hard_break';

// --- Three-way character merge ---------------------------------------------------------------------------------

function edits(base, other) {
  const out = [];
  let pos = 0;
  for (const [op, text] of diff(base, other)) {
    if (op === 0) { pos += text.length; continue; }
    const last = out[out.length - 1];
    const edit = last && last.e === pos ? last : null;
    if (op === -1) {
      if (edit) edit.e = pos + text.length;
      else out.push({ s: pos, e: pos + text.length, text: '' });
      pos += text.length;
    } else if (edit) {
      edit.text += text;
    } else {
      out.push({ s: pos, e: pos, text });
    }
  }
  return out;
}

/** Applies both sides' changes to base; null when they touch the same characters. */
export function merge3(base, ours, theirs) {
  if (theirs === base) return ours;
  if (ours === base) return theirs;
  const a = edits(base, ours);
  const b = edits(base, theirs);
  for (const x of a) {
    for (const y of b) {
      const same = x.s === y.s && x.e === y.e && x.text === y.text;
      if (same) { y.dup = true; continue; }
      if (x.s < y.e && y.s < x.e) return null;
      if (x.s === x.e && y.s === y.e && x.s === y.s) return null;
      if (x.s === x.e && y.s < x.s && x.s < y.e) return null;
      if (y.s === y.e && x.s < y.s && y.s < x.e) return null;
    }
  }
  const all = [...a, ...b.filter((y) => !y.dup)].sort((p, q) => p.s - q.s || (p.e - p.s) - (q.e - q.s));
  let out = '';
  let pos = 0;
  for (const ed of all) {
    out += base.slice(pos, ed.s) + ed.text;
    pos = Math.max(pos, ed.e);
  }
  return out + base.slice(pos);
}

// --- Alignment -------------------------------------------------------------------------------------------------

/**
 * For each new node: the index of the original node it stands for (-1 when new) and whether it is unchanged.
 * Unchanged = same object or equal content (LCS over those); between two unchanged anchors, changed nodes are paired
 * with original ones of the same type, in order.
 */
export function align(oldNodes, newNodes) {
  const n = oldNodes.length;
  const m = newNodes.length;
  const same = (i, j) => oldNodes[i] === newNodes[j] || oldNodes[i].eq(newNodes[j]);
  const result = newNodes.map((node) => ({ node, oi: -1, same: false }));
  let pre = 0;
  while (pre < n && pre < m && same(pre, pre)) { result[pre].oi = pre; result[pre].same = true; pre++; }
  let suf = 0;
  while (suf < n - pre && suf < m - pre && same(n - 1 - suf, m - 1 - suf)) {
    result[m - 1 - suf].oi = n - 1 - suf;
    result[m - 1 - suf].same = true;
    suf++;
  }
  const os = pre;
  const oe = n - suf;
  const ns = pre;
  const ne = m - suf;
  // LCS of the middle (small in practice: the blocks between the first and last change).
  const rows = oe - os;
  const cols = ne - ns;
  const anchors = [];
  if (rows > 0 && cols > 0 && rows * cols <= 250000) {
    const L = Array.from({ length: rows + 1 }, () => new Uint16Array(cols + 1));
    for (let i = rows - 1; i >= 0; i--) {
      for (let j = cols - 1; j >= 0; j--) {
        L[i][j] = same(os + i, ns + j) ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
      }
    }
    for (let i = 0, j = 0; i < rows && j < cols;) {
      if (same(os + i, ns + j)) { anchors.push([os + i, ns + j]); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) i++; else j++;
    }
  }
  for (const [i, j] of anchors) { result[j].oi = i; result[j].same = true; }
  // Pair the changed nodes in each gap between anchors by type, in order.
  const bounds = [[os - 1, ns - 1], ...anchors, [oe, ne]];
  for (let k = 0; k + 1 < bounds.length; k++) {
    let i = bounds[k][0] + 1;
    for (let j = bounds[k][1] + 1; j < bounds[k + 1][1]; j++) {
      for (let t = i; t < bounds[k + 1][0]; t++) {
        if (oldNodes[t].type === newNodes[j].type) {
          result[j].oi = t;
          i = t + 1;
          break;
        }
      }
    }
  }
  return result;
}

// --- Selective serialisation -----------------------------------------------------------------------------------

const endsWithEol = (s) => /(\r\n|\n|\r)$/.test(s);
const hasBlankLine = (s) => /(\r\n|\n|\r)/.test(s);
const isEmptyParagraph = (node) => node.type === schema.nodes.paragraph && node.childCount === 0;

function sameTopLevel(text, node, source) {
  const doc = parseMarkdown(text, { references: source.references }).doc;
  const kids = childrenOf(doc).filter((c) => canon(c));
  return kids.length === 1 && canon(kids[0]) === canon(node);
}

function sameItem(text, list, item, source) {
  const doc = parseMarkdown(text, { references: source.references }).doc;
  return doc.childCount === 1 && doc.firstChild.type === list.type && doc.firstChild.childCount === 1
    && canon(doc.firstChild.firstChild) === canon(item);
}

function sameRow(text, table, row, index, source) {
  const head = index === 0 ? '' : freshRow(table.firstChild);
  const delim = freshDelimiter(table);
  const src = index === 0 ? text.replace(/(\r\n|\n|\r)?$/, '\n') + delim : head + delim + text;
  const doc = parseMarkdown(src, { references: source.references }).doc;
  const t = doc.firstChild;
  if (!t || t.type !== schema.nodes.table) return false;
  const r = t.maybeChild(index === 0 ? 0 : 1);
  return !!r && canon(r) === canon(row);
}

function piece(oldNode, src, newNode, fresh, check, useMerge) {
  const theirs = fresh(newNode);
  if (!useMerge) return theirs;
  const merged = merge3(fresh(oldNode), src, theirs);
  if (merged != null && (merged === theirs || check(merged))) return merged;
  return theirs;
}

/**
 * Writes a sequence of pieces: original bytes for unchanged ones, merged or fresh text for the others, the original
 * separator between neighbours that were neighbours before, `defaultSep` elsewhere.
 */
function writeSequence(pairs, originals, eol, defaultSep, text, sepAt) {
  let out = '';
  let prev = null;
  for (let k = 0; k < pairs.length; k++) {
    const p = pairs[k];
    const body = text(p, k);
    if (body == null) continue;
    if (prev) {
      if (out && !endsWithEol(out)) out += eol;
      const forced = sepAt ? sepAt(prev, p, k) : null;
      if (forced != null) out += forced;
      else if (prev.oi >= 0 && p.oi === prev.oi + 1) out += originals[prev.oi].sepAfter;
      else if (prev.oi >= 0 && prev.oi + 1 < originals.length && hasBlankLine(originals[prev.oi].sepAfter) === hasBlankLine(defaultSep) && originals[prev.oi].sepAfter.trim() === '') out += originals[prev.oi].sepAfter;
      else out += defaultSep;
    }
    out += body;
    prev = p;
  }
  return out;
}

function selective(doc, source, useMerge) {
  const { style, eol } = source;
  const fresh = (node) => toEol(freshBlock(node, style), eol);
  const top = source.top.map((t, k) => ({ ...t, sepAfter: k < source.seps.length ? source.seps[k] : '' }));
  const pairs = align(top.map((t) => t.node), childrenOf(doc));

  const text = (p) => {
    if (isEmptyParagraph(p.node) && !p.same) return null;
    if (p.same) return top[p.oi].src;
    if (p.oi < 0) return fresh(p.node) || null;
    const orig = top[p.oi];
    const node = p.node;
    if (orig.items && (node.type === schema.nodes.bullet_list || node.type === schema.nodes.ordered_list)
        && node.attrs.bullet === orig.node.attrs.bullet && node.attrs.delim === orig.node.attrs.delim) {
      return listPiece(orig, node, source, useMerge) || null;
    }
    if (orig.rows && node.type === schema.nodes.table) return tablePiece(orig, node, source, useMerge);
    return piece(orig.node, orig.src, node, fresh, (merged) => sameTopLevel(merged, node, source), useMerge) || null;
  };
  let out = source.lead + writeSequence(pairs, top, eol, eol, text) + source.trail;
  if (!endsWithEol(source.text) && source.text.length && source.trail === '' && endsWithEol(out)) out = out.replace(/(\r\n|\n|\r)$/, '');
  return out;
}

function listPiece(orig, list, source, useMerge) {
  const { style, eol } = source;
  const oldList = orig.node;
  const items = orig.items;
  const tight = list.attrs.tight;
  const pairs = align(items.map((i) => i.node), childrenOf(list));
  const text = (p, k) => {
    if (p.same) return items[p.oi].src;
    if (p.oi < 0) return toEol(freshItem(p.node, listMarker(list, k), tight, style), eol);
    const marker = listMarker(oldList, p.oi);
    const base = toEol(freshItem(items[p.oi].node, marker, oldList.attrs.tight, style), eol);
    const theirs = toEol(freshItem(p.node, marker, tight, style), eol);
    if (!useMerge) return theirs;
    const merged = merge3(base, items[p.oi].src, theirs);
    if (merged != null && (merged === theirs || sameItem(merged, list, p.node, source))) return merged;
    return theirs;
  };
  return writeSequence(pairs, items, eol, tight ? '' : eol, text);
}

function tablePiece(orig, table, source, useMerge) {
  const { eol } = source;
  const rows = orig.rows;
  const oldTable = orig.node;
  const pairs = align(rows.map((r) => r.node), childrenOf(table));
  const sameShape = freshDelimiter(oldTable) === freshDelimiter(table);
  const text = (p, k) => {
    if (p.same && (p.oi === 0) === (k === 0)) return rows[p.oi].src;
    const theirs = toEol(freshRow(p.node), eol);
    if (p.oi < 0 || !useMerge) return theirs;
    const merged = merge3(toEol(freshRow(rows[p.oi].node), eol), rows[p.oi].src, theirs);
    if (merged != null && (merged === theirs || sameRow(merged, table, p.node, k, source))) return merged;
    return theirs;
  };
  // After the first row always comes the delimiter row: the original one while the columns are the same.
  const sepAt = (prev, p, k) => {
    if (k === 1 || (pairs.indexOf(prev) === 0)) {
      return sameShape && prev.oi === 0 ? rows[0].sepAfter : toEol(freshDelimiter(table), eol);
    }
    return null;
  };
  let out = writeSequence(pairs, rows, eol, '', text, sepAt);
  if (pairs.length === 1) out += (endsWithEol(out) ? '' : eol) + (sameShape && pairs[0].oi === 0 ? rows[0].sepAfter : toEol(freshDelimiter(table), eol));
  return out;
}

/**
 * The Markdown of `doc`, an edited version of the document parsed from `source.text`. Unchanged → exactly the
 * original text. The result is parsed again and compared with `doc`; when they differ, the changed blocks are
 * written fresh instead of merged, and the mismatch is reported on the console.
 */
export function serialize(doc, source, options = {}) {
  if (doc === source.doc) return source.text;
  const warn = options.warn || ((...a) => console.warn(...a));
  const expected = canon(doc);
  const check = (text) => canon(parseMarkdown(text).doc) === expected;
  const merged = selective(doc, source, true);
  if (check(merged)) return merged;
  const plain = selective(doc, source, false);
  if (check(plain)) {
    warn('Handbook editor: the merged text did not read back as the edited page; changed blocks were written fresh.');
    return plain;
  }
  warn('Handbook editor: the saved text does not read back exactly as the edited page.', { expected, got: canon(parseMarkdown(plain).doc) });
  return plain;
}
