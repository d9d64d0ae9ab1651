import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult, XlensResult } from '../engine/result';
import { defaultPageState, parsePageState } from './page-state';
import {
  decodePermalink,
  decodeResultPayload,
  encodePermalink,
  encodeStateLink,
  fromBase64url,
  quantise,
  quantiseResult,
  encodeStateLinkCompressed,
  encodeTextPayload,
  deflateRaw,
  toBase64url,
  URL_BUDGET,
} from './permalink';
import { INVISIBLES, pickOne, randInt, seeded, sprinkle } from '../../test/state/result-generators';

const BASE = 'http://127.0.0.1:4173/';
const analysis = (): AnalysisResult => JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8'));
const matrix = (): MatrixResult => JSON.parse(readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8'));

/** every real number of a result, with its path */
function numbers(x: unknown, path = '', out: [string, number][] = []): [string, number][] {
  if (typeof x === 'number') out.push([path, x]);
  else if (Array.isArray(x)) x.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) numbers(v, `${path}.${k}`, out);
  return out;
}

describe('base64url', () => {
  it('round-trips every length and rejects foreign characters', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64url(toBase64url(b))).toEqual(b);
    }
    expect(fromBase64url('ab+c')).toBeNull();
    expect(fromBase64url('abcde')).toBeNull();
    expect(fromBase64url('é')).toBeNull();
  });
});

describe('state links', () => {
  it('round-trip a non-default state', async () => {
    const s = defaultPageState();
    s.contextLang = 'ar';
    s.questionLang = 'th';
    s.example = 'tiny-01';
    s.view.pinnedLayer = 3;
    s.view.lensMetric = 'rank';
    s.tab = 'compare';
    s.compare.diff = true;
    const url = encodeStateLink(s, BASE);
    expect(url.startsWith(`${BASE}?`)).toBe(true);
    const d = await decodePermalink(url);
    expect(d.errors).toEqual([]);
    expect(d.state).toEqual(s);
    expect(d.result).toBeNull();
  });

  it('custom text of every script and length goes compressed into the fragment; the query stays short', async () => {
    const rand = seeded(404);
    const scripts = ['نص عربي طويل ', '这是一个很长的中文上下文。', 'ข้อความภาษาไทยยาว ', 'Ein langer deutscher Text. ', 'हिन्दी पाठ '];
    for (let i = 0; i < 30; i++) {
      const s = defaultPageState();
      const unit = pickOne(rand, scripts);
      const context = sprinkle(rand, unit.repeat(Math.ceil(4000 / unit.length)).slice(0, randInt(rand, 1, 4000)), INVISIBLES.filter((c) => c !== '\u0000'), randInt(rand, 0, 3));
      s.custom = { context, question: unit.repeat(40).slice(0, randInt(rand, 1, 4000)), answer: context.slice(0, 10) };
      s.example = null;
      for (const url of [await encodeStateLinkCompressed(s, BASE), encodeStateLink(s, BASE)]) {
        const u = new URL(url);
        expect(u.search).not.toMatch(/[?&](ctx|q|ans)=/);
        expect(u.search.length).toBeLessThan(200);
        expect(u.hash).toMatch(/^#t=[01]\./);
        const d = await decodePermalink(url);
        expect(d.errors).toEqual([]);
        expect(d.state.custom).toEqual(s.custom);
      }
      // compressed, the longest texts still fit a link
      expect((await encodeStateLinkCompressed(s, BASE)).length).toBeLessThan(URL_BUDGET);
    }
  });

  it('still reads old links: custom text in the query, page parameters in the fragment', async () => {
    const old = await decodePermalink(`${BASE}?model=xlens-tiny-instruct&cl=ar&ql=en&ctx=${encodeURIComponent('أحمد يعيش في القاهرة.')}&q=Where%3F&ans=${encodeURIComponent('القاهرة')}`);
    expect(old.errors).toEqual([]);
    expect(old.state.custom).toEqual({ context: 'أحمد يعيش في القاهرة.', question: 'Where?', answer: 'القاهرة' });
    const frag = await decodePermalink(`${BASE}#model=xlens-tiny-base&cl=zh&ctx=${encodeURIComponent('玛丽住在北京。')}&q=x&ans=${encodeURIComponent('北京')}`);
    expect(frag.errors).toEqual([]);
    expect(frag.state.model).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
    expect(frag.state.custom?.answer).toBe('北京');
  });

  it('a damaged, oversized or hostile t= payload is named in a notice and the rest of the page stays', async () => {
    const good = await encodeTextPayload({ context: 'Ana lives in Lisbon.', question: 'Where?', answer: 'Lisbon' });
    const bomb = `1.${toBase64url(await deflateRaw(new TextEncoder().encode(JSON.stringify({ context: 'x'.repeat(5_000_000), question: 'q', answer: 'x' }))))}`;
    const tooLong = `1.${toBase64url(await deflateRaw(new TextEncoder().encode(JSON.stringify({ context: 'x'.repeat(4001), question: 'q', answer: 'x' }))))}`;
    for (const t of [good.slice(0, 12), bomb, tooLong, '2.AAAA', '1.!!!', `0.${toBase64url(new TextEncoder().encode('{"context":1}'))}`, '']) {
      const d = await decodePermalink(`${BASE}?cl=ar#t=${t}`);
      expect(d.state.contextLang).toBe('ar');
      expect(d.state.custom).toBeNull();
      expect(d.errors.join('\n')).toMatch(/Ignored the custom text in the link: /);
    }
  });

  it('names a mis-cased #R= or #T= and a result put in the query', async () => {
    const upper = await decodePermalink(`${BASE}?cl=ar#R=1.AAAA&T=1.AAAA`);
    expect(upper.errors.join('\n')).toMatch(/Ignored #R=: fragment settings are lower case; did you mean #r=\? The result in the link was not loaded\./);
    expect(upper.errors.join('\n')).toMatch(/did you mean #t=\?/);
    expect(upper.state.contextLang).toBe('ar');
    const query = await decodePermalink(`${BASE}?cl=ar&r=1.AAAA`);
    expect(query.errors.join('\n')).toMatch(/Ignored r= in the query/);
    expect(query.result).toBeNull();
  });

  it('fragment parameters override the query', async () => {
    const d = await decodePermalink(`${BASE}?cl=ar&ql=en#cl=de`);
    expect(d.state.contextLang).toBe('de');
    expect(d.state.questionLang).toBe('en');
  });
});

describe('quantisation', () => {
  it('keeps 4 significant digits only where the display is unchanged', () => {
    expect(quantise(0.123456, true)).toBe(0.1235);
    // where rounding twice would change the 3-digit display (x.xx5 boundaries), the value is kept
    let kept = 0;
    for (let i = 0; i < 20000; i++) {
      const x = Number((0.1 + i * 0.0000449).toPrecision(6));
      const q = quantise(x);
      if (q === x) kept++;
      expect(q.toPrecision(3)).toBe(x.toPrecision(3));
    }
    expect(kept).toBeGreaterThan(0);
    expect(quantise(0)).toBe(0);
    expect(quantise(-86.964)).toBe(-86.96);
  });

  it('keeps the 4-decimal tooltips (probabilities, relevance), row sums and the target logit', () => {
    expect(quantise(-1.92584, false, true)).toBe(-1.92584);
    expect(quantise(0.0123456, true).toFixed(4)).toBe((0.0123456).toFixed(4));
    const a = analysis();
    if (!a.relevance) return;
    a.relevance.targetLogit = 21.22449;
    a.relevance.relevance[0][0] = 21.22449;
    const q = quantiseResult(a);
    expect(q.relevance!.targetLogit).toBe(21.22449);
    q.relevance!.relevance.forEach((row, i) => {
      const sum = (r: number[]) => r.reduce((x, y) => x + y, 0).toFixed(3);
      expect(sum(row)).toBe(sum(a.relevance!.relevance[i]));
      row.forEach((x, j) => {
        const y = a.relevance!.relevance[i][j];
        if (Math.abs(y) >= 0.001) expect(x.toFixed(4)).toBe(y.toFixed(4));
      });
    });
  });

  it('leaves every displayed number (3 significant digits, 2-3 decimals) unchanged', () => {
    for (const r of [analysis(), matrix()] as XlensResult[]) {
      const a = numbers(r);
      const b = numbers(quantiseResult(r));
      expect(b.length).toBe(a.length);
      let changed = 0;
      a.forEach(([p, x], i) => {
        expect(b[i][0]).toBe(p);
        const y = b[i][1];
        if (x !== y) changed++;
        expect(y.toPrecision(3), p).toBe(x.toPrecision(3));
        if (Math.abs(x) < 1) expect(y.toFixed(3), p).toBe(x.toFixed(3));
        else expect(y.toFixed(1), p).toBe(x.toFixed(1));
        if (Number.isInteger(x)) expect(y).toBe(x);
      });
      if (r.kind === 'analysis') expect(changed).toBeGreaterThan(a.length / 4);
    }
  });
});

describe('permalinks with results', () => {
  it('embed an analysis under the budget and give it back with the recorded stamp', async () => {
    const s = defaultPageState();
    const a = analysis();
    const e = await encodePermalink(s, { base: BASE, result: a });
    expect(e.tooLarge).toBe(false);
    expect(e.url.length).toBe(e.length);
    expect(e.url.length).toBeLessThanOrEqual(URL_BUDGET);
    expect(new URL(e.url).hash).toMatch(/^#r=1\.[A-Za-z0-9_-]+$/);
    const d = await decodePermalink(e.url);
    expect(d.errors).toEqual([]);
    expect(d.result).toEqual(quantiseResult(a));
    expect(d.recorded).toEqual({ model: a.model.id, backend: 'wasm', date: a.createdAt });
    console.log(`analysis permalink: ${e.url.length} chars (${a.prompt.tokens.length} tokens, ${a.model.numLayers} layers, JSON ${JSON.stringify(a).length})`);
  });

  it('embed a matrix', async () => {
    const e = await encodePermalink(defaultPageState(), { base: BASE, result: matrix(), recorded: { model: 'm', backend: 'webgpu', date: '2025-01-01' } });
    const d = await decodePermalink(e.url);
    expect(d.result?.kind).toBe('matrix');
    expect(d.recorded).toEqual({ model: 'm', backend: 'webgpu', date: '2025-01-01' });
  });

  it('say tooLarge above the budget and still give a state-only link', async () => {
    const a = analysis();
    // a long prompt: ~1700 tokens of incompressible-ish numbers
    const T = 1700;
    const rnd = (i: number) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1;
    let k = 0;
    a.prompt.tokens = Array.from({ length: T }, (_, i) => ({ id: i % 300, text: `t${i}`, segment: 'context' as const, start: 0, end: 0 }));
    const g = (rows: number) => Array.from({ length: rows }, () => Array.from({ length: T }, () => rnd(k++)));
    a.lens.targetProb = g(4);
    a.lens.topProb = g(4);
    a.lens.targetRank = g(4).map((r) => r.map((x) => 1 + Math.floor(x * 300)));
    a.lens.topId = g(4).map((r) => r.map(() => 25));
    a.attention.lastRowMean = g(3);
    a.attention.lastRowHeads = [g(4), g(4), g(4)];
    a.relevance!.relevance = g(4);
    const e = await encodePermalink(defaultPageState(), { base: BASE, result: a });
    expect(e.tooLarge).toBe(true);
    expect(e.length).toBeGreaterThan(URL_BUDGET);
    expect(e.url).not.toContain('#r=');
    const d = await decodePermalink(e.url);
    expect(d.errors).toEqual([]);
  });

  it('report damaged, wrong-format and wrong-version payloads clearly', async () => {
    const e = await encodePermalink(defaultPageState(), { base: BASE, result: analysis() });
    const cut = await decodePermalink(e.url.slice(0, e.url.length - 500));
    expect(cut.result).toBeNull();
    expect(cut.resultErrors.join()).toMatch(/damaged|cut off/);
    expect(parsePageState(cut.state).errors).toEqual([]);
    const fmt = await decodeResultPayload('9.AAAA');
    expect(fmt.errors[0]).toMatch(/format "9"/);
    const a = analysis() as unknown as Record<string, unknown>;
    a.schemaVersion = 7;
    const bytes = await deflateRaw(new TextEncoder().encode(JSON.stringify({ result: a })));
    const v = await decodeResultPayload(`1.${toBase64url(bytes)}`);
    expect(v.errors.join(' ')).toMatch(/schema version 7, made by a newer xlens/);
  });

  it('refuse decompression bombs', async () => {
    const bomb = await deflateRaw(new Uint8Array(30 * 1024 * 1024).fill(32));
    expect(bomb.length).toBeLessThan(URL_BUDGET);
    const r = await decodeResultPayload(`1.${toBase64url(bomb)}`);
    expect(r.errors[0]).toMatch(/would unpack to more than 2 MB; a link made by xlens carries at most 32 KB/);
  });

  it('never throw on odd inputs', async () => {
    for (const href of ['', '#', '#r=', '#r=1.', '::::', 'http://[bad', '#r=%E0%A4%A', '?cl=<script>#r=1.!!!!', 'javascript:alert(1)', 'x'.repeat(3 * 1024 * 1024), undefined as unknown as string]) {
      const d = await decodePermalink(href);
      expect(parsePageState(d.state).errors).toEqual([]);
    }
  });
});
