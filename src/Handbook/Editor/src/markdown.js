// Markdown → document, remembering where every top-level block, list item and table row came from.
// markdown-it gives each block token the lines it spans (token.map); we split the original text into lines
// ourselves, keeping each line's terminator, so the exact bytes of any block (CRLF, trailing spaces, a missing
// final newline) can be written back unchanged. Markdig-only syntax that markdown-it reads differently is kept as
// an opaque block or inline atom, never reinterpreted.
import MarkdownIt from 'markdown-it';
import { schema, calloutKind } from './schema.js';

// --- markdown-it set up like the server's Markdig pipeline (Rendering/MarkdownRenderer.cs) --------------------

/** [[target]] / [[target|label]], with the rules of Rendering/WikiLinks/WikiLinkParser.cs. */
function wikiLinkRule(state, silent) {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x5b || src.charCodeAt(start + 1) !== 0x5b) return false;
  const end = src.indexOf(']]', start + 2);
  if (end < 0 || end - (start + 2) > 300) return false;
  const inner = src.slice(start + 2, end);
  if (!inner.length || inner.includes('\n') || inner.includes('[')) return false;
  const bar = inner.indexOf('|');
  const target = (bar < 0 ? inner : inner.slice(0, bar)).trim();
  const label = bar < 0 ? null : inner.slice(bar + 1).trim();
  if (!target.length) return false;
  if (!silent) {
    const token = state.push('wikilink', '', 0);
    token.meta = { target, label: label || null };
    token.content = src.slice(start, end + 2);
  }
  state.pos = end + 2;
  return true;
}

function pushSource(state, kind, end) {
  const token = state.push('inline_src', '', 0);
  token.content = state.src.slice(state.pos, end);
  token.meta = { kind };
  state.pos = end;
}

/** Footnote references [^x] (Markdig footnotes): kept as written. */
function footnoteRefRule(state, silent) {
  const src = state.src;
  if (src.charCodeAt(state.pos) !== 0x5b || src.charCodeAt(state.pos + 1) !== 0x5e) return false;
  const m = /^\[\^[^\]\s]+\]/.exec(src.slice(state.pos));
  if (!m) return false;
  if (!silent) pushSource(state, 'footnote', state.pos + m[0].length);
  else state.pos += m[0].length;
  return true;
}

/** Markdig's emphasis extras: ==mark==, ++inserted++, ^superscript^, ~subscript~ (markdown-it knows none). */
function emphasisExtrasRule(state, silent) {
  const src = state.src;
  const pos = state.pos;
  const ch = src[pos];
  let marker;
  if (ch === '=' && src[pos + 1] === '=') marker = '==';
  else if (ch === '+' && src[pos + 1] === '+') marker = '++';
  else if (ch === '^') marker = '^';
  else if (ch === '~' && src[pos + 1] !== '~' && src[pos - 1] !== '~') marker = '~';
  else return false;
  const after = src[pos + marker.length];
  if (!after || /\s/.test(after) || after === ch) return false;
  let close = src.indexOf(marker, pos + marker.length + 1);
  while (close > 0 && marker === '~' && (src[close + 1] === '~' || src[close - 1] === '~')) close = src.indexOf(marker, close + 2);
  if (close < 0 || /\s/.test(src[close - 1]) || src.slice(pos, close).includes('\n\n')) return false;
  const kind = { '==': 'mark', '++': 'ins', '^': 'sup', '~': 'sub' }[marker];
  if (!silent) pushSource(state, kind, close + marker.length);
  else state.pos = close + marker.length;
  return true;
}

const FOOTNOTE_DEF = /^\[\^[^\]\s]+\]:/;

/** Footnote definitions with their indented continuation: one opaque block (markdown-it would eat them as references). */
function footnoteDefRule(state, startLine, endLine, silent) {
  const content = (n) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  if (state.sCount[startLine] - state.blkIndent >= 4 || !FOOTNOTE_DEF.test(content(startLine))) return false;
  if (silent) return true;
  let next = startLine + 1;
  while (next < endLine) {
    if (state.isEmpty(next)) {
      let k = next;
      while (k < endLine && state.isEmpty(k)) k++;
      if (k < endLine && state.sCount[k] - state.blkIndent >= 4) { next = k + 1; continue; }
      break;
    }
    if (state.sCount[next] < state.blkIndent || FOOTNOTE_DEF.test(content(next))) break;
    next++;
  }
  const token = state.push('opaque', '', 0);
  token.map = [startLine, next];
  token.meta = { kind: 'footnote' };
  state.line = next;
  return true;
}

export function createMarkdownIt() {
  const md = new MarkdownIt('commonmark', { html: true });
  md.enable(['table', 'strikethrough']);
  md.block.ruler.before('reference', 'footnote_def', footnoteDefRule, { alt: ['paragraph', 'reference'] });
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
  md.inline.ruler.before('link', 'footnote_ref', footnoteRefRule);
  md.inline.ruler.before('emphasis', 'emphasis_extras', emphasisExtrasRule);
  return md;
}

const md = createMarkdownIt();

// --- Lines ---------------------------------------------------------------------------------------------------

/** The text as lines, each with its own terminator ("\n", "\r\n", "\r" or none for the last). */
export function splitLines(text) {
  const lines = [];
  const re = /\r\n|\n|\r/g;
  let pos = 0;
  let m;
  while ((m = re.exec(text))) {
    lines.push(text.slice(pos, m.index + m[0].length));
    pos = m.index + m[0].length;
  }
  if (pos < text.length) lines.push(text.slice(pos));
  return lines;
}

const blank = (line) => /^[ \t]*(\r\n|\n|\r)?$/.test(line);

function dominantEol(text) {
  const crlf = (text.match(/\r\n/g) || []).length;
  const lf = (text.match(/\n/g) || []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

// --- Tokens → nodes ------------------------------------------------------------------------------------------

const GRID_TABLE = /^\s*\+[-=:]+(\+[-=:]*)*\+\s*$/;
const ALPHA_LIST = /^ {0,3}(?:[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)](?:[ \t]|$)/;
const DEF_LINE = /^ {0,3}:[ \t]/;
const TASK = /^\[([ xX])\](?:[ \t]+|$)/;

/** A paragraph whose text Markdig reads as something else (grid table, a./i. list, definition list). */
function markdigOnlyParagraph(content) {
  const lines = content.split('\n');
  if (GRID_TABLE.test(lines[0])) return true;
  if (ALPHA_LIST.test(lines[0]) && !/^ {0,3}\d/.test(lines[0])) return true;
  return lines.slice(1).some((l) => DEF_LINE.test(l));
}

/** Finds the index just past the token that closes tokens[i] (same nesting level). */
function closing(tokens, i) {
  if (tokens[i].nesting !== 1) return i + 1;
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    depth += tokens[j].nesting;
    if (depth === 0) return j + 1;
  }
  return tokens.length;
}

/** True when a container's tokens hold something we keep opaque, or lines no child token accounts for. */
function needsOpaque(tokens, from, to, lines) {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.type === 'html_block' || t.type === 'opaque') return true;
    if (t.type === 'inline' && tokens[i - 1] && tokens[i - 1].type === 'paragraph_open' && markdigOnlyParagraph(t.content)) return true;
    if ((t.type === 'blockquote_open' || t.type === 'list_item_open') && t.map) {
      // Lines of this container not covered by a child block: link reference definitions (eaten by markdown-it).
      const end = closing(tokens, i) - 1;
      const covered = new Set();
      for (let j = i + 1, depth = 0; j < end; j++) {
        const c = tokens[j];
        if (depth === 0 && c.map) for (let l = c.map[0]; l < c.map[1]; l++) covered.add(l);
        depth += c.nesting;
      }
      for (let l = t.map[0]; l < t.map[1]; l++) {
        if (covered.has(l)) continue;
        const stripped = lines[l].replace(/^[ \t>]*/, '').replace(/^([-+*]|\d+[.)])[ \t]*/, '');
        if (t.type === 'list_item_open' && l === t.map[0] && /^[ \t]*(\r\n|\n|\r)?$/.test(stripped)) continue;
        if (!/^[ \t]*(\r\n|\n|\r)?$/.test(stripped)) return true;
      }
    }
  }
  return false;
}

function inlineNodes(children) {
  const nodes = [];
  let marks = [];
  const push = (node) => nodes.push(node);
  for (const t of children || []) {
    switch (t.type) {
      case 'text':
        if (t.content) push(schema.text(t.content, marks));
        break;
      case 'softbreak':
        push(schema.nodes.softbreak.create(null, null, marks));
        break;
      case 'hardbreak':
        push(schema.nodes.hard_break.create(null, null, marks));
        break;
      case 'code_inline':
        if (t.content) push(schema.text(t.content, schema.marks.code.create({ markup: t.markup }).addToSet(marks)));
        else push(schema.nodes.inline_src.create({ src: t.markup + ' ' + t.markup, kind: 'code' }, null, marks));
        break;
      case 'em_open': marks = schema.marks.em.create({ markup: t.markup }).addToSet(marks); break;
      case 'strong_open': marks = schema.marks.strong.create({ markup: t.markup }).addToSet(marks); break;
      case 's_open': marks = schema.marks.strike.create({ markup: t.markup }).addToSet(marks); break;
      case 'link_open':
        marks = schema.marks.link.create({ href: t.attrGet('href'), title: t.attrGet('title') || null, auto: t.markup === 'autolink' }).addToSet(marks);
        break;
      case 'em_close': marks = schema.marks.em.removeFromSet(marks); break;
      case 'strong_close': marks = schema.marks.strong.removeFromSet(marks); break;
      case 's_close': marks = schema.marks.strike.removeFromSet(marks); break;
      case 'link_close': marks = schema.marks.link.removeFromSet(marks); break;
      case 'image':
        push(schema.nodes.image.create({ src: t.attrGet('src'), alt: t.content || '', title: t.attrGet('title') || null }, null, marks));
        break;
      case 'wikilink':
        push(schema.nodes.wikilink.create({ target: t.meta.target, label: t.meta.label }, null, marks));
        break;
      case 'html_inline':
        push(schema.nodes.inline_src.create({ src: t.content, kind: 'html' }, null, marks));
        break;
      case 'inline_src':
        push(schema.nodes.inline_src.create({ src: t.content, kind: t.meta.kind }, null, marks));
        break;
      default:
        if (t.content) push(schema.text(t.content, marks));
    }
  }
  return nodes;
}

const emptyParagraph = () => schema.nodes.paragraph.create();

/** Builds the nodes of tokens[from, to); `onItem`/`onRow` are told about list items and table rows at depth 0. */
function buildBlocks(tokens, from, to, hooks) {
  const nodes = [];
  let i = from;
  while (i < to) {
    const t = tokens[i];
    const end = closing(tokens, i);
    const node = buildBlock(tokens, i, end, hooks);
    if (node) nodes.push(node);
    i = end;
  }
  return nodes;
}

function buildBlock(tokens, i, end, hooks) {
  const t = tokens[i];
  switch (t.type) {
    case 'paragraph_open':
      return schema.nodes.paragraph.create(null, inlineNodes(tokens[i + 1].children));
    case 'heading_open': {
      const setext = t.markup === '=' || t.markup === '-' ? t.markup : null;
      return schema.nodes.heading.create({ level: +t.tag.slice(1), setext }, inlineNodes(tokens[i + 1].children));
    }
    case 'blockquote_open': {
      let children = buildBlocks(tokens, i + 1, end - 1, null);
      let callout = null;
      const first = children[0];
      if (first && first.type === schema.nodes.paragraph) {
        // "[!LET OP]" alone on the quote's first line makes it a call-out (CalloutExtension.cs).
        let marker = '';
        let k = 0;
        for (; k < first.childCount; k++) {
          const c = first.child(k);
          if (c.type === schema.nodes.softbreak || c.type === schema.nodes.hard_break) break;
          if (!c.isText || c.marks.length) { marker = null; break; }
          marker += c.text;
        }
        const m = marker && /^\s*\[!([^\]]+)\]\s*$/.exec(marker);
        if (m && calloutKind(m[1])) {
          callout = m[1].trim();
          const rest = [];
          for (let r = k + 1; r < first.childCount; r++) rest.push(first.child(r));
          children = rest.length ? [schema.nodes.paragraph.create(null, rest), ...children.slice(1)] : children.slice(1);
        }
      }
      if (!children.length) children = [emptyParagraph()];
      return schema.nodes.blockquote.create({ callout }, children);
    }
    case 'bullet_list_open':
    case 'ordered_list_open': {
      const items = [];
      let tight = true;
      for (let j = i + 1; j < end - 1;) {
        const close = closing(tokens, j);
        const item = buildItem(tokens, j, close);
        if (tokens.slice(j, close).some((x) => x.type === 'paragraph_open' && !x.hidden && tokens[j].level + 1 === x.level)) tight = false;
        items.push(item);
        if (hooks && hooks.onItem) hooks.onItem(item, tokens[j]);
        j = close;
      }
      if (t.type === 'bullet_list_open') return schema.nodes.bullet_list.create({ bullet: t.markup, tight }, items);
      return schema.nodes.ordered_list.create({ order: t.attrGet('start') ? +t.attrGet('start') : 1, delim: t.markup, tight }, items);
    }
    case 'code_block':
      return schema.nodes.code_block.create({ fence: null, info: '' }, t.content.replace(/\n$/, '') ? schema.text(t.content.replace(/\n$/, '')) : null);
    case 'fence': {
      const text = t.content.replace(/\n$/, '');
      return schema.nodes.code_block.create({ fence: t.markup, info: t.info }, text ? schema.text(text) : null);
    }
    case 'hr':
      return schema.nodes.horizontal_rule.create({ markup: t.markup });
    case 'table_open': {
      const rows = [];
      for (let j = i + 1; j < end - 1; j++) {
        if (tokens[j].type !== 'tr_open') continue;
        const close = closing(tokens, j);
        const cells = [];
        for (let k = j + 1; k < close - 1; k++) {
          const c = tokens[k];
          if (c.type !== 'th_open' && c.type !== 'td_open') continue;
          const style = c.attrGet('style') || '';
          const align = (/text-align:(\w+)/.exec(style) || [])[1] || null;
          const type = c.type === 'th_open' ? schema.nodes.table_header : schema.nodes.table_cell;
          cells.push(type.create({ align }, inlineNodes(tokens[k + 1].children)));
        }
        const row = schema.nodes.table_row.create(null, cells);
        rows.push(row);
        if (hooks && hooks.onRow) hooks.onRow(row, tokens[j]);
        j = close - 1;
      }
      return schema.nodes.table.create(null, rows);
    }
    default:
      return null;
  }
}

function buildItem(tokens, j, close) {
  let children = buildBlocks(tokens, j + 1, close - 1, null);
  let checked = null;
  let checkChar = 'x';
  const first = children[0];
  if (first && first.type === schema.nodes.paragraph && first.firstChild && first.firstChild.isText && !first.firstChild.marks.length) {
    const m = TASK.exec(first.firstChild.text);
    if (m) {
      checked = m[1] !== ' ';
      checkChar = m[1] === ' ' ? 'x' : m[1];
      const rest = first.firstChild.text.slice(m[0].length);
      const content = [];
      if (rest) content.push(schema.text(rest));
      for (let k = 1; k < first.childCount; k++) content.push(first.child(k));
      children = [schema.nodes.paragraph.create(null, content), ...children.slice(1)];
    }
  }
  if (!children.length) children = [emptyParagraph()];
  return schema.nodes.list_item.create({ checked, checkChar }, children);
}

// --- Parse with source ---------------------------------------------------------------------------------------

/**
 * Parses a page body. Returns the document and, for the selective serialiser, the original text cut into pieces:
 * `top[i] = { node, src, items?, rows? }` per top-level block, `seps[i]` the bytes between block i and i+1,
 * `lead` before the first block and `trail` after the last.
 */
export function parseMarkdown(text, options = {}) {
  const env = options.references ? { references: { ...options.references } } : {};
  const tokens = md.parse(text, env);
  const lines = splitLines(text);
  const lineText = (s, e) => lines.slice(s, e).join('');
  const trim = (s, e) => { while (e > s + 1 && blank(lines[e - 1])) e--; return e; };

  // Top-level blocks with their line ranges; non-blank lines no token covers become opaque blocks.
  const groups = [];
  for (let i = 0; i < tokens.length;) {
    const end = closing(tokens, i);
    const t = tokens[i];
    if (t.map) groups.push({ from: i, to: end, s: t.map[0], e: trim(t.map[0], Math.min(t.map[1], lines.length)) });
    i = end;
  }
  const spans = [];
  let line = 0;
  const gap = (until) => {
    while (line < until) {
      if (blank(lines[line])) { line++; continue; }
      const s = line;
      while (line < until && !blank(lines[line])) line++;
      spans.push({ s, e: line, opaque: 'reference' });
    }
  };
  for (const g of groups) {
    gap(g.s);
    spans.push(g);
    line = g.e;
  }
  gap(lines.length);

  // Markdig-only constructs that markdown-it splits across blocks (definition lists, a./i. lists with indented
  // continuation): the paragraph that starts one takes the following indented code / ": " paragraphs along.
  const top = [];
  for (let k = 0; k < spans.length; k++) {
    const sp = spans[k];
    let opaque = sp.opaque || (sp.from != null && needsOpaque(tokens, sp.from, sp.to, lines));
    if (opaque && sp.from != null) {
      const kind = tokens[sp.from].type === 'html_block' ? 'html' : 'markdown';
      while (k + 1 < spans.length && spans[k + 1].from != null && tokens[sp.from].type === 'paragraph_open'
             && (tokens[spans[k + 1].from].type === 'code_block'
                 || (tokens[spans[k + 1].from].type === 'paragraph_open' && (DEF_LINE.test(tokens[spans[k + 1].from + 1].content + ' ') || ALPHA_LIST.test(tokens[spans[k + 1].from + 1].content))))) {
        sp.e = spans[++k].e;
      }
      opaque = kind;
    }
    const src = lineText(sp.s, sp.e);
    if (opaque) {
      top.push({ node: schema.nodes.opaque_block.create({ src, kind: opaque }), s: sp.s, e: sp.e, src });
      continue;
    }
    const entry = { s: sp.s, e: sp.e, src };
    const items = [];
    const rows = [];
    const node = buildBlock(tokens, sp.from, sp.to, {
      onItem: (item, tok) => items.push({ node: item, s: tok.map[0], e: tok.map[1] }),
      onRow: (row, tok) => rows.push({ node: row, s: tok.map[0], e: tok.map[1] }),
    });
    if (!node) continue;
    entry.node = node;
    if (items.length) entry.items = pieces(items, sp.e, lines);
    if (rows.length) entry.rows = pieces(rows, sp.e, lines);
    top.push(entry);
  }

  const seps = [];
  for (let k = 0; k + 1 < top.length; k++) seps.push(lineText(top[k].e, top[k + 1].s));
  const lead = top.length ? lineText(0, top[0].s) : text;
  const trail = top.length ? lineText(top[top.length - 1].e, lines.length) : '';
  const nodes = top.map((t) => t.node);
  const doc = schema.nodes.doc.create(null, nodes.length ? nodes : [emptyParagraph()]);
  return { doc, source: { doc, text, top, seps, lead, trail, eol: dominantEol(text), style: styleOf(doc), references: env.references || {} } };
}

/** Items or rows of one block as pieces: `{ node, src, sepAfter }`, the bytes of each and up to the next. */
function pieces(list, blockEnd, lines) {
  const out = [];
  for (let k = 0; k < list.length; k++) {
    const s = list[k].s;
    const limit = Math.min(k + 1 < list.length ? list[k + 1].s : blockEnd, lines.length);
    let e = Math.min(list[k].e, limit);
    while (e > s + 1 && blank(lines[e - 1])) e--;
    out.push({ node: list[k].node, src: lines.slice(s, e).join(''), sepAfter: lines.slice(e, limit).join('') });
  }
  return out;
}

/** The file's habits, for blocks the worker adds: bullet, emphasis and fence characters. */
function styleOf(doc) {
  const count = {};
  const vote = (key, value) => { count[key] = count[key] || {}; count[key][value] = (count[key][value] || 0) + 1; };
  doc.descendants((node) => {
    if (node.type.name === 'bullet_list') vote('bullet', node.attrs.bullet);
    if (node.type.name === 'code_block' && node.attrs.fence) vote('fence', node.attrs.fence[0]);
    if (node.type.name === 'horizontal_rule') vote('hr', node.attrs.markup);
    for (const mark of node.marks) {
      if (mark.type.name === 'em') vote('em', mark.attrs.markup);
      if (mark.type.name === 'strong') vote('strong', mark.attrs.markup);
    }
  });
  const best = (key, fallback) => {
    const c = count[key];
    if (!c) return fallback;
    return Object.keys(c).sort((a, b) => c[b] - c[a])[0];
  };
  return { bullet: best('bullet', '-'), em: best('em', '*'), strong: best('strong', '**'), fence: best('fence', '`').repeat(3), hr: best('hr', '---') };
}

/** Just the document (the final check of a save re-parses with this). */
export function parseDoc(text, references) {
  return parseMarkdown(text, { references }).doc;
}
