// Web Worker entry: the engine behind the protocol in ./messages.ts (load, analyze, matrix,
// cancel).
// One worker holds at most one model, loaded once; the UI starts a fresh worker when the
// model or backend changes (that also frees the model's memory).
// Two run-time failures are handled:
// - the GPU device is lost: ./gpu-recovery.ts re-creates the model on WASM and re-runs the
//   interrupted request;
// - memory runs out: the error becomes an OutOfMemoryError that says what ran out and what to
//   try, flagged `restart` because onnxruntime's WASM instance is not reliable afterwards.
import { env as transformersEnv } from '@huggingface/transformers';
import { estimateMemory, heldBytes, WASM_HEAP_BYTES } from '../engine/arch/size';
import { loadModel, type LoadedModel } from '../engine/model';
import { analyze, fillLens, type AnalysisStates } from '../engine/analyses/analyze';
import { pairMatrix } from '../engine/analyses/matrix';
import type { AnalysisResult, LensCoverage, MatrixResult, ResultInput } from '../engine/result';
import type { Backend } from '../engine/runtime/backend';
import { DeviceLostError, OutOfMemoryError, outOfMemoryKind, outOfMemoryMessage, type OomContext } from '../engine/runtime/errors';
import { webgpuAdapterInfo, webgpuDevice } from '../engine/runtime/session';
import { sourceId, type ProgressEvent } from '../engine/hub/source';
import { buildPrompt } from '../engine/text/prompt';
import type {
  AnalysisStage,
  AnalyzeRequest,
  DebugTensors,
  FillLensRequest,
  LoadRequest,
  MatrixRequest,
  ReadyMessage,
  SpecSummary,
  WorkerMessage,
  WorkerRequest,
} from './messages';
import { GpuRecovery } from './gpu-recovery';
import { Cancelled, CurrentRun, errorText, isCancel } from './run-control';

type Ort = typeof import('onnxruntime-web');

// transformers.js only builds tokenizers from JSON we fetched ourselves: never let it reach out.
transformersEnv.allowRemoteModels = false;
transformersEnv.allowLocalModels = false;

/** started by a page opened with ?debug=1 (client.ts names the worker so): test hooks are honoured */
const DEBUG = self.name.endsWith('-debug');

/** bytes of the WASM heap the session holds before any prompt: weights in the format it runs, and overhead */
function sessionHeldBytes(m: LoadedModel): number {
  return heldBytes(estimateMemory(m.spec), m.weightFormat);
}

// Test hook (?debug=1&memcap=<MiB>): onnxruntime's WebAssembly heap may not grow past this many MiB,
// so an end-to-end test reaches a real out-of-memory on a small model (its allocations then fail
// exactly as they do at the 4 GiB limit).
const MEMCAP_MIB = DEBUG ? Number(/-memcap(\d+)-/.exec(self.name)?.[1] ?? 0) : 0;
if (MEMCAP_MIB > 0) {
  const pages = Math.floor((MEMCAP_MIB * 2 ** 20) / 65536);
  const Original = WebAssembly.Memory;
  (WebAssembly as unknown as { Memory: typeof WebAssembly.Memory }).Memory = new Proxy(Original, {
    construct(target, [d]: [WebAssembly.MemoryDescriptor]) {
      return new target({ ...d, initial: Math.min(d.initial, pages), maximum: Math.min(d.maximum ?? pages, pages) });
    },
  });
}

const post = (msg: WorkerMessage, transfer: Transferable[] = []) => self.postMessage(msg, { transfer });

let model: LoadedModel | null = null;
let loadedKey = '';
/** the request that loaded `model`: its source is re-opened on WASM when the GPU is lost */
let loadedBy: LoadRequest | null = null;
let loadAbort: AbortController | null = null;
/** the analyze / fill-lens / matrix request running now, and queued requests cancelled before they ran */
let runId = 0;
const cancelledIds = new Set<number>();
const current = new CurrentRun();
/** requests run one at a time, in order */
let queue: Promise<void> = Promise.resolve();
/** what was running, for the out-of-memory message */
let stage: OomContext['stage'] = 'load';
/** the last analysis and its residual states, so the rest of its lens can be computed on demand (fill-lens) */
let lastAnalysis: { input: string; result: AnalysisResult; states: AnalysisStates } | null = null;
/** whether the WebGPU adapter is a hardware one (software adapters are no faster than WASM) */
let gpuIsHardware = false;
/** a lost GPU device: the model is re-created on WASM from the request that loaded it */
const recovery = new GpuRecovery<LoadedModel>({
  model: () => model,
  async reloadOnWasm(requestId, loss, reason, signal) {
    const req = loadedBy;
    if (!req) throw new DeviceLostError(loss);
    const t0 = performance.now();
    post({ type: 'status', requestId, status: 'loading', message: 'The GPU device was lost: loading the model on WASM' });
    const onProgress = (e: ProgressEvent) => post({ type: 'progress', requestId, phase: e.phase, label: e.label, loaded: e.loaded, total: e.total, cached: e.cached });
    stage = 'load';
    const m = await loadModel(req.source, { ort: ortFor, backend: 'wasm', weights: req.weights, onProgress, signal });
    model = m;
    post(readyMessage(requestId, m, performance.now() - t0, { fallbackReason: reason, deviceLost: loss }));
    return m;
  },
});

/** onnxruntime-web's own runtime files are served by the app under /ort/ (see vite.config.ts). */
function configureOrt(ort: Ort): number {
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return threads;
}

/** onnxruntime-web build per backend, imported on first use (the engine decides which one runs). */
const ortModules = new Map<Backend, Promise<Ort>>();
let wasmThreads = 1;
function ortFor(b: Backend): Promise<Ort> {
  let p = ortModules.get(b);
  if (!p) {
    const mod = b === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
    p = mod.then((m) => {
      const ort = m as unknown as Ort;
      wasmThreads = configureOrt(ort);
      return ort;
    });
    ortModules.set(b, p);
  }
  return p;
}

function summarise(m: LoadedModel): SpecSummary {
  const s = m.spec;
  return {
    family: s.family,
    modelType: s.modelType,
    numLayers: s.numLayers,
    numHeads: s.numHeads,
    numKvHeads: s.numKvHeads,
    headDim: s.headDim,
    hiddenSize: s.hiddenSize,
    vocabSize: s.vocabSize,
    tieWordEmbeddings: s.tieWordEmbeddings,
  };
}

function readyMessage(requestId: number, m: LoadedModel, totalMs: number, extra: Partial<ReadyMessage> = {}): ReadyMessage {
  return {
    type: 'ready',
    requestId,
    modelId: m.id,
    spec: summarise(m),
    backend: m.backend,
    fallbackReason: m.fallbackReason,
    weightFormat: m.weightFormat,
    weightFallbackReason: m.weightFallbackReason,
    fp32WeightBytes: estimateMemory(m.spec).fp32Bytes,
    wasmThreads,
    crossOriginIsolated: self.crossOriginIsolated,
    timings: { ...m.timings, totalMs },
    hasChatTemplate: safeHasChatTemplate(m),
    ...extra,
  };
}

/** listen for the loss of the device a WebGPU model runs on */
async function watchGpu(m: LoadedModel): Promise<void> {
  recovery.watch(null);
  if (m.backend !== 'webgpu') return;
  gpuIsHardware = !(await webgpuAdapterInfo()).fallback;
  recovery.watch(await webgpuDevice(await ortFor('webgpu')));
}

async function handleLoad(req: LoadRequest): Promise<void> {
  const key = JSON.stringify([req.source, req.backend, req.weights]);
  if (model && loadedKey !== key) {
    // The UI uses a fresh worker per model; refuse quietly mixing two onnxruntime builds.
    throw new Error('This worker already holds another model; start a new worker to switch.');
  }
  const t0 = performance.now();
  if (!model) {
    stage = 'load';
    loadAbort = new AbortController();
    const onProgress = (e: ProgressEvent) =>
      post({ type: 'progress', requestId: req.requestId, phase: e.phase, label: e.label, loaded: e.loaded, total: e.total, cached: e.cached });
    post({ type: 'status', requestId: req.requestId, status: 'loading', message: 'Loading model' });
    try {
      model = await loadModel(req.source, { ort: ortFor, backend: req.backend, weights: req.weights, onProgress, signal: loadAbort.signal });
    } finally {
      loadAbort = null;
    }
    loadedKey = key;
    loadedBy = req;
    await watchGpu(model);
    post(readyMessage(req.requestId, model, performance.now() - t0));
  }
  post({ type: 'status', requestId: req.requestId, status: 'idle', message: 'Ready' });
}

function safeHasChatTemplate(m: LoadedModel): boolean {
  try {
    return m.tokenizer.applyChatTemplate('x') !== null;
  } catch {
    return false;
  }
}

/** what a run gets: the model, the signal Cancel aborts, and `send`, which is silent once the run was abandoned (device lost) */
interface RunContext {
  m: LoadedModel;
  signal: AbortSignal;
  live(): boolean;
  send(msg: WorkerMessage, transfer?: Transferable[]): void;
}

/** analyze, fill-lens and matrix: one cancellable run on the current model, re-run on WASM if the GPU device is lost */
function cancellableRun(requestId: number, body: (r: RunContext) => Promise<void>): Promise<void> {
  return current.run((signal) =>
    recovery.run(requestId, signal, (m, live) =>
      body({
        m,
        signal,
        live,
        send: (msg, transfer = []) => {
          if (live()) post(msg, transfer);
        },
      }),
    ),
  );
}

async function analyzeOn({ m, signal, live, send }: RunContext, req: AnalyzeRequest): Promise<void> {
  const o = req.options;
  const onStage = (s: AnalysisStage) => {
    if (!live()) return;
    stage = s;
    send({ type: 'stage', requestId: req.requestId, stage: s });
  };
  stage = 'forward';
  lastAnalysis = null;
  // Every stage's result is posted as soon as it exists (the first heatmap comes from the forward alone),
  // so the views fill while the later stages run.
  let debugSent = false;
  const postPartial = async (partial: AnalysisResult) => {
    let debug: DebugTensors | undefined;
    const transfer: Transferable[] = [];
    if (o.debug && !debugSent) {
      debugSent = true;
      const ids = partial.prompt.tokens.map((t) => t.id);
      const fwd = await m.forward(ids, { allLogits: true });
      debug = { inputIds: ids, logits: fwd.logits.slice(), hidden: fwd.hidden.map((h) => h.slice()), T: fwd.T, V: fwd.V, d: fwd.d };
      transfer.push(debug.logits.buffer, ...debug.hidden.map((h) => h.buffer));
    }
    send({ type: 'analysis', requestId: req.requestId, result: partial, partial: true, debug }, transfer);
  };
  let pending: Promise<void> = Promise.resolve();
  let states: AnalysisStates | null = null;
  const full = await analyze(m, req.input, {
    maxNewTokens: o.maxNewTokens ?? undefined,
    signal,
    onStage,
    lens: lensCoverage(m, o.lens ?? 'auto'),
    knockout: o.knockout ? (o.window ? { window: o.window } : true) : false,
    relevance: o.relevance,
    onPartial: (partial) => {
      pending = pending.then(() => postPartial(partial));
    },
    onProgress: (s, done, total) => send({ type: 'stage', requestId: req.requestId, stage: s, done, total }),
    keepStates: (st) => {
      states = st;
    },
  });
  await pending;
  signal.throwIfAborted();
  if (states) lastAnalysis = { input: JSON.stringify(req.input), result: full, states };
  send({ type: 'analysis', requestId: req.requestId, result: full, partial: false });
}

/** the lens coverage a request gets: 'auto' is every position on a hardware GPU, else what analyze() picks by cost */
function lensCoverage(m: LoadedModel, want: 'phases' | 'all' | 'auto'): LensCoverage | 'auto' {
  if (want !== 'auto') return want;
  return m.backend === 'webgpu' && gpuIsHardware ? 'all' : 'auto';
}

/** the rest of the last analysis's lens, computed on demand from its kept residual states */
async function fillLensOn({ m, signal, send }: RunContext, req: FillLensRequest): Promise<void> {
  const last = lastAnalysis;
  if (!last || last.input !== JSON.stringify(req.input) || last.result.model.id !== m.id) {
    throw new Error('The analysis this lens belongs to is no longer in memory: run the analysis again.');
  }
  stage = 'lens';
  send({ type: 'stage', requestId: req.requestId, stage: 'lens' });
  const filled = await fillLens(m, last.result, last.states, {
    signal,
    onProgress: (done, total) => send({ type: 'stage', requestId: req.requestId, stage: 'lens', done, total }),
    onPartial: (r) => send({ type: 'analysis', requestId: req.requestId, result: r, partial: true }),
  });
  signal.throwIfAborted();
  lastAnalysis = { ...last, result: filled };
  send({ type: 'analysis', requestId: req.requestId, result: filled, partial: false });
}

async function matrixOn({ m, signal, send }: RunContext, req: MatrixRequest): Promise<void> {
  const total = req.contextLangs.length * req.questionLangs.length;
  let last: { result: MatrixResult; done: number } | null = null;
  stage = 'matrix';
  try {
    const result = await pairMatrix(m, req.examples, req.contextLangs, req.questionLangs, {
      template: req.template,
      depths: req.depths,
      mrd: req.mrd ?? false,
      window: req.window ?? undefined,
      maxNewTokens: req.maxNewTokens ?? undefined,
      signal,
      onCell: (partial, done, t) => {
        last = { result: partial, done };
        send({ type: 'matrix', requestId: req.requestId, result: partial, done, total: t, final: false });
      },
    });
    send({ type: 'matrix', requestId: req.requestId, result, done: total, total, final: true });
  } catch (e) {
    // keep what was computed: the partial matrix goes out before the error
    const l = last as { result: MatrixResult; done: number } | null;
    if (l) send({ type: 'matrix', requestId: req.requestId, result: l.result, done: l.done, total, final: true });
    throw e;
  }
}

/** prompt length of an analysis request, for the out-of-memory message */
function promptTokens(req: WorkerRequest): number | undefined {
  if (req.type !== 'analyze' || !model) return undefined;
  try {
    return buildPrompt(model.tokenizer, req.input).ids.length;
  } catch {
    return undefined;
  }
}

/** an out-of-memory failure as the typed error the UI shows, or null for any other error */
function asOutOfMemory(e: unknown, req: LoadRequest | AnalyzeRequest | FillLensRequest | MatrixRequest): OutOfMemoryError | null {
  const memory = outOfMemoryKind(e);
  if (!memory) return null;
  const m = model;
  const message = outOfMemoryMessage({
    memory,
    modelId: m?.id ?? (req.type === 'load' ? sourceId(req.source) : 'the model'),
    backend: m?.backend ?? (req.type === 'load' && req.backend !== 'auto' ? req.backend : 'wasm'),
    stage: req.type === 'load' ? 'load' : stage,
    tokens: promptTokens(req),
    numLayers: m?.spec.numLayers,
    numHeads: m?.spec.numHeads,
    spec: m?.spec,
    roomBytes: m ? WASM_HEAP_BYTES - sessionHeldBytes(m) : undefined,
    detail: errorText(e),
  });
  return new OutOfMemoryError(message, memory);
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (req.type === 'debug') {
    // handled at once, not queued: the point is to hit a run in flight
    if (DEBUG && req.action === 'lose-gpu-device') recovery.device?.destroy();
    return;
  }
  if (req.type === 'cancel') {
    if (req.requestId === undefined) {
      loadAbort?.abort();
      current.abort();
    } else if (req.requestId === runId) {
      current.abort();
    } else {
      cancelledIds.add(req.requestId);
    }
    return;
  }
  queue = queue.then(async () => {
    try {
      if (cancelledIds.delete(req.requestId)) throw new Cancelled();
      if (req.type !== 'load') runId = req.requestId;
      if (req.type === 'load') await handleLoad(req);
      else if (req.type === 'analyze') await cancellableRun(req.requestId, (r) => analyzeOn(r, req));
      else if (req.type === 'fill-lens') await cancellableRun(req.requestId, (r) => fillLensOn(r, req));
      else await cancellableRun(req.requestId, (r) => matrixOn(r, req));
    } catch (e) {
      const cancelled = isCancel(e);
      const oom = cancelled ? null : asOutOfMemory(e, req);
      const err = oom ?? e;
      post({
        type: 'error',
        requestId: req.requestId,
        during: req.type,
        name: err instanceof Error ? err.name : 'Error',
        message: cancelled ? 'Cancelled.' : errorText(err),
        cancelled,
        ...(oom ? { restart: true } : {}),
      });
      post({ type: 'status', requestId: req.requestId, status: 'idle', message: cancelled ? 'Cancelled' : 'Failed' });
    }
  });
};
