// Phi-3 longrope: transformers uses the short-factor RoPE table while max(position) + 1 <=
// original_max_position_embeddings and the long-factor one beyond, for every position. The
// phi3 fixture's full prompt (T = 11 > 8) is checked by forward.reference.test.ts (long table);
// here an 8-token prefix must match the reference run with the short table (not the first rows
// of the long run), through the same session: the graph switches tables on the sequence length.

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import { flatten, relError } from '../../../test/engine/compare';

ort.env.wasm.numThreads = 1;

describe('longrope switches tables at original_max_position_embeddings', () => {
  it('phi3-fused-fp16: prefix of 8 (short factors) and the full prompt (long factors) in one session', async () => {
    const name = 'phi3-fused-fp16';
    const short = JSON.parse(readFileSync(`fixtures/longrope/${name}.json`, 'utf8'));
    const full = JSON.parse(readFileSync(`fixtures/reference/${name}.json`, 'utf8'));
    const m = await loadModel({ kind: 'dir', path: `fixtures/models/${name}` }, { ort, backend: 'wasm' });
    try {
      const a = await m.forward(short.ids, { allLogits: true });
      const b = await m.forward(full.ids, { allLogits: true });
      const errShort = relError(Array.from(a.logits), flatten(short.logits));
      const errFull = relError(Array.from(b.logits), flatten(full.logits));
      // the two tables really differ on the shared prefix
      const firstRows = flatten(full.logits).slice(0, short.ids.length * m.spec.vocabSize);
      const differ = relError(firstRows, flatten(short.logits));
      console.log(`${name}: short rel ${errShort.toExponential(2)}, long rel ${errFull.toExponential(2)}, short vs long prefix ${differ.toExponential(2)}`);
      expect(errShort).toBeLessThanOrEqual(1e-3);
      expect(errFull).toBeLessThanOrEqual(1e-3);
      expect(differ).toBeGreaterThan(1e-2);
    } finally {
      await m.dispose();
    }
  });
});
