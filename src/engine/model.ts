// The engine's front door: load a checkpoint, build its graph, open a session, and run it.
// One file, longer than most: every kind of run (forward in prefill chunks, lens rows, generation,
// knockout steps, relevance steps) goes through the one session's queue and feed builder held here.

import { specFromConfig } from './arch/families';
import { autoAllowsFp16, chooseWeightFormat, estimateMemory, heldBytes, MIN_PROMPT_TOKENS, WASM_HEAP_BYTES, type WeightChoice, type WeightFormat } from './arch/size';
import type { ModelSpec } from './arch/spec';
import { prefillChunk } from './arch/working-set';
import { lensGridRows, lensOverStates } from './analyses/lens';
import { buildForwardGraph } from './graph/forward';
import { APP_GRAPH, appFeeds, attnNames, hiddenNames, lensNames, OUT, presentNames, type AppFeedSpec, type KV } from './graph/app-io';
import { serializeModel } from './graph/onnx';
import { ropeTableLength } from './graph/rope-table';
import { checkpointFiles, getJSON, HubError, openSource } from './hub/files';
import type { ModelSource, ProgressFn } from './hub/source';
import type { Backend, BackendChoice } from './runtime/backend';
import { createSession, fp16Unavailable, webgpuAdapterInfo, type Ort, type Session } from './runtime/session';
import { createTokenizer, type TextTokenizer } from './text/tokenizer';
import { Checkpoint } from './weights/checkpoint';
import type { RelevanceResult } from './analyses/relevance';
import { checkpoint } from './runtime/cancel';

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

class ModelTooLargeError extends Error {
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
  /**
   * L arrays of [H*A*T] attention probabilities of the query rows `attentionRows` (A of them): by default the
   * last position's alone; every row with `attention: 'all'`
   */
  attention: Float32Array[];
  attentionRows: number[];
  /** [(L+1)*V]: logit lens of every layer at the last position (final norm + unembedding of hidden[l]) */
  lensLast: Float32Array;
  /** logit lens of the target token at every (layer, position), each [(L+1)*T]; present when `lensTarget` was given */
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
  /** target token for a layers x positions logit lens over every position (runs lensStates over all hidden rows) */
  lensTarget?: number;
  /** logits of every position (verification, `xlens dump`); by default only the last position's are computed */
  allLogits?: boolean;
  /** attention rows to return: the last position's (default; what the analyses use) or every row (`xlens dump`, tests) */
  attention?: 'last' | 'all';
  /** positions per prefill chunk (default: prefillChunk, from a memory cap); tests set it to exercise chunking */
  chunk?: number;
}

/** the logit lens of residual states: per row, log p(target), # entries above it, the top-1 and its log p */
export interface LensRowsResult {
  logprob: Float32Array;
  rank: Float32Array;
  topId: Int32Array;
  topLogprob: Float32Array;
}

/**
 * A knockout from the last position, described compactly: in layers lo..hi (1-based, inclusive) the last
 * position cannot attend to `keys`. (A full [L*T*T] mask is accepted too, for tests of arbitrary edges.)
 */
export interface KnockoutSpec {
  lo: number;
  hi: number;
  keys: number[];
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
  /**
   * greedy continuation, from the forward's KV cache when it ran on these ids; stops at an end-of-sequence
   * token, after maxNewTokens, or when `stop` says so (it sees the ids generated so far)
   */
  generate(ids: number[], opts?: { maxNewTokens?: number; signal?: AbortSignal; stop?: (generated: number[]) => boolean }): Promise<number[]>;
  /**
   * log p(target) at the last position for one prompt under several knockouts (compact KnockoutSpecs, or
   * full [L*T*T] masks), run as batches of `batchSize` through the same session
   */
  knockoutBatch(ids: number[], target: number, masks: (KnockoutSpec | Uint8Array)[], batchSize?: number, opts?: { reusePrefix?: boolean }): Promise<Float32Array>;
  /** the logit lens of residual states `states` [n*d] for `targets` [n], in one run (the caller sizes the block) */
  lensRows(states: Float32Array, targets: ArrayLike<number>): Promise<LensRowsResult>;
  /**
   * AttnLRP relevance of every token's residual state at every layer for the target logit.
   * Its graph (a hand-written backward that recomputes each layer) is a branch of the app graph that runs
   * only when asked (graph/relevance.ts relevanceBranch), so the same session and the same weights serve
   * it. `hidden`: the prompt's residual states from a forward (hidden_0..L); without them a forward runs first.
   */
  relevance(ids: number[], target: number, hidden?: Float32Array[], signal?: AbortSignal): Promise<RelevanceResult>;
  dispose(): Promise<void>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export { APP_GRAPH };

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
  // auto plans for an XQuAD-length prompt; a format asked for must hold a short one
  const est = estimateMemory(spec);
  const short = estimateMemory(spec, MIN_PROMPT_TOKENS);
  const backendChoice = opts.backend ?? 'auto';
  // fp16 runs on WebGPU with shader-f16 only: ask the adapter (once per worker) before building the graph
  const noFp16 = fp16Unavailable(backendChoice, backendChoice === 'wasm' ? null : await webgpuAdapterInfo());
  const asked = opts.weights ?? 'auto';
  const want = asked === 'fp16' && noFp16 ? 'auto' : asked;
  const autoFp16 = !noFp16 && (asked === 'fp16' || autoAllowsFp16(spec.family));
  let weightFormat = chooseWeightFormat(est, want, autoFp16, short) ?? (opts.ignoreMemoryEstimate ? (want === 'fp32' || want === 'fp16' ? want : 'int8') : null);
  if (!weightFormat) {
    // refuse before downloading anything: a tab that runs out of memory loses everything
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    const int8 = `${gib(est.int8Bytes + est.dequantBytes)} with int8 weights (${gib(est.int8Bytes)} + ${gib(est.dequantBytes)} dequantised while running)`;
    const fp16 = noFp16 ? '' : `, ${gib(est.fp16Bytes)} of fp16 weights`;
    const heap = `the ${(WASM_HEAP_BYTES / 2 ** 30).toFixed(0)} GiB of browser memory WebAssembly can address`;
    const shortNeeds = (f: WeightFormat) => gib(heldBytes(short, f) + short.activationBytes);
    throw new ModelTooLargeError(
      `${store.id} has ${(est.params / 1e9).toFixed(2)}B parameters: about ${gib(est.fp32Bytes)} of fp32 weights${fp16}, or ${int8}; ` +
        ((want === 'fp32' || want === 'fp16') && short.fitsWasmInt8
          ? `with the runtime and a ${MIN_PROMPT_TOKENS}-token analysis ${want} needs ${shortNeeds(want)}, more than ${heap}; int8 would fit: choose int8 or auto weights.`
          : `with the runtime and the working memory of even a ${MIN_PROMPT_TOKENS}-token analysis (${shortNeeds('int8')} as int8), more than ${heap}. Choose a model of about 1B parameters or fewer.`),
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
  // int8 where WebGPU will be tried: its EP has no MatMulInteger (nor Round), so there the projections
  // dequantise per consumer and stay on the GPU; WASM runs the integer kernel (docs/weights.md)
  let int8: 'integer' | 'dequantize' = backendChoice !== 'wasm' && (await webgpuAdapterInfo()).missing === null ? 'dequantize' : 'integer';
  const graph = buildForwardGraph(spec, ckpt, { ...APP_GRAPH, weightFormat, int8 });
  const serialized = serializeModel(graph, { externalThreshold: EXTERNAL_THRESHOLD });
  opts.onProgress?.({ phase: 'build', label: 'building the ONNX graph', loaded: 1, total: 1 });
  const t2 = now();

  opts.onProgress?.({ phase: 'session', label: 'creating the inference session', loaded: 0, total: 1 });
  let { session, backend, fallbackReason } = await createSession(ortFor, serialized, backendChoice);
  if (backend === 'wasm' && weightFormat === 'fp16') {
    // WebGPU failed after fp16 was chosen for it; on WASM fp16 would hold fp32 copies of the weights too
    await session.release();
    const wasmFormat = chooseWeightFormat(est, 'auto', false, short);
    if (!wasmFormat) throw new ModelTooLargeError(`${store.id}: ${fallbackReason}; as fp32 or int8 it does not fit the browser memory WASM has`);
    weightFallbackReason = `fp16 weights run on WebGPU only: running ${wasmFormat} weights on WASM`;
    weightFormat = wasmFormat;
    int8 = 'integer';
    ({ session } = await createSession(ortFor, serializeModel(buildForwardGraph(spec, ckpt, { ...APP_GRAPH, weightFormat }), { externalThreshold: EXTERNAL_THRESHOLD }), 'wasm'));
  }
  if (backend === 'wasm' && weightFormat === 'int8' && int8 === 'dequantize') {
    // WebGPU failed after the int8 graph was built for it: WASM's fast path is the integer kernel
    await session.release();
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
    generate: (ids, go) => runner.generate(ids, eos, go?.maxNewTokens ?? 16, go?.signal, go?.stop),
    knockoutBatch: (ids, target, masks, bs, ko) => runner.knockoutBatch(ids, target, masks, bs ?? 8, ko?.reusePrefix ?? true),
    lensRows: (states, targets) => runner.lensRows(states, targets),
    relevance: (ids, target, hidden) => runner.relevance(ids, target, hidden),
    dispose: () => session.release(),
  };
}

/** Serialises runs on one session (onnxruntime-web sessions are not re-entrant). */
class Runner {
  private queue: Promise<unknown> = Promise.resolve();
  /** KV cache and last logits of the latest plain forward */
  private prefill: { key: string; past: KV[]; lastLogits: Float32Array } | null = null;
  /** the latest knockout prefix's keys and values: a sweep calls knockoutBatch once per batch on the same prompt */
  private prefix: { key: string; kv: { k: Float32Array; v: Float32Array }[] } | null = null;
  private readonly presentNames: string[];

  constructor(
    private ort: Ort,
    private session: Session,
    private spec: ModelSpec,
  ) {
    this.presentNames = presentNames(spec.numLayers);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** whether a longrope model switches to its long factors inside a prompt of T tokens */
  private ropeSwitchesWithin(T: number): boolean {
    const long = this.spec.rope.long;
    return long !== null && T > long.after;
  }

  /** prompts longer than the exact RoPE tables (rope-table.ts) are refused */
  private checkLength(ids: number[]): void {
    const limit = ropeTableLength(this.spec.maxPositions);
    if (ids.length > limit) throw new InputTooLongError(`The prompt has ${ids.length} tokens; this model accepts at most ${limit}.`);
  }

  private feeds(f: AppFeedSpec) {
    return appFeeds(this.ort, this.spec, f);
  }

  forward(ids: number[], opts: ForwardOptions = {}): Promise<ForwardResult> {
    const target = opts.lensTarget;
    if (target !== undefined && !(Number.isInteger(target) && target >= 0 && target < this.spec.vocabSize)) {
      return Promise.reject(new Error(`lens target ${target} is outside the vocabulary`));
    }
    const result = this.exclusive(async () => {
      const { numLayers: L, numHeads: H, hiddenSize: d, vocabSize: V } = this.spec;
      const t0 = now();
      this.checkLength(ids);
      if (ids.length === 0) throw new Error('the prompt is empty');
      const T = ids.length;
      const every = Array.from({ length: T }, (_, t) => t);
      const attentionRows = opts.attention === 'all' ? every : [T - 1];
      if (opts.knockout && opts.knockout.length !== L * T * T) throw new Error(`knockout mask has ${opts.knockout.length} entries, expected ${L * T * T}`);
      // Long prompts run as chunks of positions on the previous chunks' keys and values (exact: attention is
      // causal): an attention layer then holds [H, chunk, T] scores instead of [H, T, T], and every chunk's
      // residual states leave the WASM heap as soon as it ends. Longrope prompts that cross the original
      // context run whole (their rotary factors depend on the total length); so do knockout and every-row runs.
      const chunk = opts.knockout || opts.attention === 'all' || this.ropeSwitchesWithin(T) ? T : Math.max(1, opts.chunk ?? prefillChunk(H, T));
      const hidden = Array.from({ length: L + 1 }, () => new Float32Array(T * d));
      const logits = new Float32Array((opts.allLogits ? T : 1) * V);
      let attention: Float32Array[] = [];
      let lensLast: Float32Array = new Float32Array(0);
      let past: KV[] | null = null;
      for (let from = 0; from < T; from += chunk) {
        const n = Math.min(chunk, T - from);
        const last = from + n === T;
        const rows = Array.from({ length: n }, (_, t) => t);
        const out: Record<string, OrtTensor> = await this.session.run(
          this.feeds({
            ids: ids.slice(from, from + n),
            past,
            logitRows: opts.allLogits ? rows : last ? [n - 1] : [],
            lensLastRows: last ? [n - 1] : [],
            attnRows: last ? attentionRows.map((t) => t - from) : [],
            knockout: opts.knockout ? { data: opts.knockout, q: T, k: T } : undefined,
          }),
          [OUT.logits, OUT.lensLast, ...hiddenNames(L), ...attnNames(L), ...this.presentNames],
        );
        const f32 = (name: string) => out[name].data as Float32Array;
        for (let l = 0; l <= L; l++) hidden[l].set(f32(OUT.hidden(l)), from * d);
        if (opts.allLogits) logits.set(f32(OUT.logits), from * V);
        else if (last) logits.set(f32(OUT.logits));
        if (last) {
          attention = attnNames(L).map(f32);
          lensLast = f32(OUT.lensLast);
        }
        past = Array.from({ length: L }, (_, l) => ({ k: out[OUT.presentKey(l)], v: out[OUT.presentValue(l)] }));
      }
      // keep the prompt's keys and values: generate() and the knockout sweep on the same ids start from them
      this.prefill = opts.knockout ? null : { key: ids.join(','), past: past!, lastLogits: logits.slice(logits.length - V) };
      const r: ForwardResult = { T, V, L, H, d, logits, hidden, attention, attentionRows, lensLast, ms: now() - t0 };
      return r;
    });
    if (target === undefined) return result;
    return result.then(async (r) => {
      const t1 = now();
      // the lens of every (layer, position), in blocks through the lens branch
      const rows = lensGridRows(r.L, r.T);
      const got = await lensOverStates(this, r.hidden, r.d, rows, () => target, this.spec.vocabSize);
      const n = (r.L + 1) * r.T;
      const lens = { target, targetLogprob: new Float32Array(n), targetRank: new Float32Array(n), topId: new Int32Array(n), topLogprob: new Float32Array(n) };
      rows.forEach(([l, t], i) => {
        const k = l * r.T + t;
        lens.targetLogprob[k] = got.logprob[i];
        lens.targetRank[k] = got.rank[i];
        lens.topId[k] = got.topId[i];
        lens.topLogprob[k] = got.topLogprob[i];
      });
      return { ...r, lens, ms: r.ms + now() - t1 };
    });
  }

  lensRows(states: Float32Array, targets: ArrayLike<number>): Promise<LensRowsResult> {
    return this.exclusive(async () => {
      const V = this.spec.vocabSize;
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i];
        if (!(Number.isInteger(t) && t >= 0 && t < V)) throw new Error(`lens target ${t} is outside the vocabulary`);
      }
      // the forward part runs on one token with nothing projected
      const out = await this.session.run(this.feeds({ ids: [0], lens: { states, targets } }), lensNames());
      return {
        logprob: Float32Array.from(out[OUT.lens.logprob].data as Float32Array),
        rank: Float32Array.from(out[OUT.lens.rank].data as Float32Array),
        topId: Int32Array.from(out[OUT.lens.topId].data as BigInt64Array, Number),
        topLogprob: Float32Array.from(out[OUT.lens.topLogprob].data as Float32Array),
      };
    });
  }

  knockoutBatch(ids: number[], target: number, masks: (KnockoutSpec | Uint8Array)[], batchSize: number, reusePrefix = true): Promise<Float32Array> {
    return this.exclusive(async () => {
      const { numLayers: L } = this.spec;
      const T = ids.length;
      for (const m of masks) {
        if (m instanceof Uint8Array) {
          if (m.length !== L * T * T) throw new Error(`knockout mask has ${m.length} entries, expected ${L * T * T}`);
        } else if (!(m.lo >= 1 && m.hi <= L && m.keys.every((k) => Number.isInteger(k) && k >= 0 && k < T))) {
          throw new Error(`knockout layers ${m.lo}..${m.hi} or keys outside 1..${L} / 0..${T - 1}`);
        }
      }
      // Knockout from the last position leaves every earlier position untouched, so the first
      // T-1 tokens run once (or come from the forward's KV cache) and each mask is a one-token step on
      // their keys and values. Exact; measured ~14x faster than re-running the prompt per mask (bench/sweep.ts).
      const lastRowOnly = masks.every((m) => {
        if (!(m instanceof Uint8Array)) return true;
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
    const res = await this.session.run(this.feeds({ ids: ids.slice(0, P) }), this.presentNames);
    return Array.from({ length: L }, (_, l) => ({ k: res[OUT.presentKey(l)].data as Float32Array, v: res[OUT.presentValue(l)].data as Float32Array }));
  }

  /** the last row of a mask, per layer: [L][T] flags into `dst` at `off` */
  private lastRowInto(m: KnockoutSpec | Uint8Array, T: number, dst: Uint8Array, off: number): void {
    const L = this.spec.numLayers;
    if (m instanceof Uint8Array) {
      for (let l = 0; l < L; l++) dst.set(m.subarray(l * T * T + (T - 1) * T, l * T * T + T * T), off + l * T);
      return;
    }
    for (let layer = m.lo; layer <= m.hi; layer++) for (const k of m.keys) dst[off + (layer - 1) * T + k] = 1;
  }

  private async knockoutLastRow(ids: number[], target: number, masks: (KnockoutSpec | Uint8Array)[], batchSize: number): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { numLayers: L, numKvHeads: KVH, headDim: hd, vocabSize: V } = this.spec;
    const T = ids.length;
    const P = T - 1;
    const prefix = await this.prefixKV(ids, P);
    const out = new Float32Array(masks.length);
    let tiled: KV[] | null = null;
    for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
      const B = Math.min(batchSize, masks.length - b0);
      const kmask = new Uint8Array(B * L * T); // [B, L, 1, T]
      for (let b = 0; b < B; b++) this.lastRowInto(masks[b0 + b], T, kmask, b * L * T);
      if (!tiled || tiled[0].k.dims[0] !== B) {
        const tile = (one: Float32Array) => {
          const t = new Float32Array(one.length * B);
          for (let b = 0; b < B; b++) t.set(one, b * one.length);
          return new Tensor('float32', t, [B, KVH, P, hd]);
        };
        tiled = prefix.map((kv) => ({ k: tile(kv.k), v: tile(kv.v) }));
      }
      const res = await this.session.run(this.feeds({ ids: [ids[P]], batch: B, past: tiled, logitRows: [0], knockout: { data: kmask, q: 1, k: T } }), [OUT.logits]);
      const lg = res[OUT.logits].data as Float32Array; // [B, 1, V]
      for (let b = 0; b < B; b++) out[b0 + b] = logProb(lg, b * V, V, target);
    }
    return out;
  }

  /**
   * Every mask on the whole prompt: for masks that block earlier rows (tests), and for longrope models when
   * the prompt crosses the original context (the prefix's keys would be rotated with the other factors).
   * Compact masks are expanded one at a time here, so only B x L x T x T flags exist at once.
   */
  private async knockoutFull(ids: number[], target: number, masks: (KnockoutSpec | Uint8Array)[], batchSize: number): Promise<Float32Array> {
    const { numLayers: L, vocabSize: V } = this.spec;
    const T = ids.length;
    const out = new Float32Array(masks.length);
    const bs = masks.every((m) => m instanceof Uint8Array) ? batchSize : 1;
    for (let b0 = 0; b0 < masks.length; b0 += bs) {
      const B = Math.min(bs, masks.length - b0);
      const kmask = new Uint8Array(B * L * T * T);
      for (let b = 0; b < B; b++) {
        const m = masks[b0 + b];
        if (m instanceof Uint8Array) kmask.set(m, b * L * T * T);
        else for (let layer = m.lo; layer <= m.hi; layer++) for (const k of m.keys) kmask[b * L * T * T + (layer - 1) * T * T + (T - 1) * T + k] = 1;
      }
      const res = await this.session.run(this.feeds({ ids, batch: B, logitRows: [T - 1], knockout: { data: kmask, q: T, k: T } }), [OUT.logits]);
      const lg = res[OUT.logits].data as Float32Array; // [B, 1, V]
      for (let b = 0; b < B; b++) out[b0 + b] = logProb(lg, b * V, V, target);
    }
    return out;
  }

  /**
   * AttnLRP relevance through the app graph's relevance branch, layer by layer from the top on the prompt's
   * residual states (graph/relevance.ts relevanceBranch): one layer's activations exist at a time
   */
  async relevance(ids: number[], target: number, hidden?: Float32Array[], signal?: AbortSignal): Promise<RelevanceResult> {
    const { numLayers: L, vocabSize: V, hiddenSize: d } = this.spec;
    if (!ids.length) throw new Error('relevance needs at least one token');
    if (!(Number.isInteger(target) && target >= 0 && target < V)) throw new Error(`target ${target} is outside the vocabulary`);
    this.checkLength(ids);
    const T = ids.length;
    const states = hidden ?? (await this.forward(ids)).hidden;
    if (states.length !== L + 1 || states.some((h) => h.length !== T * d)) throw new Error(`relevance needs ${L + 1} residual states of ${T}x${d}`);
    const t0 = now();
    const rows: Float32Array[] = new Array(L + 1);
    const leakBias = new Float32Array(L);
    const leakSoftmax = new Float32Array(L);
    let targetLogit = 0;
    let g: Float32Array | null = null;
    for (let l = L; l >= 0; l--) {
      await checkpoint(signal);
      // each step is its own run, so other work could interleave between them; none does (one queue)
      const out = await this.exclusive(() =>
        this.session.run(this.feeds({ ids: [ids[0]], relevance: { layer: l, h: states[l], g: l === L ? null : g, target } }), [...OUT.relevance]),
      );
      const f = (name: string) => out[name].data as Float32Array;
      g = Float32Array.from(f('rel_g_out'));
      rows[l] = Float32Array.from(f('rel_row'));
      if (l === L) targetLogit = f('rel_logit')[0];
      else {
        leakBias[l] = f('rel_leak_bias')[0];
        leakSoftmax[l] = f('rel_leak_softmax')[0];
      }
    }
    return { L, T, target, targetLogit, relevance: rows, leakBias, leakSoftmax, ms: now() - t0 };
  }

  generate(ids: number[], eos: Set<number>, maxNew: number, signal?: AbortSignal, stop?: (generated: number[]) => boolean): Promise<number[]> {
    return this.exclusive(async () => {
      const L = this.spec.numLayers;
      const out: number[] = [];
      let past: KV[] | null = null;
      let step = ids;
      const limit = ropeTableLength(this.spec.maxPositions);
      let first = 0;
      const cached = this.prefill?.key === ids.join(',') ? this.prefill : null;
      if (cached && maxNew > 0 && ids.length < limit) {
        // the forward pass of this prompt already produced its logits and KV cache
        const best = argmax(cached.lastLogits, 0, cached.lastLogits.length);
        if (eos.has(best)) return out;
        out.push(best);
        if (stop?.(out)) return out;
        past = cached.past;
        step = [best];
        first = 1;
      }
      for (let i = first; i < maxNew; i++) {
        await checkpoint(signal);
        if (ids.length + out.length >= limit) break;
        // longrope switches every position to the long factors once the total length passes the
        // original context; the cached keys were rotated with the short ones, so re-prefill once (as transformers does)
        const long = this.spec.rope.long;
        if (long && past && ids.length + out.length > long.after && ids.length + out.length - 1 <= long.after) {
          past = null;
          step = [...ids, ...out];
        }
        const res: Record<string, OrtTensor> = await this.session.run(this.feeds({ ids: step, past, logitRows: [step.length - 1] }), [OUT.logits, ...this.presentNames]);
        const logits = res[OUT.logits].data as Float32Array; // [1, 1, V]
        const best = argmax(logits, 0, logits.length);
        past = Array.from({ length: L }, (_, l) => ({ k: res[OUT.presentKey(l)], v: res[OUT.presentValue(l)] }));
        if (eos.has(best)) break;
        out.push(best);
        if (stop?.(out)) break;
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
