// The validator against generated results, by class: every valid shape is accepted and draws
// in every view; every class of cross-field inconsistency and every size past the caps is
// refused with a message in words; whatever it accepts, no view throws on.
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../engine/result';
import { renderEveryView, renderMatrix } from '../../test/viz/render-all';
import { RESULT_CAPS } from './result-limits';
import { parseResultJSON, validateResult } from './result-file';
import { ANALYSIS_BREAKERS, genAnalysis, genMatrix, MATRIX_BREAKERS, oversizedShapes, randomAnalysis, randomShape, seeded, pickOne, type Rand } from '../../test/state/result-generators';

const LANGS = ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'];

function randomMatrix(rand: Rand): MatrixResult {
  const n = 1 + Math.floor(rand() * 4);
  const shuffled = [...LANGS].sort(() => rand() - 0.5);
  return genMatrix(rand, { contextLangs: shuffled.slice(0, n), questionLangs: shuffled.slice(n, n + 1 + Math.floor(rand() * 3)), N: 1 + Math.floor(rand() * 3), L: 1 + Math.floor(rand() * 30), depths: rand() < 0.6, complete: rand() < 0.7 });
}

/** a message a person reads: words, the field, no internals leaking */
function expectWords(errors: string[]) {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(e).not.toMatch(/undefined|\[object|Cannot read|is not iterable|NaN is outside/);
    expect(e.length).toBeLessThan(600);
  }
}

describe('valid results of every shape', () => {
  it('are accepted, returned as equal fresh copies, and draw in every view', () => {
    const rand = seeded(17);
    for (let i = 0; i < 120; i++) {
      const r = randomAnalysis(rand);
      const check = validateResult(JSON.parse(JSON.stringify(r)));
      expect(check.ok, check.ok ? '' : check.errors.join('\n')).toBe(true);
      if (!check.ok) continue;
      expect(check.result).toEqual(r);
      expect(renderEveryView(check.result as AnalysisResult, randomAnalysis(rand))).toBeGreaterThan(0);
    }
    for (let i = 0; i < 40; i++) {
      const m = randomMatrix(rand);
      const check = validateResult(JSON.parse(JSON.stringify(m)));
      expect(check.ok, check.ok ? '' : check.errors.join('\n')).toBe(true);
      if (check.ok) expect(renderMatrix(check.result as MatrixResult)).toBeGreaterThan(0);
    }
  });

  it('at the caps: the deepest, widest and longest results a supported model can produce are accepted', () => {
    const rand = seeded(3);
    for (const shape of [
      { L: RESULT_CAPS.layers, H: 2, T: 3 },
      { L: 1, H: RESULT_CAPS.heads, T: 3 },
      { L: 1, H: 1, T: RESULT_CAPS.tokens },
      { L: 2, H: 1, T: 3, V: RESULT_CAPS.vocab },
    ]) {
      const r = genAnalysis(rand, { ...shape, knockout: true, relevance: true, constant: 0 });
      const check = validateResult(r);
      expect(check.ok, check.ok ? '' : check.errors.join('\n')).toBe(true);
    }
  });
});

describe('cross-field inconsistencies, by class', () => {
  it('every class is refused with a message naming the field in words', () => {
    const rand = seeded(20251106);
    const seen = new Map<string, number>();
    let crashesWithoutValidation = 0;
    for (const b of ANALYSIS_BREAKERS) {
      let tries = 0;
      while ((seen.get(b.name) ?? 0) < 6 && tries++ < 200) {
        const r = genAnalysis(rand, { ...randomShape(rand), knockout: rand() < 0.8, relevance: rand() < 0.8 });
        if (r.knockout && r.knockout.window > r.model.numLayers) continue;
        if (!b.applies(r)) continue;
        b.apply(r, rand);
        try {
          renderEveryView(r);
        } catch {
          crashesWithoutValidation++;
        }
        const check = validateResult(JSON.parse(JSON.stringify(r)));
        expect(check.ok, `${b.name} was accepted`).toBe(false);
        if (!check.ok) expectWords(check.errors);
        seen.set(b.name, (seen.get(b.name) ?? 0) + 1);
      }
      expect(seen.get(b.name) ?? 0, `${b.name} never applied`).toBeGreaterThan(0);
    }
    for (const b of MATRIX_BREAKERS) {
      let done = 0;
      for (let tries = 0; done < 6 && tries < 200; tries++) {
        const m = randomMatrix(rand);
        if (!b.applies(m)) continue;
        b.apply(m, rand);
        const check = validateResult(JSON.parse(JSON.stringify(m)));
        expect(check.ok, `${b.name} was accepted`).toBe(false);
        if (!check.ok) expectWords(check.errors);
        done++;
      }
      expect(done, `${b.name} never applied`).toBeGreaterThan(0);
    }
    // the classes are real: drawn without the validator, some of them throw in the views
    expect(crashesWithoutValidation).toBeGreaterThan(0);
  });

  it('the knockout crashes the probe found: no sets with effects, no windows', () => {
    const r = genAnalysis(seeded(1), { L: 4, H: 2, T: 6, knockout: true });
    const a = structuredClone(r);
    a.knockout!.sets = [];
    const b = structuredClone(r);
    b.knockout!.windows = [];
    for (const k of Object.keys(b.knockout!.effect)) b.knockout!.effect[k] = [];
    const ea = validateResult(a);
    const eb = validateResult(b);
    expect(!ea.ok && ea.errors.join('\n')).toMatch(/knockout sweep \(knockout\.effect\) has an effect for "question", which is not one of the blocked sets|knockout\.sets\) is empty/);
    expect(!eb.ok && eb.errors.join('\n')).toMatch(/knockout sweep \(knockout\.windows\) has 0 windows; the result's shape needs 4/);
  });
});

describe('size amplification', () => {
  it('a result past any cap is refused, and the message says what xlens can produce', () => {
    const rand = seeded(9);
    for (const { name, shape } of [...oversizedShapes(1), ...oversizedShapes(4)]) {
      const r = genAnalysis(rand, shape);
      const check = validateResult(r);
      expect(check.ok, name).toBe(false);
      if (!check.ok) {
        expectWords(check.errors);
        expect(check.errors.join('\n')).toMatch(/results are limited to at most 64 layers, 64 attention heads, 8,192 prompt tokens and a vocabulary of 1,048,576/);
      }
    }
  });

  it('the freeze the probe found (T = 32,768 tokens, L = 21) is refused before any grid is read', () => {
    const r = genAnalysis(seeded(2), { L: 21, H: 1, T: 32768, constant: 0 });
    const text = JSON.stringify(r);
    const t0 = performance.now();
    const check = parseResultJSON(text);
    const ms = performance.now() - t0;
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors[0]).toMatch(/The prompt \(prompt\.tokens\) has 32,768 tokens; xlens runs prompts of at most 8,192 tokens/);
    // not a benchmark: the refusal costs a parse, not a walk over 21 x 32,768 cells of views
    expect(ms).toBeLessThan(5000);
  });

  it('a large valid result (T = 1,024, L = 36, 16 heads) validates in one pass', () => {
    const r = genAnalysis(seeded(4), { L: 36, H: 16, T: 1024, knockout: true, relevance: true });
    const text = JSON.stringify(r);
    const check = parseResultJSON(text);
    expect(check.ok).toBe(true);
  });
});

describe('messages in words', () => {
  it('a missing field is "missing", not "expected text, got undefined"', () => {
    const rand = seeded(5);
    for (const [section, field, words] of [
      ['input', 'context', /The context text \(input\.context\) is missing\./],
      ['model', 'numLayers', /The model's number of layers \(model\.numLayers\) is missing\./],
      ['generation', 'text', /The model's answer \(generation\.text\) is missing\./],
      ['prompt', 'target', /The target token \(prompt\.target\) is missing\./],
    ] as const) {
      const r = genAnalysis(rand, { L: 2, H: 1, T: 3, partial: false }) as unknown as Record<string, Record<string, unknown>>;
      delete r[section][field];
      const check = validateResult(r);
      expect(check.ok).toBe(false);
      if (!check.ok) {
        expect(check.errors.join('\n')).toMatch(words);
        expect(check.errors.join('\n')).not.toMatch(/undefined/);
      }
    }
  });

  it('a file with two byte-order marks is refused; one is fine', () => {
    const text = JSON.stringify(genAnalysis(seeded(6), { L: 1, H: 1, T: 2 }));
    expect(parseResultJSON(`\uFEFF${text}`).ok).toBe(true);
    const two = parseResultJSON(`\uFEFF\uFEFF${text}`);
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.errors[0]).toMatch(/two byte-order marks/);
  });

  it('every replacement in every field of a generated result: refused in words, or accepted and drawable', () => {
    const rand = seeded(11);
    const weird: unknown[] = [undefined, null, -1, 0, 1.5, 1e9, '', 'x', [], {}, true];
    for (let i = 0; i < 8; i++) {
      const base = randomAnalysis(rand);
      const text = JSON.stringify(base);
      const paths: string[][] = [];
      const walk = (x: unknown, p: string[]) => {
        if (p.length > 4) return;
        if (Array.isArray(x)) [0, x.length - 1].filter((k) => k >= 0).forEach((k) => (paths.push([...p, String(k)]), walk(x[k], [...p, String(k)])));
        else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) (paths.push([...p, k]), walk(v, [...p, k]));
      };
      walk(base, []);
      for (const p of paths) {
        const obj = JSON.parse(text);
        let o = obj;
        for (const k of p.slice(0, -1)) o = o[k];
        const v = pickOne(rand, weird);
        if (v === undefined) delete o[p[p.length - 1]];
        else o[p[p.length - 1]] = v;
        const check = validateResult(obj);
        if (check.ok) {
          if (check.result.kind === 'analysis') renderEveryView(check.result);
        } else expectWords(check.errors);
      }
    }
  });
});
