// Knockout sweeps against the PyTorch reference (tools/reference/make_knockout_fixtures.py).
// Tolerance: p' within 1e-4 relative of the reference and the effect within 0.01
// percentage points (measured: about 1e-5).

import { readdirSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import type { Segment } from '../text/prompt';
import { knockoutDepth, knockoutMask, knockoutSweep, windowLayers } from './knockout';

ort.env.wasm.numThreads = 1;

describe('knockout windows', () => {
  it('centres windows on the layer and clips them', () => {
    expect(windowLayers(1, 3, 8)).toEqual([1, 2]);
    expect(windowLayers(4, 3, 8)).toEqual([3, 5]);
    expect(windowLayers(8, 3, 8)).toEqual([7, 8]);
    expect(windowLayers(4, 4, 8)).toEqual([3, 6]);
    expect(windowLayers(5, 1, 8)).toEqual([5, 5]);
  });

  it('masks only the last row, in the window layers', () => {
    const m = knockoutMask(3, 4, [0, 2], 2, 3);
    const on = [...m.keys()].filter((i) => m[i]);
    expect(on).toEqual([1 * 16 + 3 * 4 + 0, 1 * 16 + 3 * 4 + 2, 2 * 16 + 3 * 4 + 0, 2 * 16 + 3 * 4 + 2]);
  });
});

describe('knockout matches the PyTorch reference', () => {
  for (const file of readdirSync('fixtures/knockout')) {
    const ref = JSON.parse(readFileSync(`fixtures/knockout/${file}`, 'utf8'));
    it(ref.model, async () => {
      const m = await loadModel({ kind: 'dir', path: `fixtures/models/${ref.model}` }, { ort, backend: 'wasm' });
      const L = m.spec.numLayers;
      const T = ref.ids.length;
      const [base] = await m.knockoutBatch(ref.ids, ref.target, [new Uint8Array(L * T * T)]);
      expect(Math.abs(Math.exp(base) - ref.base_prob) / ref.base_prob).toBeLessThan(1e-4);
      const masks: Uint8Array[] = [];
      const want: number[] = [];
      const wantEffect: number[] = [];
      for (const [set, keys] of Object.entries(ref.sets as Record<string, number[]>)) {
        for (let l = 1; l <= L; l++) {
          const [lo, hi] = windowLayers(l, ref.window, L);
          masks.push(knockoutMask(L, T, keys, lo, hi));
          want.push(ref.prob[set][l - 1]);
          wantEffect.push(ref.effect[set][l - 1]);
        }
      }
      // batched, in uneven batches, so batch boundaries are exercised
      const lp = await m.knockoutBatch(ref.ids, ref.target, masks, 4);
      lp.forEach((x, i) => {
        const p = Math.exp(x);
        expect(Math.abs(p - want[i]) / want[i]).toBeLessThan(1e-4);
        expect(Math.abs((100 * (p - ref.base_prob)) / ref.base_prob - wantEffect[i])).toBeLessThan(0.01);
      });
      await m.dispose();
    });
  }
});

describe('knockoutSweep', () => {
  it('streams partial results, reports depth, and agrees with single runs', async () => {
    const ref = JSON.parse(readFileSync('fixtures/knockout/llama-llama3rope-bf16.json', 'utf8'));
    const m = await loadModel({ kind: 'dir', path: `fixtures/models/${ref.model}` }, { ort, backend: 'wasm' });
    const T = ref.ids.length;
    // label positions so the sets match the reference's "early" and "middle" sets
    const segments: Segment[] = Array.from({ length: T }, (_, k) => (k <= 2 ? 'question' : k <= 5 ? 'answer' : 'template'));
    const partials: number[] = [];
    const s = await knockoutSweep(m, ref.ids, segments, ref.target, {
      window: ref.window,
      sets: ['question', 'answer'],
      batchSize: 2,
      onPartial: (_, done) => partials.push(done),
    });
    expect(partials.at(-1)).toBe(2 * m.spec.numLayers);
    expect(partials.length).toBe(m.spec.numLayers); // 6 jobs in batches of 2
    s.effect.question.forEach((e, i) => expect(e!).toBeCloseTo(ref.effect.early[i], 2));
    s.effect.answer.forEach((e, i) => expect(e!).toBeCloseTo(ref.effect.middle[i], 2));
    // depth: last window with effect <= -50 (reference: middle = [-76.3, -54.9, -21.9] -> layer 2)
    const expected = ref.effect.middle.map((e: number, i: number) => (e <= -50 ? i + 1 : 0)).reduce((a: number, b: number) => Math.max(a, b), 0) || null;
    expect(knockoutDepth(s, 'answer')).toBe(expected);
    await m.dispose();
  });
});
