// The app graph's row inputs (logit_rows, lens_last_rows, attn_rows) against the same graph without
// them, which projects logits at every position, the lens at the last one and attention for every
// query row: the requested rows must be exactly those rows (same kernels on the same states), and
// empty row lists must give empty outputs of the right shape (a decode or knockout step asks for no
// lens at all). The lens over fed-back residual states (lens_states) must equal the lens the graph
// computes itself at the last position.

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { specFromConfig } from '../arch/families';
import { logSoftmaxRow } from '../analyses/lens';
import { Checkpoint } from '../weights/checkpoint';
import { appFeeds, OUT, type AppFeedSpec } from './app-io';
import { buildForwardGraph } from './forward';
import { serializeModel } from './onnx';

ort.env.wasm.numThreads = 1;

const base = { taps: true, knockout: true, logits: 'all', kvCache: 'past', lensLast: true, lensStates: true } as const;

async function sessions(name: string) {
  const dir = `fixtures/models/${name}`;
  const spec = specFromConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
  const ckpt = Checkpoint.fromBuffers([{ name: 'model.safetensors', bytes: new Uint8Array(readFileSync(`${dir}/model.safetensors`)) }]);
  const open = (rows: boolean) => ort.InferenceSession.create(serializeModel(buildForwardGraph(spec, ckpt, { ...base, rows })).model, { executionProviders: ['wasm'] });
  return { spec, full: await open(false), rows: await open(true) };
}

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));

describe('row inputs of the app graph', () => {
  for (const name of ['gemma2-softcap-bf16', 'qwen3-qknorm-bf16']) {
    it(`${name}: requested rows equal the full graph's rows; empty lists give empty outputs; lens_states equals lens_last`, async () => {
      const { spec, full, rows } = await sessions(name);
      const { numLayers: L, vocabSize: V, numHeads: H, hiddenSize: d } = spec;
      const ids = [3, 9, 27, 81, 17, 51];
      const T = ids.length;
      const B = 2;
      // the feeds as the app builds them (app-io.ts), less the inputs a session's graph does not have
      const feeds = (session: ort.InferenceSession, f: Omit<AppFeedSpec, 'ids' | 'batch'> = {}) => {
        const all = appFeeds(ort as never, spec, { ids, batch: B, ...f });
        return Object.fromEntries(session.inputNames.map((n) => [n, all[n]]));
      };
      const a = await full.run(feeds(full));
      const logitRows = [4, 0];
      const attnRows = [T - 1, 2];
      const b = await rows.run(feeds(rows, { logitRows, lensLastRows: [T - 1], attnRows }));

      expect(b.logits.dims).toEqual([B, logitRows.length, V]);
      const la = a.logits.data as Float32Array;
      const lb = b.logits.data as Float32Array;
      for (let bi = 0; bi < B; bi++)
        logitRows.forEach((t, r) => {
          for (let v = 0; v < V; v++) near(lb[(bi * logitRows.length + r) * V + v], la[(bi * T + t) * V + v]);
        });

      // lens_last: [B, L+1, 1, V] holds the same numbers as the full graph's [B, L+1, V]
      expect(b.lens_last.dims).toEqual([B, L + 1, 1, V]);
      const xa = a.lens_last.data as Float32Array;
      const xb = b.lens_last.data as Float32Array;
      expect(xb.length).toBe(xa.length);
      for (let k = 0; k < xa.length; k++) near(xb[k], xa[k]);

      // attention taps: the requested query rows of the full [B, H, T, T]
      for (let l = 0; l < L; l++) {
        expect(b[OUT.attn(l)].dims).toEqual([B, H, attnRows.length, T]);
        const fa = a[OUT.attn(l)].data as Float32Array;
        const fb = b[OUT.attn(l)].data as Float32Array;
        for (let bi = 0; bi < B; bi++)
          for (let h = 0; h < H; h++)
            attnRows.forEach((t, r) => {
              for (let k = 0; k < T; k++) near(fb[((bi * H + h) * attnRows.length + r) * T + k], fa[((bi * H + h) * T + t) * T + k]);
            });
      }

      // the lens of fed-back residual states: at the last position it is lens_last, reduced
      const target = 7;
      const states = new Float32Array((L + 1) * d);
      for (let l = 0; l <= L; l++) states.set((a[OUT.hidden(l)].data as Float32Array).subarray((T - 1) * d, T * d), l * d);
      const c = await rows.run(feeds(rows, { lens: { states, targets: new Array(L + 1).fill(target) } }));
      for (let l = 0; l <= L; l++) {
        const lp = logSoftmaxRow(xa, l * V, V);
        let top = 0;
        let above = 0;
        for (let v = 0; v < V; v++) {
          if (lp[v] > lp[top]) top = v;
          if (lp[v] > lp[target]) above++;
        }
        near((c.lens_logprob.data as Float32Array)[l], lp[target]);
        expect((c.lens_rank.data as Float32Array)[l]).toBe(above);
        expect(Number((c.lens_top_id.data as BigInt64Array)[l])).toBe(top);
        near((c.lens_top_logprob.data as Float32Array)[l], lp[top]);
      }

      // a step that wants nothing projected
      expect(c.logits.dims).toEqual([B, 0, V]);
      expect(c.lens_last.dims).toEqual([B, L + 1, 0, V]);
      expect(c.attn_0.dims).toEqual([B, H, 0, T]);
      const e = await rows.run(feeds(rows));
      expect(e.lens_logprob.dims).toEqual([0]);
      expect(e.lens_top_id.dims).toEqual([0]);
      // and the residual stream does not depend on what is projected
      expect(Array.from(e.hidden_2.data as Float32Array)).toEqual(Array.from(a.hidden_2.data as Float32Array));
    });
  }
});
