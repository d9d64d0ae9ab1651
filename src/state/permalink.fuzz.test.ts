// Fuzzing the two doors untrusted data comes in by: permalinks (decodePermalink) and result
// files (parseResultJSON / validateResult). Thousands of generated malformed inputs, from a
// seeded PRNG (reproducible; change SEED to explore): truncations at every length class, bit
// and character flips, wrong types in every field, huge numbers and strings, deep nesting,
// NaN/Infinity, wrong schema versions, `__proto__` keys, script-injection and javascript: URLs
// in every string field, hostile page-state parameters. Every one must end in a clear message
// (or a valid result when the mutation happened to be harmless), never throw, and the decoded
// page state must always pass parsePageState.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { XlensResult } from '../engine/result';
import { defaultPageState, parsePageState, type PageState } from './page-state';
import { decodePermalink, deflateRaw, encodePermalink, encodeStateLink, encodeTextPayload, fromBase64url, toBase64url, type Decoded } from './permalink';
import { checkHubBase } from './hub-policy';
import { MAX_LINK_RESULT_CHARS, RESULT_CAPS } from './result-limits';
import { ANALYSIS_BREAKERS, genAnalysis, genMatrix, HUB_URLS, MATRIX_BREAKERS, randomShape, seeded } from '../../test/state/result-generators';
import { parseResultJSON, validateResult, type ResultCheck } from './result-file';
import { renderEveryView, renderMatrix } from '../../test/viz/render-all';

const SEED = 20251106;
const BASE = 'http://127.0.0.1:4173/';
const ANALYSIS_TEXT = readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8').trim();
const MATRIX_TEXT = readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8').trim();

const rand = seeded(SEED);
const ri = (n: number) => Math.floor(rand() * n);
const pick = <T,>(xs: readonly T[]): T => xs[ri(xs.length)];

const HOSTILE_STRINGS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'javascript:alert(document.cookie)',
  '"><svg onload=alert(1)>',
  '=HYPERLINK("http://evil","x")',
  '\u202e\u0000\ufeff',
  '../../etc/passwd',
  '{{constructor.constructor("alert(1)")()}}',
];
const HUGE_STRING = 'A'.repeat(300_000);
const deepNest = (n: number): unknown => {
  let x: unknown = 1;
  for (let i = 0; i < n; i++) x = [x];
  return x;
};
/** wrong-typed and out-of-range replacements for any field (NaN/Infinity only survive the object route) */
const REPLACEMENTS: (() => unknown)[] = [
  () => null,
  () => undefined,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 1e308,
  () => -1e308,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => '1',
  () => '',
  () => pick(HOSTILE_STRINGS),
  () => HUGE_STRING,
  () => ({}),
  () => [],
  () => [1, 'x', null],
  () => deepNest(50),
  () => ({ __proto__: null, polluted: 1 }),
];

/** paths into an object: every key of every object, and 3 indices of every array */
function paths(x: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(x)) {
    const idx = x.length <= 3 ? x.map((_, i) => i) : [0, x.length - 1, 1 + ri(x.length - 2)];
    for (const i of idx) {
      out.push([...prefix, i]);
      paths(x[i], [...prefix, i], out);
    }
  } else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  }
  return out;
}

/** set (or, for undefined, delete: a hole in an array) the value at a path */
function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** string fields, for the injection sweep */
const stringPaths = (x: unknown) => paths(x).filter((p) => typeof p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], x) === 'string');

const stats: Record<string, { cases: number; rejected: number; harmless: number }> = {};
function tally(kind: string, rejected: boolean) {
  const s = (stats[kind] ??= { cases: 0, rejected: 0, harmless: 0 });
  s.cases++;
  if (rejected) s.rejected++;
  else s.harmless++;
}

/** a message a person can read: non-empty text, bounded, no leaked internals */
function expectClear(messages: string[]) {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    expect(typeof m).toBe('string');
    expect(m.length).toBeGreaterThan(10);
    expect(m.length).toBeLessThan(600);
    expect(m).not.toMatch(/\[object Object\]|undefined is not|Cannot read prop/);
  }
}

function checkFileOutcome(kind: string, r: ResultCheck) {
  if (r.ok) {
    // harmless: the fresh copy must itself be valid and survive JSON, and every view draws it
    // (every fourth accepted case per kind: drawing all views is the slow part of the fuzz)
    expect(validateResult(JSON.parse(JSON.stringify(r.result))).ok).toBe(true);
    expect(Object.getPrototypeOf(r.result)).toBe(Object.prototype);
    if ((stats[kind]?.harmless ?? 0) % 4 === 0) {
      if (r.result.kind === 'analysis') renderEveryView(r.result, r.result, { sampleTooltips: true });
      else renderMatrix(r.result);
    }
    tally(kind, false);
  } else {
    expectClear(r.errors);
    tally(kind, true);
  }
}

function checkLinkOutcome(kind: string, d: Decoded, hadPayload: boolean) {
  expect(parsePageState(d.state).errors).toEqual([]);
  expect(parsePageState(JSON.parse(JSON.stringify(d.state))).state).toEqual(d.state);
  for (const m of [...d.errors, ...d.resultErrors]) expectClear([m]);
  if (d.result) {
    expect(validateResult(d.result).ok).toBe(true);
    // whatever a link makes the page show, every view draws without throwing
    if (d.result.kind === 'analysis') renderEveryView(d.result, d.result, { sampleTooltips: true });
    else renderMatrix(d.result);
  }
  // a result that was not loaded says why, apart from the page's settings
  if (hadPayload && !d.result) expectClear(d.resultErrors);
  tally(kind, d.errors.length + d.resultErrors.length > 0);
}

async function payloadFor(envelope: unknown): Promise<string> {
  const bytes = await deflateRaw(new TextEncoder().encode(JSON.stringify(envelope)));
  return `1.${toBase64url(bytes)}`;
}

// Keep the fuzz inside Vitest's default time budget on a slow machine
describe('fuzz: malformed permalinks and result files', () => {
  const results: [string, string][] = [
    ['analysis', ANALYSIS_TEXT],
    ['matrix', MATRIX_TEXT],
  ];
  const total = () => Object.values(stats).reduce((a, s) => a + s.cases, 0);

  it('result files: truncated at every length class', () => {
    for (const [, text] of results) {
      const lens = new Set<number>([0, 1, 2, 3, 10, 100, text.length - 1, text.length - 2]);
      for (let i = 0; i < 120; i++) lens.add(ri(text.length));
      for (let k = 1; k < 20; k++) lens.add(Math.floor((text.length * k) / 20));
      for (const n of lens) checkFileOutcome('file: truncated', parseResultJSON(text.slice(0, n)));
    }
  });

  it('result files: character and byte flips', () => {
    for (const [, text] of results) {
      for (let i = 0; i < 150; i++) {
        const at = ri(text.length);
        const ch = pick(['"', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', 'x', '\\', ' ', 'n']);
        checkFileOutcome('file: char flip', parseResultJSON(text.slice(0, at) + ch + text.slice(at + 1)));
      }
    }
  });

  it('result files: wrong types and values in every field (JSON route and object route)', () => {
    for (const [, text] of results) {
      const base = JSON.parse(text);
      for (const p of paths(base)) {
        for (let k = 0; k < 3; k++) {
          const obj = JSON.parse(text);
          setAt(obj, p, pick(REPLACEMENTS)());
          // object route: NaN/Infinity/undefined reach the validator as they are
          checkFileOutcome('file: wrong type/value (object)', validateResult(obj));
        }
        const obj = JSON.parse(text);
        setAt(obj, p, pick(REPLACEMENTS)());
        checkFileOutcome('file: wrong type/value (JSON)', parseResultJSON(JSON.stringify(obj)));
      }
    }
  });

  it('result files: script injection and javascript: URLs in every string field', () => {
    for (const [, text] of results) {
      for (const p of stringPaths(JSON.parse(text))) {
        for (const s of [pick(HOSTILE_STRINGS), 'javascript:alert(1)']) {
          const obj = JSON.parse(text);
          setAt(obj, p, s);
          const r = validateResult(obj);
          checkFileOutcome('file: injection string', r);
          // when accepted, the text is kept verbatim as data (views use textContent)
          if (r.ok) expect(p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], r.result)).toBe(s);
        }
      }
    }
  });

  it('result files: schema versions, kinds, __proto__ keys, deep nesting, huge input', () => {
    for (const [, text] of results) {
      for (const v of [0, 3, 4, -1, 1.5, '1', null, undefined, NaN, 1e9, [1], { v: 1 }]) {
        const obj = JSON.parse(text);
        setAt(obj, ['schemaVersion'], v);
        const r = validateResult(obj);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors.join(' ')).toMatch(/schema version/);
        checkFileOutcome('file: schema version', r);
      }
      for (const kind of ['Analysis', '', null, 'matrix ', 7, 'compare']) {
        const obj = JSON.parse(text);
        obj.kind = kind;
        checkFileOutcome('file: kind', validateResult(obj));
      }
      const base = JSON.parse(text);
      const objectPaths = paths(base).filter((p) => {
        const v = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], base);
        return v && typeof v === 'object' && !Array.isArray(v);
      });
      for (const p of [[], ...objectPaths]) {
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          // inject as JSON text so "__proto__" arrives as an own key, as an attacker's file would
          const obj = JSON.parse(text);
          const target = p.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, obj);
          const marker = `__xlens_fuzz_${key}__`;
          target[marker] = { polluted: true };
          const hostile = JSON.stringify(obj).replace(`"${marker}"`, `"${key}"`);
          const r = parseResultJSON(hostile);
          expect(r.ok).toBe(false);
          checkFileOutcome('file: prototype key', r);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }
      }
      for (const depth of [20, 1000, 100_000]) {
        const obj = JSON.parse(text);
        setAt(obj, ['model'], deepNest(depth));
        checkFileOutcome('file: deep nesting', validateResult(obj));
      }
      checkFileOutcome('file: huge', parseResultJSON(text.slice(0, -1) + `,"pad":"${'x'.repeat(21 * 1024 * 1024)}"}`));
      const bigArr = JSON.parse(text);
      bigArr.exampleIds = Array.from({ length: 200_000 }, () => 'x');
      checkFileOutcome('file: huge', validateResult(bigArr));
    }
    for (const junk of ['null', 'true', '42', '"text"', '[]', '{}', '\ufeff{}', '<html>', 'NaN', '{"kind":"analysis"}', '{"kind":"matrix","schemaVersion":1}']) {
      checkFileOutcome('file: junk', parseResultJSON(junk));
    }
  });

  it('permalinks: truncated at every length class, bit flips, character flips', async () => {
    const s = defaultPageState();
    s.contextLang = 'ar';
    s.questionLang = 'zh';
    for (const [, text] of results) {
      const e = await encodePermalink(s, { base: BASE, result: JSON.parse(text) as XlensResult });
      expect(e.tooLarge).toBe(false);
      const url = e.url;
      const lens = new Set<number>([0, 1, 5, BASE.length, BASE.length + 5, url.indexOf('#'), url.indexOf('#') + 3, url.indexOf('#') + 5, url.length - 1, url.length - 2, url.length - 5]);
      for (let i = 0; i < 80; i++) lens.add(ri(url.length));
      for (const n of lens) checkLinkOutcome('link: truncated', await decodePermalink(url.slice(0, n)), url.slice(0, n).includes('#r='));
      const hash = url.indexOf('#r=1.') + 5;
      const bytes = fromBase64url(url.slice(hash))!;
      for (let i = 0; i < 120; i++) {
        const b = bytes.slice();
        const flips = 1 + ri(3);
        for (let f = 0; f < flips; f++) b[ri(b.length)] ^= 1 << ri(8);
        checkLinkOutcome('link: bit flip', await decodePermalink(url.slice(0, hash) + toBase64url(b)), true);
      }
      for (let i = 0; i < 80; i++) {
        const at = hash + ri(url.length - hash);
        const ch = pick(['A', '_', '-', '%', '#', '&', '=', '+', ' ', 'é', '/', '.']);
        checkLinkOutcome('link: char flip', await decodePermalink(url.slice(0, at) + ch + url.slice(at + 1)), true);
      }
    }
  });

  it('permalinks: embedded results with wrong types, versions, injections; broken envelopes', async () => {
    for (const [, text] of results) {
      const base = JSON.parse(text);
      const ps = paths(base);
      for (let i = 0; i < 120; i++) {
        const obj = JSON.parse(text);
        setAt(obj, pick(ps), pick(REPLACEMENTS)());
        checkLinkOutcome('link: wrong type/value', await decodePermalink(`${BASE}#r=${await payloadFor({ result: obj })}`), true);
      }
      for (const v of [0, 3, 99, '1', null]) {
        const obj = JSON.parse(text);
        obj.schemaVersion = v;
        const d = await decodePermalink(`${BASE}#r=${await payloadFor({ result: obj })}`);
        expect(d.result).toBeNull();
        expect(d.resultErrors.join(' ')).toMatch(/schema version/);
        checkLinkOutcome('link: schema version', d, true);
      }
      const sp = stringPaths(base);
      for (let i = 0; i < 30; i++) {
        const obj = JSON.parse(text);
        setAt(obj, pick(sp), pick(HOSTILE_STRINGS));
        checkLinkOutcome('link: injection string', await decodePermalink(`${BASE}#r=${await payloadFor({ result: obj, recorded: { model: pick(HOSTILE_STRINGS), backend: 'wasm', date: 'x' } })}`), true);
      }
    }
    for (const env of [null, 1, 'x', [], {}, { result: null }, { result: [] }, { recorded: {} }, { result: 'analysis' }, deepNest(100)]) {
      checkLinkOutcome('link: broken envelope', await decodePermalink(`${BASE}#r=${await payloadFor(env)}`), true);
    }
    for (const raw of ['', '1', '1.', '0.AAAA', '2.AAAA', '1.A', '1.AAAA', '1.!!!', `1.${'A'.repeat(40000)}`, `1.${toBase64url(new TextEncoder().encode('not deflate at all'))}`]) {
      checkLinkOutcome('link: broken payload', await decodePermalink(`${BASE}#r=${encodeURIComponent(raw)}`), true);
    }
  });

  it('permalinks: hostile page-state parameters', async () => {
    const keys = ['tab', 'model', 'rev', 'backend', 'cl', 'ql', 'ex', 'ctx', 'q', 'ans', 'tpl', 'ko', 'rel', 'win', 'lm', 'head', 'seg', 'pl', 'pt', 'cmp', 'diff', 'mcl', 'mql', 'mdep', 'step', 'hub', 'gen', 'debug', 'r', '__proto__', 'constructor', 'v'];
    const values = () =>
      pick([
        ...HOSTILE_STRINGS,
        '',
        '-1',
        '1e309',
        'NaN',
        'Infinity',
        '999999999',
        '0x10',
        'ar,ar',
        'en,xx',
        'owner/name',
        '../../x',
        'x'.repeat(5000),
        'javascript:alert(1)',
        'http://user:pw@evil/',
        '%00',
        '1.AAAA',
        'true',
      ]);
    for (let i = 0; i < 400; i++) {
      const q = new URLSearchParams();
      const f = new URLSearchParams();
      const n = 1 + ri(6);
      for (let k = 0; k < n; k++) (rand() < 0.5 ? q : f).append(pick(keys), values());
      const withFragment = rand() < 0.8;
      const href = `${BASE}?${q}${withFragment ? `#${f}` : ''}`;
      checkLinkOutcome('link: hostile state', await decodePermalink(href), withFragment && f.has('r'));
    }
    // valid random states survive a round trip exactly
    const langs = ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'] as const;
    for (let i = 0; i < 60; i++) {
      const s: PageState = defaultPageState();
      s.contextLang = pick(langs);
      s.questionLang = pick(langs);
      s.view.pinnedLayer = rand() < 0.5 ? null : ri(30);
      s.view.head = rand() < 0.5 ? null : ri(16);
      s.lessonStep = ri(6);
      if (rand() < 0.4) s.custom = { context: pick(HOSTILE_STRINGS) + ' ' + 'ข้อความ'.repeat(ri(500)), question: pick(HOSTILE_STRINGS), answer: 'x' };
      else s.example = pick(['tiny-01', 'bakery-owner', null]);
      const d = await decodePermalink(encodeStateLink(s, BASE));
      expect(d.errors).toEqual([]);
      expect(d.state).toEqual(s);
      tally('link: valid state round trip', false);
    }
    for (const junk of ['', ' ', '#', '?', '#&&&', '#r', '#r=&r=', 'http://[::1', 'data:text/html,<script>alert(1)</script>', 'x'.repeat(2 * 1024 * 1024 + 1), '#%E0%A4%A', '?%']) {
      checkLinkOutcome('link: junk', await decodePermalink(junk), junk.includes('r='));
    }
  });

  it('cross-field invariants: every class of inconsistency, on random shapes, by file and by link', async () => {
    const g = seeded(SEED + 1);
    for (const b of ANALYSIS_BREAKERS) {
      let done = 0;
      for (let tries = 0; done < 4 && tries < 200; tries++) {
        const r = genAnalysis(g, { ...randomShape(g), knockout: g() < 0.8, relevance: g() < 0.8 });
        if ((r.knockout && r.knockout.window > r.model.numLayers) || !b.applies(r)) continue;
        b.apply(r, g);
        const f = parseResultJSON(JSON.stringify(r));
        expect(f.ok, b.name).toBe(false);
        checkFileOutcome('file: cross-field', f);
        if (done === 0) {
          const d = await decodePermalink(`${BASE}#r=${await payloadFor({ result: r })}`);
          expect(d.result, b.name).toBeNull();
          checkLinkOutcome('link: cross-field', d, true);
        }
        done++;
      }
    }
    for (const b of MATRIX_BREAKERS) {
      for (let i = 0; i < 4; i++) {
        const m = genMatrix(g, { contextLangs: ['ar', 'en', 'zh'].slice(0, 1 + ri(3)), questionLangs: ['de', 'th'].slice(0, 1 + ri(2)), N: 1 + ri(3), L: 2 + ri(20), depths: g() < 0.7 });
        if (!b.applies(m)) continue;
        b.apply(m, g);
        const f = validateResult(m);
        expect(f.ok, b.name).toBe(false);
        checkFileOutcome('file: cross-field (matrix)', f);
      }
    }
  });

  it('size amplification: every dimension grown to its cap is accepted, one past it is refused in words; payloads that unpack past the link limit are refused', async () => {
    const g = seeded(SEED + 2);
    const dims: [string, (k: number) => Parameters<typeof genAnalysis>[1], number][] = [
      ['layers', (k) => ({ L: k, H: 1, T: 2, constant: 0 }), RESULT_CAPS.layers],
      ['heads', (k) => ({ L: 1, H: k, T: 2, constant: 0 }), RESULT_CAPS.heads],
      ['tokens', (k) => ({ L: 1, H: 1, T: k, constant: 0 }), RESULT_CAPS.tokens],
      ['vocabulary', (k) => ({ L: 1, H: 1, T: 2, V: k, constant: 0 }), RESULT_CAPS.vocab],
    ];
    for (const [name, shape, cap] of dims) {
      for (const k of [cap, cap + 1, cap * 2, cap * 16]) {
        if (name === 'tokens' && k > cap * 2) continue;
        const r = genAnalysis(g, shape(k));
        const f = validateResult(r);
        expect(f.ok, `${name} ${k}`).toBe(k <= cap);
        if (!f.ok) expect(f.errors.join(' ')).toMatch(/results are limited to at most 64 layers/);
        checkFileOutcome(`file: amplified ${name}`, f);
      }
    }
    // many entries where the schema has a few: top-k lists, token texts, examples
    const wide = genAnalysis(g, { L: 2, H: 1, T: 3 });
    wide.lens.lastTopK[0] = Array.from({ length: RESULT_CAPS.topK + 1 }, (_, i) => ({ id: i, text: 'x', prob: 0 }));
    checkFileOutcome('file: amplified top-k', validateResult(wide));
    expect(validateResult(wide).ok).toBe(false);
    const texts = genAnalysis(g, { L: 2, H: 1, T: 3, V: 100 });
    for (let i = 0; i < 200; i++) texts.lens.tokenText[String(i)] = 'x';
    expect(validateResult(texts).ok).toBe(false);
    const examples = genMatrix(g, { contextLangs: ['en'], questionLangs: ['en'], N: 1, L: 4 });
    examples.exampleIds = Array.from({ length: RESULT_CAPS.examples + 1 }, (_, i) => `e${i}`);
    expect(validateResult(examples).ok).toBe(false);
    // amplification through compression: small payloads that unpack past the link limit
    for (const fill of [0x20, 0x30, 0x5b]) {
      const big = new Uint8Array(MAX_LINK_RESULT_CHARS + 1 + ri(1 << 20)).fill(fill);
      const d = await decodePermalink(`${BASE}#r=1.${toBase64url(await deflateRaw(big))}`);
      expect(d.result).toBeNull();
      expect(d.resultErrors.join(' ')).toMatch(/unpack to more than 2 MB/);
      checkLinkOutcome('link: amplified payload', d, true);
    }
    // the probe's freeze, as a link: 32,768 tokens x 21 layers of zeros in a few dozen KB
    const probe = genAnalysis(g, { L: 21, H: 1, T: 32768, constant: 0 });
    const d = await decodePermalink(`${BASE}#r=${await payloadFor({ result: probe })}`);
    expect(d.result).toBeNull();
    checkLinkOutcome('link: amplified payload', d, true);
    // and the custom text: one field past its limit, or a bomb
    for (const n of [4001, 100_000]) {
      const t = await encodeTextPayload({ context: 'x'.repeat(n), question: 'q', answer: 'x' });
      const dt = await decodePermalink(`${BASE}#t=${t}`);
      expect(dt.state.custom).toBeNull();
      checkLinkOutcome('link: amplified text', dt, false);
    }
  });

  it('custom text in the fragment: truncated, flipped and hostile payloads', async () => {
    const t = await encodeTextPayload({ context: 'أحمد يعيش في القاهرة. Ana lives in Lisbon.', question: 'Where?', answer: 'Lisbon' });
    for (let i = 0; i < 120; i++) {
      const cut = t.slice(0, ri(t.length + 1));
      const flipAt = ri(t.length);
      const flipped = t.slice(0, flipAt) + pick(['A', '_', '-', '.', '%', '!']) + t.slice(flipAt + 1);
      for (const p of [cut, flipped]) {
        const d = await decodePermalink(`${BASE}?cl=ar#t=${p}`);
        expect(d.state.contextLang).toBe('ar');
        checkLinkOutcome('link: text payload', d, false);
      }
    }
  });

  it('hub parameters: whatever a link names, only a hub the policy may offer is kept', async () => {
    const all = Object.values(HUB_URLS).flat();
    const mutate = (u: string) => pick([u, u.toUpperCase(), `${u}/`, `${u}?x=1`, `${u}#f`, u.replace('://', '://user@'), ` ${u} `, u.replace(/\d/g, '9'), `${u}/${'a'.repeat(600)}`, pick(HOSTILE_STRINGS)]);
    for (let i = 0; i < 300; i++) {
      const hub = mutate(pick(all));
      const pageOrigin = pick(['http://127.0.0.1:4173', 'https://xlens.example', 'http://localhost:5173']);
      const where = rand() < 0.5 ? `?hub=${encodeURIComponent(hub)}&model=o/n` : `?model=o/n#hub=${encodeURIComponent(hub)}`;
      const d = await decodePermalink(`${pageOrigin}/${where}`, { pageOrigin });
      const kept = d.runtime.hubBase;
      if (kept !== 'https://huggingface.co') expect(checkHubBase(kept, pageOrigin).ok, `${hub} on ${pageOrigin}`).toBe(true);
      const m = d.state.model;
      if (m.kind === 'hub' && m.hub) expect(m.hub).toBe(kept);
      checkLinkOutcome('link: hub', d, false);
    }
  });

  it('ran at least 1,000 cases', () => {
    const n = total();
    const lines = Object.entries(stats).map(([k, s]) => `  ${k.padEnd(34)} ${String(s.cases).padStart(5)} cases, ${String(s.rejected).padStart(5)} with messages, ${String(s.harmless).padStart(4)} harmless`);
    console.log(`fuzz (seed ${SEED}): ${n} cases\n${lines.join('\n')}`);
    expect(n).toBeGreaterThanOrEqual(1000);
  });
});
