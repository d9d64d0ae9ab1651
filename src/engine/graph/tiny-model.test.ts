// The engine on the bundled tiny model against the training code's own PyTorch forward
// (tools/tiny-model/forward-fixture.json, written by tools/tiny-model/train.py fixture).
// Tolerance as for the reference fixtures: relative error <= 1e-3 (measured ~1e-5).

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import { relError } from '../../../test/engine/compare';

ort.env.wasm.numThreads = 1;

describe('tiny instruct model vs its PyTorch training code', () => {
  it('logits and residual stream at the last position, and greedy argmax everywhere', async () => {
    const fx = JSON.parse(readFileSync('tools/tiny-model/forward-fixture.json', 'utf8'));
    const m = await loadModel({ kind: 'dir', path: 'public/models/xlens-tiny-instruct' }, { ort, backend: 'wasm' });
    const r = await m.forward(fx.ids, { allLogits: true });
    const T = r.T;
    expect(relError(r.logits.subarray((T - 1) * r.V, T * r.V), fx.logits_last)).toBeLessThanOrEqual(1e-3);
    for (let l = 0; l <= r.L; l++) expect(relError(r.hidden[l].subarray((T - 1) * r.d, T * r.d), fx.hidden_last[l])).toBeLessThanOrEqual(1e-3);
    const argmax = Array.from({ length: T }, (_, t) => {
      let best = 0;
      for (let v = 1; v < r.V; v++) if (r.logits[t * r.V + v] > r.logits[t * r.V + best]) best = v;
      return best;
    });
    expect(argmax).toEqual(fx.argmax);
  });
});
