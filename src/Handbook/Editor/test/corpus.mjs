// Test pages: the starter handbook, a generated handbook shaped like bench/Corpus.cs, and hand-written nasty pages.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = new URL('../../../../', import.meta.url).pathname;

/** The body of a page: the same rule as Rendering/FrontMatterText.Split. */
export function body(text) {
  if (!text.startsWith('---\n') && !text.startsWith('---\r\n')) return text;
  const start = text.indexOf('\n') + 1;
  let position = start;
  while (position < text.length) {
    const end = text.indexOf('\n', position);
    const line = (end < 0 ? text.slice(position) : text.slice(position, end)).replace(/\r+$/, '');
    if (line === '---' || line === '...') return end < 0 ? '' : text.slice(end + 1);
    if (end < 0) break;
    position = end + 1;
  }
  return text;
}

export function starterPages() {
  const root = join(repoRoot, 'content', 'handbook');
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push({ name: relative(root, path), text: body(readFileSync(path, 'utf8')) });
    }
  };
  walk(root);
  return out;
}

// bench/Corpus.cs: Dutch-like pages of 1-20 KB with headings, paragraphs with wiki links, lists and tables.
const WORDS = ['aanvraag', 'leefloon', 'cliënt', 'maatschappelijk', 'werker', 'budget', 'begeleiding', 'huur', 'woning', 'waarborg',
  'schuld', 'bemiddeling', 'inkomen', 'attest', 'onderzoek', 'verslag', 'afspraak', 'dossier', 'recht', 'integratie',
  'tewerkstelling', 'artikel', 'opvang', 'gezin', 'jongeren', 'vluchtelingen', 'bescherming', 'zitdag', 'partner',
  'doorverwijzing', 'voorwaarden', 'stappen', 'termijn', 'beslissing', 'beroep', 'energie', 'factuur', 'premie',
  'mantelzorg', 'dementie', 'geweld', 'zwangerschap', 'kind', 'school', 'werk', 'opleiding', 'taal', 'gezondheid',
  'ziekenfonds', 'pensioen', 'handicap', 'vervoer', 'voedsel', 'kleding', 'hulp', 'team', 'expert', 'jurist'];
const SECTIONS = ['werking', 'procedures', 'wetgeving', 'doelgroepen', 'sociale-kaart', 'backoffice'];

function random(seed) {
  let s = seed >>> 0;
  const next = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  return { next, int: (a, b) => a + Math.floor(next() * (b - a)) };
}

const pagePath = (i) => `${SECTIONS[i % SECTIONS.length]}/pagina-${String(i).padStart(5, '0')}`;

function sentence(r, n) {
  const w = [];
  for (let k = 0; k < n; k++) w.push(WORDS[r.int(0, WORDS.length)]);
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1);
}

export function generatedPage(r, i, pages) {
  const target = r.next() < 0.8 ? r.int(1000, 6000) : r.int(6000, 20000);
  let sb = '# ' + sentence(r, 4) + '\n\n';
  while (sb.length < target) {
    sb += '## ' + sentence(r, 3) + '\n\n';
    sb += sentence(r, 25) + ' Zie [[' + pagePath(r.int(0, pages)) + ']].\n\n';
    for (let k = r.int(2, 6); k > 0; k--) sb += '- ' + sentence(r, 8) + '\n';
    sb += '\n';
    if (r.int(0, 4) === 0) {
      sb += '| Stap | Wie | Wat |\n|---|---|---|\n';
      for (let row = 1; row <= 4; row++) sb += '| ' + row + ' | ' + WORDS[r.int(0, WORDS.length)] + ' | ' + sentence(r, 5) + ' |\n';
      sb += '\n';
    }
  }
  return sb;
}

/** Corpus.Edit: a line changed or added somewhere, as the bench's history does. */
function edited(r, text, commit) {
  const lines = text.split('\n');
  const at = r.int(8, Math.max(9, lines.length - 1));
  if (r.int(0, 3) === 0) lines.splice(at, 0, sentence(r, 12) + ` (wijziging ${commit})`);
  else if (lines[at] && !lines[at].startsWith('|')) lines[at] = sentence(r, 12) + ` (wijziging ${commit})`;
  else lines.splice(at, 0, '');
  return lines.join('\n');
}

export function generatedPages(count = 200) {
  const r = random(20261122);
  const out = [];
  for (let i = 0; i < count; i++) {
    let text = generatedPage(r, i, count);
    for (let c = r.int(0, 4); c > 0; c--) text = edited(r, text, c);
    out.push({ name: pagePath(i), text });
  }
  return out;
}

/** Pages written to break a serialiser. */
export const NASTY = {
  crlf: '# Titel\r\n\r\nEen alinea\r\nover twee regels.\r\n\r\n- een\r\n- twee\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n',
  markers: 'Dit is *schuin* en _ook schuin_, **vet** en __ook vet__, ***beide*** en ~~weg~~.\n\nsnake_case_name en 2*3*4 blijven tekst.\n',
  orderedParen: '1) eerste\n2) tweede\n3) derde\n\n5. vijf\n6. zes\n',
  paddedTable: '| Kolom   | Rechts |  Midden  |\n|:--------|-------:|:--------:|\n| a       |      1 |    x     |\n| langere tekst | 22 | y |\n',
  noLeadingPipes: 'Stap | Wie\n--- | ---\n1 | MA\n2 | jurist\n',
  escapes: 'Geen \\*nadruk\\*, geen \\# kop, \\[geen link\\] en 1\\. geen lijst.\n\n\\- ook geen lijst\n\nA &amp; B &copy; 2026 &#169;\n',
  rawHtml: 'Voor.\n\n<div class="box">\n  <p>HTML <b>blok</b></p>\n</div>\n\nNa, met <span>inline</span> HTML en <br> een breuk.\n\n<!-- een commentaar -->\n',
  quotesInLists: '- item met citaat:\n\n  > geciteerd\n  > nog meer\n\n- tweede item\n  - genest\n    - dieper\n',
  footnotes: 'Tekst met een voetnoot[^1] en nog een[^lang].\n\n[^1]: De eerste voetnoot.\n[^lang]: Een lange voetnoot\n    met een tweede regel.\n\nNa de voetnoten.\n',
  references: 'Zie [de website][site] en [nog eens][] of [site].\n\n[site]: https://example.org "Titel"\n[nog eens]: <https://example.org/twee>\n\nLaatste alinea.\n',
  trailingSpaces: 'Regel met harde breuk  \nvolgende regel   \nen spaties op het einde   \n\n## Kop met spaties   \n',
  noFinalNewline: '# Kop\n\nLaatste regel zonder einde',
  setext: 'Grote titel\n===========\n\nKleinere titel\n--------------\n\nTekst.\n',
  hardWrapped: 'Dit is een lange alinea die met de hand is\nafgebroken op ongeveer zestig tekens per\nregel, zoals sommige juristen dat doen,\nen dat moet zo blijven.\n',
  tabs: '-\teen met tab\n-\ttwee\n\n\tcode met tab\n\nTekst\tmet\ttabs.\n',
  calloutsAll: '> [!LET OP]\n> Opgelet.\n\n> [!TIP]\n> Een tip\n> over twee regels.\n\n> [!WETGEVING]\n> Art. 1.\n\n> [!INFO]\n> Info.\n\n> Gewoon citaat.\n',
  wikiLinks: 'Zie [[procedures/leefloon-aanvragen]], [[Huurwaarborg]] en [[doelgroepen/oekrainers|de pagina over Oekraïners]].\n',
  markdigOnly: 'a. eerste\nb. tweede\n\ni. romeins\nii. twee\n\nTerm\n:   Definitie\n\n+---+---+\n| a | b |\n+---+---+\n\nDit is ==gemarkeerd==, x^2^, H~2~O en ++ingevoegd++.\n',
  fences: '```js\nconst a = 1;\n```\n\n~~~~\ntilde ```\n~~~~\n\n    ingesprongen code\n\n```\n',
  bullets: '* ster\n* ster twee\n\n+ plus\n+ plus twee\n\n- min\n',
  looseList: '- een\n\n- twee\n\n- drie\n',
  tasks: '- [ ] open\n- [x] klaar\n- [X] ook klaar\n',
  emptyAndBlank: '\n\n   \n# Kop na lege regels\n\n\n\nTekst na drie lege regels.\n\n\n',
  images: '![Plan van het gebouw](/files/plan.png "Plan") en ![](/files/leeg.png)\n',
  autolinks: 'Mail <info@example.org> of surf naar <https://example.org> of www.example.org.\n',
  hr: 'Boven\n\n***\n\nOnder\n\n- - -\n\nEinde\n',
  lazy: '> citaat\nlui vervolg\n\n- item\nlui item\n',
  nestedOrdered: '1. een\n   1. een.een\n   2. een.twee\n2. twee\n',
  bom: '\uFEFF# Kop met BOM\n\nTekst.\n',
  empty: '',
  onlySpaces: '   \n',
  htmlInList: '- item\n\n  <div>html</div>\n\n- twee\n',
  refInList: '- item met [ref]\n\n  [ref]: https://example.org\n',
  mixedEol: 'Een\r\nTwee\nDrie\r\n',
  headingHashes: '## Kop ##\n\n### Kop met # erin\n',
  codeInline: 'Gebruik `code`, ``dubbel ` tick`` en ` spatie `.\n',
};
