// Web Worker entry: the engine behind the protocol in ./messages.ts.
// One worker holds at most one model, loaded once; the UI starts a fresh worker when the
// model or backend changes (that also frees the model's memory).
import { env as transformersEnv } from '@huggingface/transformers';
import { loadModel, type LoadedModel } from '../engine/model';
import { lensLastPosition } from '../engine/analyses/lens';
import type { Backend } from '../engine/runtime/backend';
import type { ProgressEvent } from '../engine/hub/source';
import type {
  LoadRequest,
  RunRequest,
  RunResult,
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
let runCancelled = false;
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

function checkCancelled() {
  if (runCancelled) throw new Cancelled();
}

async function handleRun(req: RunRequest): Promise<void> {
  const m = model;
  if (!m) throw new Error('No model is loaded yet.');
  runCancelled = false;
  const backend: Backend = m.backend;
  post({ type: 'status', requestId: req.requestId, status: 'running', message: 'Tokenizing' });

  let t = performance.now();
  let text = req.prompt;
  let usedChatTemplate = false;
  if (req.useChatTemplate) {
    const templated = m.tokenizer.applyChatTemplate(req.prompt);
    if (templated !== null) {
      text = templated;
      usedChatTemplate = true;
    }
  }
  // A chat template writes its own special tokens (BOS etc.).
  const inputIds = m.tokenizer.encode(text, { addSpecialTokens: !usedChatTemplate });
  if (inputIds.length === 0) throw new Error('The prompt is empty after tokenization.');
  const tokens = m.tokenizer.tokenStrings(inputIds);
  const tokenizeMs = performance.now() - t;
  checkCancelled();

  post({ type: 'progress', requestId: req.requestId, phase: 'compute', label: `Forward pass (${inputIds.length} tokens)`, loaded: 0, total: 3 });
  t = performance.now();
  const fwd = await m.forward(inputIds);
  const forwardMs = performance.now() - t;
  checkCancelled();

  t = performance.now();
  const lens = lensLastPosition(m, fwd).map((r) => ({ layer: r.layer, topId: r.topId, topToken: r.topToken, topProb: r.topProb }));
  const lensMs = performance.now() - t;

  post({ type: 'progress', requestId: req.requestId, phase: 'compute', label: 'Generating the answer', loaded: 2, total: 3 });
  t = performance.now();
  let generatedIds: number[] = [];
  if (req.maxNewTokens > 0) {
    runAbort = new AbortController();
    try {
      generatedIds = await m.generate(inputIds, { maxNewTokens: req.maxNewTokens, signal: runAbort.signal });
    } finally {
      runAbort = null;
    }
    // Accept either convention: only the new tokens, or prompt + new tokens.
    if (generatedIds.length > inputIds.length && inputIds.every((id, i) => generatedIds[i] === id)) {
      generatedIds = generatedIds.slice(inputIds.length);
    }
  }
  const generateMs = performance.now() - t;
  checkCancelled();

  const result: RunResult = {
    modelId: m.id,
    backend,
    prompt: req.prompt,
    usedChatTemplate,
    inputIds,
    tokens,
    lens,
    generatedIds,
    generatedText: generatedIds.length ? m.tokenizer.decode(generatedIds) : '',
    timings: { tokenizeMs, forwardMs, lensMs, generateMs },
  };
  const transfer: Transferable[] = [];
  if (req.debug) {
    const logits = fwd.logits.slice();
    const hidden = fwd.hidden.map((h) => h.slice());
    result.debug = { logits, hidden, T: fwd.T, V: fwd.V, d: fwd.d };
    transfer.push(logits.buffer, ...hidden.map((h) => h.buffer));
  }
  post({ type: 'result', requestId: req.requestId, result }, transfer);
  post({ type: 'status', requestId: req.requestId, status: 'idle', message: 'Done' });
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (req.type === 'cancel') {
    loadAbort?.abort();
    runCancelled = true;
    runAbort?.abort(new Cancelled());
    return;
  }
  queue = queue.then(async () => {
    try {
      if (req.type === 'load') await handleLoad(req);
      else await handleRun(req);
    } catch (e) {
      const cancelled = e instanceof Cancelled || (e instanceof Error && e.name === 'AbortError');
      post({
        type: 'error',
        requestId: req.requestId,
        during: req.type,
        message: cancelled ? 'Cancelled.' : errorText(e),
        cancelled,
      });
      post({ type: 'status', requestId: req.requestId, status: 'idle', message: cancelled ? 'Cancelled' : 'Failed' });
    }
  });
};
