// The engine's front door: load a checkpoint, build its graph, open a session, and run it.

import { specFromConfig } from './arch/families';
import { estimateMemory, WASM_WEIGHT_BUDGET } from './arch/size';
import type { ModelSpec } from './arch/spec';
import { buildForwardGraph } from './graph/forward';
import { serializeModel } from './graph/onnx';
import { ropeTableLength } from './graph/rope-table';
import { checkpointFiles, getJSON, HubError, openSource } from './hub/files';
import type { ModelSource, ProgressFn } from './hub/source';
import type { Backend, BackendChoice } from './runtime/backend';
import { createSession, type Ort, type Session } from './runtime/session';
import { createTokenizer, type TextTokenizer } from './text/tokenizer';
import { Checkpoint } from './weights/checkpoint';
import { createRelevanceSession, type RelevanceResult, type RelevanceSession } from './analyses/relevance';

export interface LoadOptions {
  /** the onnxruntime-web module to use for a backend */
  ort: Ort | ((b: Backend) => Promise<Ort>);
  backend?: BackendChoice;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** skip the memory estimate (the user insists on trying a model estimated not to fit) */
  ignoreMemoryEstimate?: boolean;
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
  /** [T*V] */
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
  forward(ids: number[], opts?: ForwardOptions): Promise<ForwardResult>;
  generate(ids: number[], opts?: { maxNewTokens?: number; signal?: AbortSignal }): Promise<number[]>;
  /**
   * log p(target) at the last position for one prompt under several knockout masks
   * ([L*T*T] each), run as batches of `batchSize` through the same session
   */
  knockoutBatch(ids: number[], target: number, masks: Uint8Array[], batchSize?: number, opts?: { reusePrefix?: boolean }): Promise<Float32Array>;
  /**
   * AttnLRP relevance of every token's residual state at every layer for the target logit.
   * Its graph (forward + hand-written backward) gets its own session, opened on first use from
   * the (cached) checkpoint files, so weights are not kept in JS memory in between.
   */
  relevance(ids: number[], target: number): Promise<RelevanceResult>;
  dispose(): Promise<void>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

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
  if (!est.fitsWasm && !opts.ignoreMemoryEstimate) {
    // refuse before downloading anything: a tab that runs out of memory loses everything
    throw new ModelTooLargeError(
      `${store.id} has ${(est.params / 1e9).toFixed(2)}B parameters: about ${(est.fp32Bytes / 2 ** 30).toFixed(1)} GiB of fp32 weights, ` +
        `more than the ${(WASM_WEIGHT_BUDGET / 2 ** 30).toFixed(0)} GiB xlens can hold in browser memory. Choose a model under about 0.7B parameters.`,
    );
  }
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
  const graph = buildForwardGraph(spec, ckpt, { taps: true, knockout: true, logits: 'all', kvCache: 'past', lensLast: true, lensTarget: true });
  const serialized = serializeModel(graph, { externalThreshold: EXTERNAL_THRESHOLD });
  opts.onProgress?.({ phase: 'build', label: 'building the ONNX graph', loaded: 1, total: 1 });
  const t2 = now();

  opts.onProgress?.({ phase: 'session', label: 'creating the inference session', loaded: 0, total: 1 });
  const { session, backend, fallbackReason } = await createSession(ortFor, serialized, opts.backend ?? 'auto');
  opts.onProgress?.({ phase: 'session', label: 'creating the inference session', loaded: 1, total: 1 });
  const t3 = now();
  const ort = await ortFor(backend);

  const runner = new Runner(ort, session, spec);
  let relevanceSession: Promise<RelevanceSession> | null = null;
  const relevance = async (ids: number[], target: number) => {
    if (!relevanceSession) {
      relevanceSession = readCheckpoint({ signal: opts.signal, onProgress: undefined }).then((ck) => createRelevanceSession(ortFor, spec, ck, backend));
      relevanceSession.catch(() => (relevanceSession = null));
    }
    return (await relevanceSession).run(ids, target);
  };
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
    forward: (ids, fo) => runner.forward(ids, fo),
    generate: (ids, go) => runner.generate(ids, eos, go?.maxNewTokens ?? 16, go?.signal),
    knockoutBatch: (ids, target, masks, bs, ko) => runner.knockoutBatch(ids, target, masks, bs ?? 8, ko?.reusePrefix ?? true),
    relevance,
    dispose: async () => {
      await session.release();
      if (relevanceSession) await (await relevanceSession).dispose();
    },
  };
}

/** Serialises runs on one session (onnxruntime-web sessions are not re-entrant). */
class Runner {
  private queue: Promise<unknown> = Promise.resolve();
  /** KV cache and last logits of the latest plain forward */
  private prefill: { key: string; past: { k: OrtTensor; v: OrtTensor }[]; lastLogits: Float32Array } | null = null;

  constructor(
    private ort: Ort,
    private session: Session,
    private spec: ModelSpec,
  ) {}

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private feeds(ids: number[], past: { k: OrtTensor; v: OrtTensor }[] | null, knockout?: Uint8Array, lensTarget = 0) {
    const { Tensor } = this.ort;
    const { numLayers: L, numKvHeads: KVH, headDim: hd } = this.spec;
    const S = ids.length;
    const P = past ? past[0].k.dims[2] : 0;
    const feeds: Record<string, OrtTensor> = {
      input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, S]),
    };
    const kmask = knockout ?? new Uint8Array(L * S * (P + S));
    if (kmask.length !== L * S * (P + S)) throw new Error(`knockout mask has ${kmask.length} entries, expected ${L}x${S}x${P + S}`);
    feeds.knockout = new Tensor('bool', kmask, [1, L, S, P + S]);
    feeds.lens_target = new Tensor('int64', BigInt64Array.of(BigInt(lensTarget)), [1]);
    for (let l = 0; l < L; l++) {
      feeds[`past_key_${l}`] = past ? past[l].k : new Tensor('float32', new Float32Array(0), [1, KVH, 0, hd]);
      feeds[`past_value_${l}`] = past ? past[l].v : new Tensor('float32', new Float32Array(0), [1, KVH, 0, hd]);
    }
    return feeds;
  }

  forward(ids: number[], opts: ForwardOptions = {}): Promise<ForwardResult> {
    return this.exclusive(async () => {
      const { numLayers: L, numHeads: H, hiddenSize: d, vocabSize: V } = this.spec;
      const t0 = now();
      const limit = ropeTableLength(this.spec.maxPositions);
      if (ids.length > limit) throw new InputTooLongError(`The prompt has ${ids.length} tokens; this model accepts at most ${limit}.`);
      if (ids.length === 0) throw new Error('the prompt is empty');
      const lensNames = opts.lensTarget !== undefined ? ['lens_target_logprob', 'lens_target_rank', 'lens_top_id', 'lens_top_logprob'] : [];
      if (opts.lensTarget !== undefined && !(Number.isInteger(opts.lensTarget) && opts.lensTarget >= 0 && opts.lensTarget < V)) {
        throw new Error(`lens target ${opts.lensTarget} is outside the vocabulary`);
      }
      const presentNames = Array.from({ length: L }, (_, l) => [`present_key_${l}`, `present_value_${l}`]).flat();
      const fetches = [
        ...lensNames,
        'logits',
        'lens_last',
        ...Array.from({ length: L + 1 }, (_, l) => `hidden_${l}`),
        ...Array.from({ length: L }, (_, l) => `attn_${l}`),
        ...presentNames,
      ];
      const out = await this.session.run(this.feeds(ids, null, opts.knockout, opts.lensTarget), fetches);
      const f32 = (name: string) => out[name].data as Float32Array;
      // keep the prompt's keys and values: a following generate() on the same ids starts from them
      this.prefill = opts.knockout
        ? null
        : {
            key: ids.join(','),
            past: Array.from({ length: L }, (_, l) => ({ k: out[`present_key_${l}`], v: out[`present_value_${l}`] })),
            lastLogits: f32('logits').slice((ids.length - 1) * V, ids.length * V),
          };
      return {
        T: ids.length,
        V,
        L,
        H,
        d,
        logits: f32('logits'),
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
      // T-1 tokens run once and each mask is a one-token step on their keys and values. Exact;
      // measured ~14x faster than re-running the prompt per mask (bench/sweep.ts).
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

  private async knockoutLastRow(ids: number[], target: number, masks: Uint8Array[], batchSize: number): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { numLayers: L } = this.spec;
    const T = ids.length;
    const P = T - 1;
    const presentNames = Array.from({ length: L }, (_, l) => [`present_key_${l}`, `present_value_${l}`]).flat();
    const prefix = await this.session.run(this.feeds(ids.slice(0, P), null), presentNames);
    const out = new Float32Array(masks.length);
    for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
      const B = Math.min(batchSize, masks.length - b0);
      const kmask = new Uint8Array(B * L * T);
      for (let b = 0; b < B; b++) {
        const m = masks[b0 + b];
        for (let l = 0; l < L; l++) kmask.set(m.subarray(l * T * T + P * T, l * T * T + T * T), (b * L + l) * T);
      }
      const feeds: Record<string, OrtTensor> = {
        input_ids: new Tensor('int64', new BigInt64Array(B).fill(BigInt(ids[P])), [B, 1]),
        knockout: new Tensor('bool', kmask, [B, L, 1, T]),
        lens_target: new Tensor('int64', new BigInt64Array(B).fill(BigInt(target)), [B]),
      };
      for (const name of presentNames) {
        const t = prefix[name];
        const one = t.data as Float32Array;
        const tiled = new Float32Array(one.length * B);
        for (let b = 0; b < B; b++) tiled.set(one, b * one.length);
        feeds[name.replace('present_', 'past_')] = new Tensor('float32', tiled, [B, ...t.dims.slice(1)]);
      }
      const res = await this.session.run(feeds, ['lens_target_logprob']);
      const lp = res.lens_target_logprob.data as Float32Array; // [B, L+1, 1]
      for (let b = 0; b < B; b++) out[b0 + b] = lp[b * (L + 1) + L];
    }
    return out;
  }

  private async knockoutFull(ids: number[], target: number, masks: Uint8Array[], batchSize: number): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { numLayers: L, numKvHeads: KVH, headDim: hd } = this.spec;
    const T = ids.length;
    const out = new Float32Array(masks.length);
    for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
      const B = Math.min(batchSize, masks.length - b0);
      const idArr = new BigInt64Array(B * T);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) idArr[b * T + t] = BigInt(ids[t]);
      const kmask = new Uint8Array(B * L * T * T);
      for (let b = 0; b < B; b++) kmask.set(masks[b0 + b], b * L * T * T);
      const feeds: Record<string, OrtTensor> = {
        input_ids: new Tensor('int64', idArr, [B, T]),
        knockout: new Tensor('bool', kmask, [B, L, T, T]),
        lens_target: new Tensor('int64', new BigInt64Array(B).fill(BigInt(target)), [B]),
      };
      for (let l = 0; l < L; l++) {
        feeds[`past_key_${l}`] = new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
        feeds[`past_value_${l}`] = new Tensor('float32', new Float32Array(0), [B, KVH, 0, hd]);
      }
      // the lens at the last layer is the model's own log-softmax: a tiny output to copy back
      const res = await this.session.run(feeds, ['lens_target_logprob']);
      const lp = res.lens_target_logprob.data as Float32Array; // [B, L+1, T]
      for (let b = 0; b < B; b++) out[b0 + b] = lp[b * (L + 1) * T + L * T + (T - 1)];
    }
    return out;
  }

  generate(ids: number[], eos: Set<number>, maxNew: number, signal?: AbortSignal): Promise<number[]> {
    return this.exclusive(async () => {
      const L = this.spec.numLayers;
      const V = this.spec.vocabSize;
      const presentNames = Array.from({ length: L }, (_, l) => [`present_key_${l}`, `present_value_${l}`]).flat();
      const out: number[] = [];
      let past: { k: OrtTensor; v: OrtTensor }[] | null = null;
      let step = ids;
      const limit = ropeTableLength(this.spec.maxPositions);
      let first = 0;
      const cached = this.prefill?.key === ids.join(',') ? this.prefill : null;
      if (cached && maxNew > 0 && ids.length < limit) {
        // the forward pass of this prompt already produced its logits and KV cache
        let best = 0;
        for (let v = 1; v < V; v++) if (cached.lastLogits[v] > cached.lastLogits[best]) best = v;
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
        const res: Record<string, OrtTensor> = await this.session.run(this.feeds(step, past), ['logits', ...presentNames]);
        const logits = res.logits.data as Float32Array;
        const base = (step.length - 1) * V;
        let best = 0;
        for (let v = 1; v < V; v++) if (logits[base + v] > logits[base + best]) best = v;
        past = Array.from({ length: L }, (_, l) => ({ k: res[`present_key_${l}`], v: res[`present_value_${l}`] }));
        if (eos.has(best)) break;
        out.push(best);
        step = [best];
      }
      return out;
    });
  }
}

type OrtTensor = InstanceType<Ort['Tensor']>;
