// The selective serialiser without a browser: open → (edit through ProseMirror transactions) → save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node } from 'prosemirror-model';
import { EditorState, TextSelection } from 'prosemirror-state';
import { toggleMark } from 'prosemirror-commands';
import { addRowAfter } from 'prosemirror-tables';
import { schema } from '../src/schema.js';
import { parseMarkdown } from '../src/markdown.js';
import { serialize, canon, merge3 } from '../src/serialize.js';
import { insertCallout, insertWikiLink } from '../src/commands.js';
import { starterPages, generatedPages, NASTY } from './corpus.mjs';

const open = (text) => parseMarkdown(text);
const strict = { warn: (...a) => { throw new Error('serialiser fell back: ' + JSON.stringify(a)); } };
const save = (doc, source) => serialize(doc, source, strict);

/** What `git diff` would count: lines removed and added (by multiset of lines, after a common prefix/suffix). */
function lineDiff(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  let s = 0;
  while (s < la.length && s < lb.length && la[s] === lb[s]) s++;
  let e = 0;
  while (e < la.length - s && e < lb.length - s && la[la.length - 1 - e] === lb[lb.length - 1 - e]) e++;
  return { removed: la.slice(s, la.length - e), added: lb.slice(s, lb.length - e) };
}

function identity(name, text) {
  const { doc, source } = open(text);
  assert.equal(save(doc, source), text, name + ': fast path');
  // The general path: a structurally equal copy shares no objects with the parsed document.
  const copy = Node.fromJSON(schema, doc.toJSON());
  assert.equal(save(copy, source), text, name + ': general path');
}

test('identity: every page of content/handbook', () => {
  const pages = starterPages();
  assert.ok(pages.length >= 40, 'starter pages found: ' + pages.length);
  for (const p of pages) identity(p.name, p.text);
});

test('identity: 200 generated pages like bench/Corpus.cs', () => {
  const pages = generatedPages(200);
  assert.equal(pages.length, 200);
  for (const p of pages) identity(p.name, p.text);
});

test('identity: nasty pages', () => {
  for (const [name, text] of Object.entries(NASTY)) identity(name, text);
});

// --- Edits through transactions ----------------------------------------------------------------------------------

function stateOf(text) {
  const { doc, source } = open(text);
  return { state: EditorState.create({ doc, schema }), source };
}

/** Position of the n-th occurrence of `needle` in the document's text nodes. */
function find(doc, needle, nth = 0) {
  let found = -1;
  let count = 0;
  doc.descendants((node, pos) => {
    if (found >= 0 || !node.isText) return found < 0;
    let i = node.text.indexOf(needle);
    while (i >= 0) {
      if (count++ === nth) { found = pos + i; return false; }
      i = node.text.indexOf(needle, i + 1);
    }
    return true;
  });
  assert.ok(found >= 0, 'text not found: ' + needle);
  return found;
}

function replaceWord(state, word, by) {
  const at = find(state.doc, word);
  return state.apply(state.tr.insertText(by, at, at + word.length));
}

const page = NASTY.hardWrapped + '\n' + NASTY.paddedTable + '\n' + NASTY.tasks + '\n'
  + 'Een alinea met snake_case, \\*sterretjes\\* en [een link][site].\n\n[site]: https://example.org\n\n- [ ] taak\n- gewoon\n';

test('edit: one word in a hard-wrapped paragraph changes exactly one line', () => {
  const { state, source } = stateOf(page);
  const after = replaceWord(state, 'zestig', 'zeventig');
  const out = save(after.doc, source);
  assert.deepEqual(lineDiff(page, out), { removed: ['afgebroken op ongeveer zestig tekens per'], added: ['afgebroken op ongeveer zeventig tekens per'] });
});

test('edit: a word next to escapes and a reference link keeps them', () => {
  const { state, source } = stateOf(page);
  const out = save(replaceWord(state, 'Een alinea', 'Eén alinea').doc, source);
  assert.deepEqual(lineDiff(page, out), {
    removed: ['Een alinea met snake_case, \\*sterretjes\\* en [een link][site].'],
    added: ['Eén alinea met snake_case, \\*sterretjes\\* en [een link][site].'],
  });
});

test('edit: one table cell changes one line and keeps the padding', () => {
  const { state, source } = stateOf(page);
  const out = save(replaceWord(state, 'langere tekst', 'kort').doc, source);
  assert.deepEqual(lineDiff(page, out), { removed: ['| langere tekst | 22 | y |'], added: ['| kort | 22 | y |'] });
  const out2 = save(replaceWord(state, 'Rechts', 'Recht').doc, source);
  assert.deepEqual(lineDiff(page, out2), { removed: ['| Kolom   | Rechts |  Midden  |'], added: ['| Kolom   | Recht |  Midden  |'] });
});

test('edit: a table row added is one added line', () => {
  const { state, source } = stateOf(page);
  const cellPos = find(state.doc, 'langere tekst');
  let s = state.apply(state.tr.setSelection(TextSelection.create(state.doc, cellPos)));
  addRowAfter(s, (tr) => { s = s.apply(tr); });
  const out = save(s.doc, source);
  const d = lineDiff(page, out);
  assert.deepEqual(d.removed, []);
  assert.equal(d.added.length, 1);
  assert.match(d.added[0], /^\|\s*\|\s*\|\s*\|$/);
});

test('edit: a list item added is one added line', () => {
  const { state, source } = stateOf(page);
  const list = state.doc.child(state.doc.childCount - 1);
  const end = state.doc.content.size - 1; // inside the last list, after its last item
  const item = schema.nodes.list_item.create(null, schema.nodes.paragraph.create(null, schema.text('nieuw item')));
  const out = save(state.apply(state.tr.insert(end, item)).doc, source);
  assert.equal(list.type.name, 'bullet_list');
  assert.deepEqual(lineDiff(page, out), { removed: [], added: ['- nieuw item'] });
});

test('edit: bold on one word changes one line', () => {
  const { state, source } = stateOf(page);
  const at = find(state.doc, 'lange');
  const s = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at, at + 'lange'.length)));
  let next;
  toggleMark(schema.marks.strong, { markup: '**' })(s, (tr) => { next = s.apply(tr); });
  const out = save(next.doc, source);
  assert.deepEqual(lineDiff(page, out), { removed: ['Dit is een lange alinea die met de hand is'], added: ['Dit is een **lange** alinea die met de hand is'] });
});

test('edit: a call-out inserted adds lines only', () => {
  const { state, source } = stateOf(page);
  const at = find(state.doc, 'en dat moet zo blijven');
  let s = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)));
  insertCallout('TIP')(s, (tr) => { s = s.apply(tr); });
  s = s.apply(s.tr.insertText('Een goede tip.'));
  const out = save(s.doc, source);
  const d = lineDiff(page, out);
  assert.deepEqual(d.removed, []);
  assert.ok(d.added.includes('> [!TIP]') && d.added.includes('> Een goede tip.'), JSON.stringify(d));
});

test('edit: a wiki link inserted changes only that line', () => {
  const { state, source } = stateOf(page);
  const at = find(state.doc, 'regel, zoals') + 'regel,'.length;
  let s = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)));
  insertWikiLink('procedures/leefloon-aanvragen', null)(s, (tr) => { s = s.apply(tr); });
  const out = save(s.doc, source);
  assert.deepEqual(lineDiff(page, out), {
    removed: ['regel, zoals sommige juristen dat doen,'],
    added: ['regel,[[procedures/leefloon-aanvragen]] zoals sommige juristen dat doen,'],
  });
});

test('edit: a task checkbox toggled changes one character', () => {
  const { state, source } = stateOf(page);
  let pos = -1;
  state.doc.descendants((node, p) => { if (pos < 0 && node.type.name === 'list_item' && node.attrs.checked === false) pos = p; return pos < 0; });
  const item = state.doc.nodeAt(pos);
  const out = save(state.apply(state.tr.setNodeMarkup(pos, null, { ...item.attrs, checked: true })).doc, source);
  assert.equal(out.length, page.length);
  let differ = 0;
  for (let i = 0; i < page.length; i++) if (out[i] !== page[i]) differ++;
  assert.equal(differ, 1);
  assert.ok(out.includes('- [x] open'));
});

test('edit: a paragraph deleted removes its lines only', () => {
  const text = 'Een.\n\nTwee.\n\nDrie.\n';
  const { state, source } = stateOf(text);
  const first = state.doc.child(0).nodeSize;
  const out = save(state.apply(state.tr.delete(first, first + state.doc.child(1).nodeSize)).doc, source);
  assert.equal(out, 'Een.\n\nDrie.\n');
});

test('edit: CRLF pages keep CRLF in changed and new lines', () => {
  const { state, source } = stateOf(NASTY.crlf);
  const out = save(replaceWord(state, 'twee regels', 'drie regels').doc, source);
  assert.equal(out, NASTY.crlf.replace('twee regels', 'drie regels'));
  const end = state.doc.content.size;
  const out2 = save(state.apply(state.tr.insert(end, schema.nodes.paragraph.create(null, schema.text('Nieuw.')))).doc, source);
  assert.equal(out2, NASTY.crlf + '\r\nNieuw.\r\n');
});

test('edit: no final newline stays without one', () => {
  const { state, source } = stateOf(NASTY.noFinalNewline);
  assert.equal(save(replaceWord(state, 'zonder', 'nog steeds zonder').doc, source), '# Kop\n\nLaatste regel nog steeds zonder einde');
});

test('edit: text that looks like Markdown is escaped and reads back as typed', () => {
  const { state, source } = stateOf('Tekst.\n');
  const at = find(state.doc, 'Tekst.') + 6;
  const typed = ' *niet vet* [geen link] # 1. <b> ==x== a_b_c';
  const out = save(state.apply(state.tr.insertText(typed, at)).doc, source);
  assert.equal(parseMarkdown(out).doc.textContent, 'Tekst.' + typed);
});

test('edit: opaque blocks are never rewritten', () => {
  const { state, source } = stateOf(NASTY.markdigOnly + '\n' + NASTY.rawHtml + '\n' + NASTY.footnotes);
  const text = source.text;
  const types = [];
  state.doc.forEach((n) => types.push(n.type.name));
  assert.ok(types.filter((t) => t === 'opaque_block').length >= 6, types.join(','));
  const out = save(replaceWord(state, 'Na de voetnoten', 'Na alle voetnoten').doc, source);
  assert.deepEqual(lineDiff(text, out), { removed: ['Na de voetnoten.'], added: ['Na alle voetnoten.'] });
});

test('idempotence: save(open(save(open(x)))) == save(open(x)) after an edit', () => {
  for (const p of [...starterPages().slice(0, 20), ...Object.entries(NASTY).map(([name, text]) => ({ name, text }))]) {
    const { state, source } = stateOf(p.text);
    let edited = state;
    let pos = -1;
    state.doc.descendants((node, at) => { if (pos < 0 && node.isText && node.text.length > 3) pos = at + 1; return pos < 0; });
    if (pos > 0) edited = state.apply(state.tr.insertText('X', pos));
    const once = save(edited.doc, source);
    const again = open(once);
    const twice = save(Node.fromJSON(schema, again.doc.toJSON()), again.source);
    assert.equal(twice, once, p.name);
    assert.equal(canon(again.doc), canon(edited.doc), p.name + ': reads back as edited');
  }
});

test('merge3: both sides apply, overlaps are refused', () => {
  assert.equal(merge3('abc def', 'abc  def', 'abX def'), 'abX  def');
  assert.equal(merge3('abc', 'aXc', 'aYc'), null);
});

test('every text position: a character typed or deleted changes exactly that one line, with no fallback', () => {
  const pages = [...starterPages(), ...Object.entries(NASTY).map(([name, text]) => ({ name, text })), ...generatedPages(10)];
  let edits = 0;
  for (const p of pages) {
    const { doc, source } = open(p.text);
    const state = EditorState.create({ doc, schema });
    const positions = [];
    doc.descendants((n, pos) => { if (n.isText) positions.push(pos + Math.floor(n.text.length / 2)); });
    positions.forEach((at, k) => {
      const tr = k % 2 ? state.tr.delete(at, at + 1) : state.tr.insertText('Q', at);
      const out = save(tr.doc, source);
      const d = lineDiff(p.text, out);
      assert.ok(d.removed.length === 1 && d.added.length === 1, p.name + ' @' + at + ': ' + JSON.stringify(d));
      edits++;
    });
  }
  assert.ok(edits > 2500, 'edits tried: ' + edits);
});
