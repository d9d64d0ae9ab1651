// The app graph's row inputs (logit_rows, lens_last_rows, lens_rows) against the same graph
// without them, which projects logits and the lens at every position: the requested rows must
// be exactly those rows (same kernels on the same states), and empty row lists must give empty
// outputs of the right shape (a decode or knockout step asks for no lens at all).

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { specFromConfig } from '../arch/families';
import { Checkpoint } from '../weights/checkpoint';
import { buildForwardGraph } from './forward';
import { serializeModel } from './onnx';

ort.env.wasm.numThreads = 1;

const base = { taps: true, knockout: true, logits: 'all', kvCache: 'past', lensLast: true, lensTarget: true } as const;

async function sessions(name: string) {
  const dir = `fixtures/models/${name}`;
  const spec = specFromConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
  const ckpt = Checkpoint.fromBuffers([{ name: 'model.safetensors', bytes: new Uint8Array(readFileSync(`${dir}/model.safetensors`)) }]);
  const open = (rows: boolean) => ort.InferenceSession.create(serializeModel(buildForwardGraph(spec, ckpt, { ...base, rows })).model, { executionProviders: ['wasm'] });
  return { spec, full: await open(false), rows: await open(true) };
}

const i64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), [xs.length]);

describe('row inputs of the app graph', () => {
  for (const name of ['gemma2-softcap-bf16', 'qwen3-qknorm-bf16']) {
    it(`${name}: requested rows equal the full graph's rows; empty lists give empty outputs`, async () => {
      const { spec, full, rows } = await sessions(name);
      const { numLayers: L, numKvHeads: KVH, headDim: hd, vocabSize: V } = spec;
      const ids = [3, 9, 27, 81, 17, 51];
      const T = ids.length;
      const B = 2;
      const feeds = (extra: Record<string, ort.Tensor>) => {
        const f: Record<string, ort.Tensor> = {
          input_ids: new ort.Tensor('int64', BigInt64Array.from([...ids, ...ids].map(BigInt)), [B, T]),
          knockout: new ort.Tensor('bool', new Uint8Array(B * L * T * T), [B, L, T, T]),
          lens_target: new ort.Tensor('int64', BigInt64Array.of(7n, 11n), [B]),
          ...extra,
        };
        for (let l = 0; l < L; l++) {
          f[`past_key_${l}`] = new ort.Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
          f[`past_value_${l}`] = new ort.Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
        }
        return f;
      };
      const a = await full.run(feeds({}));
      const logitRows = [4, 0];
      const lensRows = [1, 5, 2];
      const b = await rows.run(feeds({ logit_rows: i64(logitRows), lens_last_rows: i64([T - 1]), lens_rows: i64(lensRows) }));

      expect(b.logits.dims).toEqual([B, logitRows.length, V]);
      const la = a.logits.data as Float32Array;
      const lb = b.logits.data as Float32Array;
      for (let bi = 0; bi < B; bi++)
        logitRows.forEach((t, r) => {
          const got = lb.subarray((bi * logitRows.length + r) * V, (bi * logitRows.length + r + 1) * V);
          const want = la.subarray((bi * T + t) * V, (bi * T + t + 1) * V);
          for (let v = 0; v < V; v++) expect(Math.abs(got[v] - want[v])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[v])));
        });

      // lens_last: [B, L+1, 1, V] holds the same numbers as the full graph's [B, L+1, V]
      expect(b.lens_last.dims).toEqual([B, L + 1, 1, V]);
      const xa = a.lens_last.data as Float32Array;
      const xb = b.lens_last.data as Float32Array;
      expect(xb.length).toBe(xa.length);
      for (let k = 0; k < xa.length; k++) expect(Math.abs(xb[k] - xa[k])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(xa[k])));

      for (const out of ['lens_target_logprob', 'lens_target_rank', 'lens_top_id', 'lens_top_logprob']) {
        expect(b[out].dims).toEqual([B, L + 1, lensRows.length]);
        const fa = Array.from(a[out].data as ArrayLike<number | bigint>, Number);
        const fb = Array.from(b[out].data as ArrayLike<number | bigint>, Number);
        for (let bi = 0; bi < B; bi++)
          for (let l = 0; l <= L; l++)
            lensRows.forEach((t, r) => {
              const want = fa[(bi * (L + 1) + l) * T + t];
              const got = fb[(bi * (L + 1) + l) * lensRows.length + r];
              expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
            });
      }

      // a step that wants nothing projected
      const c = await rows.run(feeds({ logit_rows: i64([]), lens_last_rows: i64([]), lens_rows: i64([]) }));
      expect(c.logits.dims).toEqual([B, 0, V]);
      expect(c.lens_last.dims).toEqual([B, L + 1, 0, V]);
      expect(c.lens_target_logprob.dims).toEqual([B, L + 1, 0]);
      expect(c.lens_top_id.dims).toEqual([B, L + 1, 0]);
      // and the residual stream does not depend on what is projected
      expect(Array.from(c.hidden_2.data as Float32Array)).toEqual(Array.from(a.hidden_2.data as Float32Array));
    });
  }
});
