// Web Worker entry: the engine behind the protocol in ./messages.ts (load, analyze, matrix,
// cancel).
// One worker holds at most one model, loaded once; the UI starts a fresh worker when the
// model or backend changes (that also frees the model's memory).
import { env as transformersEnv } from '@huggingface/transformers';
import { loadModel, type LoadedModel } from '../engine/model';
import { analyze } from '../engine/analyses/analyze';
import { pairMatrix } from '../engine/analyses/matrix';
import type { AnalysisResult, MatrixResult } from '../engine/result';
import type { Backend } from '../engine/runtime/backend';
import type { ProgressEvent } from '../engine/hub/source';
import type {
  AnalysisStage,
  AnalyzeRequest,
  DebugTensors,
  LoadRequest,
  MatrixRequest,
  SpecSummary,
  WorkerMessage,
  WorkerRequest,
} from './messages';

type Ort = typeof import('onnxruntime-web');

// transformers.js only builds tokenizers from JSON we fetched ourselves: never let it reach out.
transformersEnv.allowRemoteModels = false;
transformersEnv.allowLocalModels = false;

const post = (msg: WorkerMessage, transfer: Transferable[] = []) => self.postMessage(msg, { transfer });

let model: LoadedModel | null = null;
let loadedKey = '';
let loadAbort: AbortController | null = null;
/** the analyze / matrix request running now, and queued requests cancelled before they ran */
let runId = 0;
const cancelledIds = new Set<number>();
let runAbort: AbortController | null = null;
/** requests run one at a time, in order */
let queue: Promise<void> = Promise.resolve();

class Cancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

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

async function handleLoad(req: LoadRequest): Promise<void> {
  const key = JSON.stringify([req.source, req.backend]);
  if (model && loadedKey !== key) {
    // The UI uses a fresh worker per model; refuse quietly mixing two onnxruntime builds.
    throw new Error('This worker already holds another model; start a new worker to switch.');
  }
  const t0 = performance.now();
  if (!model) {
    loadAbort = new AbortController();
    const onProgress = (e: ProgressEvent) =>
      post({ type: 'progress', requestId: req.requestId, phase: e.phase, label: e.label, loaded: e.loaded, total: e.total, cached: e.cached });
    post({ type: 'status', requestId: req.requestId, status: 'loading', message: 'Loading model' });
    try {
      model = await loadModel(req.source, { ort: ortFor, backend: req.backend, onProgress, signal: loadAbort.signal });
    } finally {
      loadAbort = null;
    }
    loadedKey = key;
    const m = model;
    post({
      type: 'ready',
      requestId: req.requestId,
      modelId: m.id,
      spec: summarise(m),
      backend: m.backend,
      fallbackReason: m.fallbackReason,
      wasmThreads,
      crossOriginIsolated: self.crossOriginIsolated,
      timings: { ...m.timings, totalMs: performance.now() - t0 },
      hasChatTemplate: safeHasChatTemplate(m),
    });
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

function checkCancelled(signal: AbortSignal) {
  if (signal.aborted) throw new Cancelled();
}

async function handleAnalyze(req: AnalyzeRequest): Promise<void> {
  const m = model;
  if (!m) throw new Error('No model is loaded yet.');
  const ctl = new AbortController();
  runAbort = ctl;
  const o = req.options;
  const base = { maxNewTokens: o.maxNewTokens, signal: ctl.signal, onStage: (stage: AnalysisStage) => post({ type: 'stage', requestId: req.requestId, stage }) };
  const deep = o.knockout || o.relevance;
  try {
    // The fast part (lens, attention, answer) is posted as soon as it exists, so the views
    // fill while the knockout sweep and relevance run.
    let posted = false;
    const postFast = async (fast: AnalysisResult) => {
      let debug: DebugTensors | undefined;
      const transfer: Transferable[] = [];
      if (o.debug) {
        const ids = fast.prompt.tokens.map((t) => t.id);
        const fwd = await m.forward(ids);
        debug = { inputIds: ids, logits: fwd.logits.slice(), hidden: fwd.hidden.map((h) => h.slice()), T: fwd.T, V: fwd.V, d: fwd.d };
        transfer.push(debug.logits.buffer, ...debug.hidden.map((h) => h.buffer));
      }
      post({ type: 'analysis', requestId: req.requestId, result: fast, partial: deep, debug }, transfer);
      posted = true;
    };
    let pending: Promise<void> = Promise.resolve();
    const full = await analyze(m, req.input, {
      ...base,
      knockout: o.knockout ? (o.window ? { window: o.window } : true) : false,
      relevance: o.relevance,
      onPartial: (fast) => {
        pending = postFast(fast);
      },
      onKnockoutPartial: (done, total) => post({ type: 'stage', requestId: req.requestId, stage: 'knockout', done, total }),
    });
    await pending;
    checkCancelled(ctl.signal);
    if (!deep && posted) return;
    post({ type: 'analysis', requestId: req.requestId, result: full, partial: false });
  } finally {
    if (runAbort === ctl) runAbort = null;
  }
}

async function handleMatrix(req: MatrixRequest): Promise<void> {
  const m = model;
  if (!m) throw new Error('No model is loaded yet.');
  const ctl = new AbortController();
  runAbort = ctl;
  const total = req.contextLangs.length * req.questionLangs.length;
  let last: { result: MatrixResult; done: number } | null = null;
  try {
    const result = await pairMatrix(m, req.examples, req.contextLangs, req.questionLangs, {
      template: req.template,
      depths: req.depths,
      window: req.window ?? undefined,
      maxNewTokens: req.maxNewTokens,
      signal: ctl.signal,
      onCell: (partial, done, t) => {
        last = { result: partial, done };
        post({ type: 'matrix', requestId: req.requestId, result: partial, done, total: t, final: false });
      },
    });
    post({ type: 'matrix', requestId: req.requestId, result, done: total, total, final: true });
  } catch (e) {
    // keep what was computed: the partial matrix goes out before the error
    const l = last as { result: MatrixResult; done: number } | null;
    if (l) post({ type: 'matrix', requestId: req.requestId, result: l.result, done: l.done, total, final: true });
    throw e;
  } finally {
    if (runAbort === ctl) runAbort = null;
  }
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (req.type === 'cancel') {
    if (req.requestId === undefined) {
      loadAbort?.abort();
      runAbort?.abort(new Cancelled());
    } else if (req.requestId === runId) {
      runAbort?.abort(new Cancelled());
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
      else if (req.type === 'analyze') await handleAnalyze(req);
      else await handleMatrix(req);
    } catch (e) {
      const cancelled = e instanceof Cancelled || (e instanceof Error && e.name === 'AbortError');
      post({
        type: 'error',
        requestId: req.requestId,
        during: req.type,
        name: e instanceof Error ? e.name : 'Error',
        message: cancelled ? 'Cancelled.' : errorText(e),
        cancelled,
      });
      post({ type: 'status', requestId: req.requestId, status: 'idle', message: cancelled ? 'Cancelled' : 'Failed' });
    }
  });
};
