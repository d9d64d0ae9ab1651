// The app graph's inputs and outputs, named in one place. The app graph (forward.ts with APP_GRAPH)
// is the one graph the app runs for every kind of work: the analysis forward, generation steps,
// knockout steps, the logit lens over residual states in blocks, and the relevance branch. Every
// run must feed every input; `appFeeds` builds them from what a run actually wants (the rest empty,
// which makes that part of the graph free).

import type { ModelSpec } from '../arch/spec';
import type { Ort } from '../runtime/session';
import type { ForwardGraphOptions } from './forward';
import { RELEVANCE_OUTPUTS } from './relevance';

export const APP_GRAPH = {
  taps: true,
  knockout: true,
  logits: 'all',
  kvCache: 'past',
  lensLast: true,
  lensStates: true,
  rows: true,
  relevance: true,
} as const satisfies ForwardGraphOptions;

type OrtTensor = InstanceType<Ort['Tensor']>;

/** output names of the app graph */
export const OUT = {
  logits: 'logits',
  lensLast: 'lens_last',
  hidden: (l: number) => `hidden_${l}`,
  attn: (l: number) => `attn_${l}`,
  presentKey: (l: number) => `present_key_${l}`,
  presentValue: (l: number) => `present_value_${l}`,
  lens: { logprob: 'lens_logprob', rank: 'lens_rank', topId: 'lens_top_id', topLogprob: 'lens_top_logprob' },
  relevance: RELEVANCE_OUTPUTS,
} as const;

export const presentNames = (L: number): string[] => Array.from({ length: L }, (_, l) => [OUT.presentKey(l), OUT.presentValue(l)]).flat();
export const hiddenNames = (L: number): string[] => Array.from({ length: L + 1 }, (_, l) => OUT.hidden(l));
export const attnNames = (L: number): string[] => Array.from({ length: L }, (_, l) => OUT.attn(l));
export const lensNames = (): string[] => Object.values(OUT.lens);

export interface KV {
  k: OrtTensor;
  v: OrtTensor;
}

export interface AppFeedSpec {
  /** token ids of one sequence, repeated for every batch row (or `batchIds`, B rows of equal length) */
  ids: number[];
  batch?: number;
  /** keys and values of the positions before `ids` (batch `batch`), or none */
  past?: KV[] | null;
  /** positions (within this step) whose logits / last-layer-stack lens / attention rows are wanted */
  logitRows?: number[];
  lensLastRows?: number[];
  attnRows?: number[];
  /**
   * knockout mask [batch, L, q, k] with q = 1 (applies to every query row of the step) or the step's
   * length, and k = 1 or past + step length; default none ([batch, L, 1, 1] zeros)
   */
  knockout?: { data: Uint8Array; q: number; k: number };
  /** the logit lens of these residual states [n, d] for these targets [n] */
  lens?: { states: Float32Array; targets: ArrayLike<number> };
  /**
   * one step of the layer-by-layer AttnLRP pass: `layer` in 0..L-1 (that layer's backward, given h_l and ĝ
   * at its output, [T*d] each) or L (the seed, given h_L)
   */
  relevance?: { layer: number; h: Float32Array; g: Float32Array | null; target: number };
}

/** the feeds of one run of the app graph */
export function appFeeds(ort: Ort, spec: ModelSpec, f: AppFeedSpec): Record<string, OrtTensor> {
  const { Tensor } = ort;
  const { numLayers: L, numKvHeads: KVH, headDim: hd, hiddenSize: d } = spec;
  const B = f.batch ?? 1;
  const S = f.ids.length;
  const idArr = new BigInt64Array(B * S);
  for (let b = 0; b < B; b++) for (let t = 0; t < S; t++) idArr[b * S + t] = BigInt(f.ids[t]);
  const rows = (xs: ArrayLike<number> = []) => new Tensor('int64', BigInt64Array.from(Array.from(xs), BigInt), [xs.length]);
  const feeds: Record<string, OrtTensor> = {
    input_ids: new Tensor('int64', idArr, [B, S]),
    logit_rows: rows(f.logitRows),
    lens_last_rows: rows(f.lensLastRows),
    attn_rows: rows(f.attnRows),
  };
  const P = f.past ? f.past[0].k.dims[2] : 0;
  const ko = f.knockout ?? { data: new Uint8Array(B * L), q: 1, k: 1 };
  if (ko.data.length !== B * L * ko.q * ko.k) throw new Error(`knockout mask has ${ko.data.length} entries, expected ${B}x${L}x${ko.q}x${ko.k}`);
  if ((ko.q !== 1 && ko.q !== S) || (ko.k !== 1 && ko.k !== P + S)) throw new Error(`knockout mask [${B},${L},${ko.q},${ko.k}] does not fit a step of ${S} after ${P}`);
  feeds.knockout = new Tensor('bool', ko.data, [B, L, ko.q, ko.k]);
  for (let l = 0; l < L; l++) {
    feeds[`past_key_${l}`] = f.past ? f.past[l].k : new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
    feeds[`past_value_${l}`] = f.past ? f.past[l].v : new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
  }
  const n = f.lens ? f.lens.targets.length : 0;
  if (f.lens && f.lens.states.length !== n * d) throw new Error(`lens states have ${f.lens.states.length} values, expected ${n}x${d}`);
  feeds.lens_states = new Tensor('float32', f.lens ? f.lens.states : new Float32Array(0), [n, d]);
  feeds.lens_targets = rows(f.lens ? f.lens.targets : []);
  // the relevance branch runs only when asked (rel_layer -1: no step)
  const rel = f.relevance;
  feeds.rel_layer = new Tensor('int64', BigInt64Array.of(BigInt(rel ? rel.layer : -1)), []);
  feeds.rel_target = new Tensor('int64', BigInt64Array.of(BigInt(rel ? rel.target : 0)), [1]);
  const T = rel ? rel.h.length / d : 0;
  feeds.rel_h = new Tensor('float32', rel ? rel.h : new Float32Array(0), [T, d]);
  feeds.rel_g = new Tensor('float32', rel?.g ?? new Float32Array(0), [rel?.g ? T : 0, d]);
  return feeds;
}
