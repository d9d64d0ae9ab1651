// The engine's front door: load a checkpoint, build its graph, open a session, and run it.

import { specFromConfig } from './arch/families';
import { autoAllowsFp16, chooseWeightFormat, estimateMemory, WASM_WEIGHT_BUDGET, type WeightChoice, type WeightFormat } from './arch/size';
import type { ModelSpec } from './arch/spec';
import { buildForwardGraph } from './graph/forward';
import { RELEVANCE_OUTPUTS } from './graph/relevance';
import { serializeModel } from './graph/onnx';
import { ropeTableLength } from './graph/rope-table';
import { checkpointFiles, getJSON, HubError, openSource } from './hub/files';
import type { ModelSource, ProgressFn } from './hub/source';
import type { Backend, BackendChoice } from './runtime/backend';
import { createSession, fp16Unavailable, webgpuAdapterInfo, type Ort, type Session } from './runtime/session';
import { createTokenizer, type TextTokenizer } from './text/tokenizer';
import { Checkpoint } from './weights/checkpoint';
import { relevanceResult, type RelevanceResult } from './analyses/relevance';

export interface LoadOptions {
  /** the onnxruntime-web module to use for a backend */
  ort: Ort | ((b: Backend) => Promise<Ort>);
  backend?: BackendChoice;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** skip the memory estimate (the user insists on trying a model estimated not to fit) */
  ignoreMemoryEstimate?: boolean;
  /**
   * weight format (docs/weights.md): 'auto' (default) = fp16 on WebGPU with shader-f16, else fp32 when it
   * fits the WASM budget, else int8 when that fits. 'fp16' where it cannot run loads what auto picks
   * there, with `weightFallbackReason` saying why (as a WebGPU request that ends on WASM does)
   */
  weights?: WeightChoice;
}

export class InputTooLongError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputTooLongError';
  }
}

export class ModelTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelTooLargeError';
  }
}

export interface ForwardResult {
  T: number;
  V: number;
  L: number;
  H: number;
  d: number;
  /** [T*V] with `allLogits`, else [V]: the last position's */
  logits: Float32Array;
  /** L+1 arrays of [T*d]: hidden[0] embeddings, hidden[l] after layer l (hidden[L] before the final norm) */
  hidden: Float32Array[];
  /** L arrays of [H*T*T] attention probabilities */
  attention: Float32Array[];
  /** [(L+1)*V]: logit lens of every layer at the last position (final norm + unembedding of hidden[l]) */
  lensLast: Float32Array;
  /** logit lens of the target token at every (layer, position), each [(L+1)*T]; present when a target was given */
  lens?: {
    target: number;
    targetLogprob: Float32Array;
    /** number of vocabulary entries ranked above the target (0 = top-1) */
    targetRank: Float32Array;
    topId: Int32Array;
    topLogprob: Float32Array;
  };
  ms: number;
}

export interface ForwardOptions {
  /** knockout mask [L][T][T] flattened (1 blocks the edge query->key in that layer); default none */
  knockout?: Uint8Array;
  /** target token for the layers x positions logit lens */
  lensTarget?: number;
  /** logits of every position (verification, `xlens dump`); by default only the last position's are computed */
  allLogits?: boolean;
}

export interface LoadedModel {
  id: string;
  spec: ModelSpec;
  backend: Backend;
  fallbackReason?: string;
  tokenizer: TextTokenizer;
  config: Record<string, unknown>;
  timings: { downloadMs: number; buildMs: number; sessionMs: number };
  weightBytes: number;
  /** the format the sessions hold the weights in (int8: quantised at load time, docs/weights.md) */
  weightFormat: WeightFormat;
  /** why the weights are not in the format asked for (fp16 where it cannot run) */
  weightFallbackReason?: string;
  forward(ids: number[], opts?: ForwardOptions): Promise<ForwardResult>;
  generate(ids: number[], opts?: { maxNewTokens?: number; signal?: AbortSignal }): Promise<number[]>;
  /**
   * log p(target) at the last position for one prompt under several knockout masks
   * ([L*T*T] each), run as batches of `batchSize` through the same session
   */
  knockoutBatch(ids: number[], target: number, masks: Uint8Array[], batchSize?: number, opts?: { reusePrefix?: boolean }): Promise<Float32Array>;
  /**
   * AttnLRP relevance of every token's residual state at every layer for the target logit.
   * Its graph (forward + hand-written backward) is a branch of the app graph that runs only when
   * asked (graph/relevance.ts relevanceBranch), so the same session and the same weights serve it.
   */
  relevance(ids: number[], target: number): Promise<RelevanceResult>;
  dispose(): Promise<void>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The one graph the app runs for every kind of work (analysis forward, generation steps, knockout
 * steps): the row inputs choose where logits and the lens are projected, so a decode or knockout step
 * pays for one row of logits and no lens, while the weights are held once.
 */
export const APP_GRAPH = { taps: true, knockout: true, logits: 'all', kvCache: 'past', lensLast: true, lensTarget: true, rows: true, relevance: true } as const;

/** external data keeps weights out of the protobuf (2 GiB limit) and avoids copying them into it */
const EXTERNAL_THRESHOLD = 1 << 20;

export async function loadModel(source: ModelSource, opts: LoadOptions): Promise<LoadedModel> {
  const ortFor = typeof opts.ort === 'function' ? opts.ort : async () => opts.ort as Ort;
  const store = openSource(source, opts.fetch);
  const get = { onProgress: opts.onProgress, signal: opts.signal };
  const t0 = now();

  const config = await getJSON(store, 'config.json', get);
  if (!config) throw new HubError(`${store.id}: config.json is missing`);
  const spec = specFromConfig(config);
  const est = estimateMemory(spec);
  const backendChoice = opts.backend ?? 'auto';
  // fp16 runs on WebGPU with shader-f16 only: ask the adapter (once per worker) before building the graph
  const noFp16 = fp16Unavailable(backendChoice, backendChoice === 'wasm' ? null : await webgpuAdapterInfo());
  const asked = opts.weights ?? 'auto';
  const want = asked === 'fp16' && noFp16 ? 'auto' : asked;
  const autoFp16 = !noFp16 && (asked === 'fp16' || autoAllowsFp16(spec.family));
  let weightFormat = chooseWeightFormat(est, want, autoFp16) ?? (opts.ignoreMemoryEstimate ? (want === 'fp32' || want === 'fp16' ? want : 'int8') : null);
  if (!weightFormat) {
    // refuse before downloading anything: a tab that runs out of memory loses everything
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    const int8 = `${gib(est.int8Bytes + est.dequantBytes)} with int8 weights (${gib(est.int8Bytes)} + ${gib(est.dequantBytes)} dequantised while running)`;
    const fp16 = noFp16 ? '' : `, ${gib(est.fp16Bytes)} of fp16 weights`;
    throw new ModelTooLargeError(
      `${store.id} has ${(est.params / 1e9).toFixed(2)}B parameters: about ${gib(est.fp32Bytes)} of fp32 weights${fp16}, or ${int8}; ` +
        ((want === 'fp32' || want === 'fp16') && est.fitsWasmInt8
          ? `${want} is more than the ${(WASM_WEIGHT_BUDGET / 2 ** 30).toFixed(0)} GiB xlens can hold in browser memory, int8 would fit: choose int8 or auto weights.`
          : `with the activations, more than the ${(WASM_WEIGHT_BUDGET / 2 ** 30).toFixed(0)} GiB xlens can hold in browser memory. Choose a model of about 1B parameters or fewer.`),
    );
  }
  let weightFallbackReason = asked === 'fp16' && noFp16 ? `${noFp16}: running ${weightFormat} weights` : undefined;
  const [tokJSON, tokConfig, chatTemplateBytes] = await Promise.all([
    getJSON(store, 'tokenizer.json', get),
    getJSON(store, 'tokenizer_config.json', { ...get, optional: true }),
    store.get('chat_template.jinja', { ...get, optional: true }),
  ]);
  if (!tokJSON) throw new HubError(`${store.id}: tokenizer.json is missing`);
  const tokenizer = createTokenizer(tokJSON, tokConfig ?? {}, chatTemplateBytes ? new TextDecoder().decode(chatTemplateBytes) : null);

  const files = await checkpointFiles(store, get);
  const readCheckpoint = async (progress = get) => {
    const shards: { name: string; bytes: Uint8Array }[] = [];
    for (const f of files) {
      const bytes = await store.get(f, progress);
      shards.push({ name: f, bytes: bytes! });
    }
    return Checkpoint.fromBuffers(shards);
  };
  const ckpt = await readCheckpoint();
  const t1 = now();

  opts.onProgress?.({ phase: 'build', label: 'building the ONNX graph', loaded: 0, total: 1 });
  const graph = buildForwardGraph(spec, ckpt, { ...APP_GRAPH, weightFormat });
  const serialized = serializeModel(graph, { externalThreshold: EXTERNAL_THRESHOLD });
  opts.onProgress?.({ phase: 'build', label: 'building the ONNX graph', loaded: 1, total: 1 });
  const t2 = now();

  opts.onProgress?.({ phase: 'session', label: 'creating the inference session', loaded: 0, total: 1 });
  let { session, backend, fallbackReason } = await createSession(ortFor, serialized, backendChoice);
  if (backend === 'wasm' && weightFormat === 'fp16') {
    // WebGPU failed after fp16 was chosen for it; on WASM fp16 would hold fp32 copies of the weights too
    await session.release();
    const wasmFormat = chooseWeightFormat(est, 'auto', false);
    if (!wasmFormat) throw new ModelTooLargeError(`${store.id}: ${fallbackReason}; as fp32 or int8 it does not fit the browser memory WASM has`);
    weightFallbackReason = `fp16 weights run on WebGPU only: running ${wasmFormat} weights on WASM`;
    weightFormat = wasmFormat;
    ({ session } = await createSession(ortFor, serializeModel(buildForwardGraph(spec, ckpt, { ...APP_GRAPH, weightFormat }), { externalThreshold: EXTERNAL_THRESHOLD }), 'wasm'));
  }
  opts.onProgress?.({ phase: 'session', label: 'creating the inference session', loaded: 1, total: 1 });
  const t3 = now();
  const ort = await ortFor(backend);

  const runner = new Runner(ort, session, spec);
  const eos = new Set([...spec.eosTokenIds, ...tokenizer.eosTokenIds]);
  return {
    id: store.id,
    spec,
    backend,
    fallbackReason,
    tokenizer,
    config,
    timings: { downloadMs: t1 - t0, buildMs: t2 - t1, sessionMs: t3 - t2 },
    weightBytes: ckpt.byteSize,
    weightFormat,
    weightFallbackReason,
    forward: (ids, fo) => runner.forward(ids, fo),
    generate: (ids, go) => runner.generate(ids, eos, go?.maxNewTokens ?? 16, go?.signal),
    knockoutBatch: (ids, target, masks, bs, ko) => runner.knockoutBatch(ids, target, masks, bs ?? 8, ko?.reusePrefix ?? true),
    relevance: (ids, target) => runner.relevance(ids, target),
    dispose: () => session.release(),
  };
}

/** Serialises runs on one session (onnxruntime-web sessions are not re-entrant). */
class Runner {
  private queue: Promise<unknown> = Promise.resolve();
  /** KV cache and last logits of the latest plain forward */
  private prefill: { key: string; past: { k: OrtTensor; v: OrtTensor }[]; lastLogits: Float32Array } | null = null;
  /** the latest knockout prefix's keys and values: a sweep calls knockoutBatch once per batch on the same prompt */
  private prefix: { key: string; kv: { k: Float32Array; v: Float32Array }[] } | null = null;
  private readonly presentNames: string[];

  constructor(
    private ort: Ort,
    private session: Session,
    private spec: ModelSpec,
  ) {
    this.presentNames = Array.from({ length: spec.numLayers }, (_, l) => [`present_key_${l}`, `present_value_${l}`]).flat();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** prompts longer than the exact RoPE tables (rope-table.ts) are refused */
  private checkLength(ids: number[]): void {
    const limit = ropeTableLength(this.spec.maxPositions);
    if (ids.length > limit) throw new InputTooLongError(`The prompt has ${ids.length} tokens; this model accepts at most ${limit}.`);
  }

  private rowsTensor(rows: number[]): OrtTensor {
    return new this.ort.Tensor('int64', BigInt64Array.from(rows, BigInt), [rows.length]);
  }

  /**
   * Feeds of one run of the app graph: `B` copies of `ids` (or B rows given by idsFlat), past KV
   * (batch B) or none, a knockout mask [B,L,S,P+S], and the rows where logits and the lens are projected.
   */
  private feeds(
    ids: number[],
    past: { k: OrtTensor; v: OrtTensor }[] | null,
    rows: { logits: number[]; lensLast?: number[]; lens?: number[] },
    knockout?: Uint8Array,
    lensTarget = 0,
    B = 1,
  ) {
    const { Tensor } = this.ort;
    const { numLayers: L, numKvHeads: KVH, headDim: hd } = this.spec;
    const S = ids.length;
    const P = past ? past[0].k.dims[2] : 0;
    const idArr = new BigInt64Array(B * S);
    for (let b = 0; b < B; b++) for (let t = 0; t < S; t++) idArr[b * S + t] = BigInt(ids[t]);
    const feeds: Record<string, OrtTensor> = {
      input_ids: new Tensor('int64', idArr, [B, S]),
    };
    const kmask = knockout ?? new Uint8Array(B * L * S * (P + S));
    if (kmask.length !== B * L * S * (P + S)) throw new Error(`knockout mask has ${kmask.length} entries, expected ${B}x${L}x${S}x${P + S}`);
    feeds.knockout = new Tensor('bool', kmask, [B, L, S, P + S]);
    feeds.lens_target = new Tensor('int64', new BigInt64Array(B).fill(BigInt(lensTarget)), [B]);
    feeds.logit_rows = this.rowsTensor(rows.logits);
    feeds.lens_last_rows = this.rowsTensor(rows.lensLast ?? []);
    feeds.lens_rows = this.rowsTensor(rows.lens ?? []);
    // the relevance branch runs only when asked (relevance())
    feeds.rel_on = new Tensor('bool', Uint8Array.of(0), []);
    feeds.rel_ids = new Tensor('int64', new BigInt64Array(0), [1, 0]);
    feeds.rel_target = new Tensor('int64', BigInt64Array.of(0n), [1]);
    for (let l = 0; l < L; l++) {
      feeds[`past_key_${l}`] = past ? past[l].k : new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
      feeds[`past_value_${l}`] = past ? past[l].v : new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
    }
    return feeds;
  }

  forward(ids: number[], opts: ForwardOptions = {}): Promise<ForwardResult> {
    return this.exclusive(async () => {
      const { numLayers: L, numHeads: H, hiddenSize: d, vocabSize: V } = this.spec;
      const t0 = now();
      this.checkLength(ids);
      if (ids.length === 0) throw new Error('the prompt is empty');
      const T = ids.length;
      const lensNames = opts.lensTarget !== undefined ? ['lens_target_logprob', 'lens_target_rank', 'lens_top_id', 'lens_top_logprob'] : [];
      if (opts.lensTarget !== undefined && !(Number.isInteger(opts.lensTarget) && opts.lensTarget >= 0 && opts.lensTarget < V)) {
        throw new Error(`lens target ${opts.lensTarget} is outside the vocabulary`);
      }
      const every = Array.from({ length: T }, (_, t) => t);
      const fetches = [
        ...lensNames,
        'logits',
        'lens_last',
        ...Array.from({ length: L + 1 }, (_, l) => `hidden_${l}`),
        ...Array.from({ length: L }, (_, l) => `attn_${l}`),
        ...this.presentNames,
      ];
      const rows = { logits: opts.allLogits ? every : [T - 1], lensLast: [T - 1], lens: opts.lensTarget !== undefined ? every : [] };
      const out = await this.session.run(this.feeds(ids, null, rows, opts.knockout, opts.lensTarget), fetches);
      const f32 = (name: string) => out[name].data as Float32Array;
      const logits = f32('logits');
      // keep the prompt's keys and values: generate() and the knockout sweep on the same ids start from them
      this.prefill = opts.knockout
        ? null
        : {
            key: ids.join(','),
            past: Array.from({ length: L }, (_, l) => ({ k: out[`present_key_${l}`], v: out[`present_value_${l}`] })),
            lastLogits: logits.slice(logits.length - V),
          };
      return {
        T,
        V,
        L,
        H,
        d,
        logits,
        hidden: Array.from({ length: L + 1 }, (_, l) => f32(`hidden_${l}`)),
        attention: Array.from({ length: L }, (_, l) => f32(`attn_${l}`)),
        lensLast: f32('lens_last'),
        lens:
          opts.lensTarget === undefined
            ? undefined
            : {
                target: opts.lensTarget,
                targetLogprob: f32('lens_target_logprob'),
                targetRank: f32('lens_target_rank'),
                topId: Int32Array.from(out.lens_top_id.data as BigInt64Array, Number),
                topLogprob: f32('lens_top_logprob'),
              },
        ms: now() - t0,
      };
    });
  }

  knockoutBatch(ids: number[], target: number, masks: Uint8Array[], batchSize: number, reusePrefix = true): Promise<Float32Array> {
    return this.exclusive(async () => {
      const { numLayers: L } = this.spec;
      const T = ids.length;
      for (const m of masks) if (m.length !== L * T * T) throw new Error(`knockout mask has ${m.length} entries, expected ${L * T * T}`);
      // Knockout from the last position leaves every earlier position untouched, so the first
      // T-1 tokens run once (or come from the forward's KV cache) and each mask is a one-token step on
      // their keys and values. Exact; measured ~14x faster than re-running the prompt per mask (bench/sweep.ts).
      const lastRowOnly = masks.every((m) => {
        for (let l = 0; l < L; l++) {
          const base = l * T * T;
          for (let i = 0; i < (T - 1) * T; i++) if (m[base + i]) return false;
        }
        return true;
      });
      const long = this.spec.rope.long;
      const ropeSwitches = long !== null && T - 1 <= long.after && T > long.after;
      if (reusePrefix && T > 1 && lastRowOnly && !ropeSwitches) return this.knockoutLastRow(ids, target, masks, batchSize);
      return this.knockoutFull(ids, target, masks, batchSize);
    });
  }

  /** keys and values of ids[0..P) as flat per-layer arrays [KVH, P, hd], from the forward's cache when it ran on these ids */
  private async prefixKV(ids: number[], P: number): Promise<{ k: Float32Array; v: Float32Array }[]> {
    const key = ids.slice(0, P).join(',');
    if (this.prefix?.key !== key) this.prefix = { key, kv: await this.computePrefixKV(ids, P) };
    return this.prefix.kv;
  }

  private async computePrefixKV(ids: number[], P: number): Promise<{ k: Float32Array; v: Float32Array }[]> {
    const { numLayers: L, numKvHeads: KVH, headDim: hd } = this.spec;
    const cached = this.prefill;
    if (cached && cached.past[0].k.dims[2] === ids.length && cached.key === ids.join(',')) {
      // causal attention: the first P positions' keys and values do not depend on the later tokens
      const T = ids.length;
      const cut = (t: OrtTensor) => {
        const src = t.data as Float32Array;
        const dst = new Float32Array(KVH * P * hd);
        for (let h = 0; h < KVH; h++) dst.set(src.subarray(h * T * hd, h * T * hd + P * hd), h * P * hd);
        return dst;
      };
      return cached.past.map((kv) => ({ k: cut(kv.k), v: cut(kv.v) }));
    }
    const res = await this.session.run(this.feeds(ids.slice(0, P), null, { logits: [] }), this.presentNames);
    return Array.from({ length: L }, (_, l) => ({ k: res[`present_key_${l}`].data as Float32Array, v: res[`present_value_${l}`].data as Float32Array }));
  }

  private async knockoutLastRow(ids: number[], target: number, masks: Uint8Array[], batchSize: number): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { numLayers: L, numKvHeads: KVH, headDim: hd, vocabSize: V } = this.spec;
    const T = ids.length;
    const P = T - 1;
    const prefix = await this.prefixKV(ids, P);
    const out = new Float32Array(masks.length);
    let tiled: { k: OrtTensor; v: OrtTensor }[] | null = null;
    for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
      const B = Math.min(batchSize, masks.length - b0);
      const kmask = new Uint8Array(B * L * T);
      for (let b = 0; b < B; b++) {
        const m = masks[b0 + b];
        for (let l = 0; l < L; l++) kmask.set(m.subarray(l * T * T + P * T, l * T * T + T * T), (b * L + l) * T);
      }
      if (!tiled || tiled[0].k.dims[0] !== B) {
        const tile = (one: Float32Array) => {
          const t = new Float32Array(one.length * B);
          for (let b = 0; b < B; b++) t.set(one, b * one.length);
          return new Tensor('float32', t, [B, KVH, P, hd]);
        };
        tiled = prefix.map((kv) => ({ k: tile(kv.k), v: tile(kv.v) }));
      }
      const res = await this.session.run(this.feeds([ids[P]], tiled, { logits: [0] }, kmask, target, B), ['logits']);
      const lg = res.logits.data as Float32Array; // [B, 1, V]
      for (let b = 0; b < B; b++) out[b0 + b] = logProb(lg, b * V, V, target);
    }
    return out;
  }

  private async knockoutFull(ids: number[], target: number, masks: Uint8Array[], batchSize: number): Promise<Float32Array> {
    const { numLayers: L, vocabSize: V } = this.spec;
    const T = ids.length;
    const out = new Float32Array(masks.length);
    for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
      const B = Math.min(batchSize, masks.length - b0);
      const kmask = new Uint8Array(B * L * T * T);
      for (let b = 0; b < B; b++) kmask.set(masks[b0 + b], b * L * T * T);
      const res = await this.session.run(this.feeds(ids, null, { logits: [T - 1] }, kmask, target, B), ['logits']);
      const lg = res.logits.data as Float32Array; // [B, 1, V]
      for (let b = 0; b < B; b++) out[b0 + b] = logProb(lg, b * V, V, target);
    }
    return out;
  }

  /** AttnLRP relevance through the app graph's relevance branch; the forward part runs on one token with nothing projected */
  relevance(ids: number[], target: number): Promise<RelevanceResult> {
    return this.exclusive(async () => {
      const { numLayers: L, vocabSize: V } = this.spec;
      if (!ids.length) throw new Error('relevance needs at least one token');
      if (!(Number.isInteger(target) && target >= 0 && target < V)) throw new Error(`target ${target} is outside the vocabulary`);
      this.checkLength(ids);
      const t0 = now();
      const T = ids.length;
      const { Tensor } = this.ort;
      const feeds = this.feeds([ids[0]], null, { logits: [] });
      feeds.rel_on = new Tensor('bool', Uint8Array.of(1), []);
      feeds.rel_ids = new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, T]);
      feeds.rel_target = new Tensor('int64', BigInt64Array.of(BigInt(target)), [1]);
      const out = await this.session.run(feeds, [...RELEVANCE_OUTPUTS]);
      return relevanceResult(out, L, T, target, now() - t0);
    });
  }

  generate(ids: number[], eos: Set<number>, maxNew: number, signal?: AbortSignal): Promise<number[]> {
    return this.exclusive(async () => {
      const L = this.spec.numLayers;
      const out: number[] = [];
      let past: { k: OrtTensor; v: OrtTensor }[] | null = null;
      let step = ids;
      const limit = ropeTableLength(this.spec.maxPositions);
      let first = 0;
      const cached = this.prefill?.key === ids.join(',') ? this.prefill : null;
      if (cached && maxNew > 0 && ids.length < limit) {
        // the forward pass of this prompt already produced its logits and KV cache
        const best = argmax(cached.lastLogits, 0, cached.lastLogits.length);
        if (eos.has(best)) return out;
        out.push(best);
        past = cached.past;
        step = [best];
        first = 1;
      }
      for (let i = first; i < maxNew; i++) {
        if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
        if (ids.length + out.length >= limit) break;
        // longrope switches every position to the long factors once the total length passes the
        // original context; the cached keys were rotated with the short ones, so re-prefill once (as transformers does)
        const long = this.spec.rope.long;
        if (long && past && ids.length + out.length > long.after && ids.length + out.length - 1 <= long.after) {
          past = null;
          step = [...ids, ...out];
        }
        const res: Record<string, OrtTensor> = await this.session.run(this.feeds(step, past, { logits: [step.length - 1] }), ['logits', ...this.presentNames]);
        const logits = res.logits.data as Float32Array; // [1, 1, V]
        const best = argmax(logits, 0, logits.length);
        past = Array.from({ length: L }, (_, l) => ({ k: res[`present_key_${l}`], v: res[`present_value_${l}`] }));
        if (eos.has(best)) break;
        out.push(best);
        step = [best];
      }
      return out;
    });
  }
}

function argmax(a: Float32Array, off: number, n: number): number {
  let best = 0;
  for (let v = 1; v < n; v++) if (a[off + v] > a[off + best]) best = v;
  return best;
}

/** log softmax(z)[target] of the row z = a[off .. off+n), in float64 */
function logProb(a: Float32Array, off: number, n: number, target: number): number {
  let m = -Infinity;
  for (let v = 0; v < n; v++) if (a[off + v] > m) m = a[off + v];
  let s = 0;
  for (let v = 0; v < n; v++) s += Math.exp(a[off + v] - m);
  return a[off + target] - m - Math.log(s);
}

type OrtTensor = InstanceType<Ort['Tensor']>;
