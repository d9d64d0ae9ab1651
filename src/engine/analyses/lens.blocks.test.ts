// The lens in row blocks equals the lens in one block, on every fixture family: the blocks only bound
// the working set, they never change a number. And at the last position both equal the lens the
// forward computes itself (lens_last, its log-softmax in float64 here).
import { readdirSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import { lensGridRows, lensOverStates, logSoftmaxRow } from './lens';

ort.env.wasm.numThreads = 1;

describe('the logit lens in row blocks', () => {
  for (const name of readdirSync('fixtures/models')) {
    it(`${name}: blocks of 1, 3 and 7 rows equal one block; the last position equals the forward's own lens`, async () => {
      const m = await loadModel({ kind: 'dir', path: `fixtures/models/${name}` }, { ort, backend: 'wasm' });
      const { numLayers: L, hiddenSize: d, vocabSize: V } = m.spec;
      const ids = Array.from({ length: 9 }, (_, i) => (i * 37 + 5) % V);
      const T = ids.length;
      const f = await m.forward(ids);
      const cells = lensGridRows(L, T);
      const target = (c: [number, number]) => (c[0] * 13 + c[1] * 7 + 3) % V;
      const whole = await lensOverStates(m, f.hidden, d, cells, target, V, { blockRows: cells.length });
      for (const blockRows of [1, 3, 7]) {
        const blocks: number[] = [];
        const got = await lensOverStates(m, f.hidden, d, cells, target, V, { blockRows, onBlock: (done) => blocks.push(done) });
        expect(blocks.length).toBe(Math.ceil(cells.length / blockRows));
        // the same kernels on the same rows: equal here; a GEMM that picks another path for fewer rows may
        // differ in the last bits, so floats within 1e-5 (relative), ranks by at most a tie
        for (let k = 0; k < cells.length; k++) {
          expect(Math.abs(got.logprob[k] - whole.logprob[k])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(whole.logprob[k])));
          expect(Math.abs(got.topLogprob[k] - whole.topLogprob[k])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(whole.topLogprob[k])));
          expect(Math.abs(got.rank[k] - whole.rank[k])).toBeLessThanOrEqual(1);
        }
        expect(Array.from(got.topId)).toEqual(Array.from(whole.topId));
      }
      // the last position's cells against the forward's lens_last rows (same kernels, same states)
      expect(f.lensLast.length).toBe((L + 1) * V);
      for (let l = 0; l <= L; l++) {
        const k = l * T + (T - 1);
        const lp = logSoftmaxRow(f.lensLast, l * V, V);
        const t = target(cells[k]);
        expect(Math.abs(whole.logprob[k] - lp[t])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(lp[t])));
        let above = 0;
        for (let v = 0; v < V; v++) if (lp[v] > lp[t]) above++;
        expect(Math.abs(whole.rank[k] - above)).toBeLessThanOrEqual(1);
      }
    });
  }
});
