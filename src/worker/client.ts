// UI-side handle on an engine worker. `startEngineWorker` is the raw typed channel;
// `EngineSlot` is what the store uses: one worker per (model source, backend), requests
// routed by id, a promise per request, and cancel that aborts a run in the worker or, during
// a load, stops the worker (downloads are cached, so the next load resumes quickly).
// A worker that reports an error it cannot recover from (`restart`: it ran out of memory) is
// stopped at once; the next request starts a fresh one. A second `ready` message during a
// request (the GPU device was lost and the worker switched to WASM) replaces `ready`.
import type { WeightChoice } from '../engine/arch/size';
import type { ModelSource } from '../engine/hub/source';
import type { BackendChoice } from '../engine/runtime/backend';
import type { AnalysisResult, MatrixResult, ResultInput } from '../engine/result';
import { outOfMemoryKind } from '../engine/runtime/errors';
import type { AnalyzeOptionsMsg, MatrixRequest, ReadyMessage, WorkerMessage, WorkerRequest } from './messages';

/** the page was opened with ?debug=1: the worker then honours test-only requests */
function debugPage(): boolean {
  try {
    return typeof location !== 'undefined' && new URLSearchParams(location.search).get('debug') === '1';
  } catch {
    return false;
  }
}

/**
 * ?debug=1&memcap=<MiB>: a test's ceiling on the engine's WebAssembly heap (engine.worker.ts), read once
 * when the page loads so every worker the page starts gets it (the address bar drops test settings)
 */
const MEMCAP = (() => {
  try {
    if (typeof location === 'undefined' || !debugPage()) return 0;
    const n = Number(new URLSearchParams(location.search).get('memcap'));
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
})();

export interface EngineWorker {
  send(req: WorkerRequest): void;
  terminate(): void;
}

export function startEngineWorker(onMessage: (msg: WorkerMessage) => void, onCrash: (message: string) => void): EngineWorker {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: debugPage() ? `xlens-engine${MEMCAP ? `-memcap${MEMCAP}` : ''}-debug` : 'xlens-engine' });
  worker.onmessage = (ev: MessageEvent<WorkerMessage>) => onMessage(ev.data);
  worker.onerror = (ev: ErrorEvent) => {
    ev.preventDefault();
    onCrash(ev.message || 'The engine worker failed to start.');
  };
  worker.onmessageerror = () => onCrash('A message from the engine worker could not be read.');
  return {
    send: (req) => worker.postMessage(req),
    terminate: () => worker.terminate(),
  };
}

/** an error from the worker, with the engine's error class name */
export class EngineError extends Error {
  constructor(
    message: string,
    name: string,
    readonly during: 'load' | 'analyze' | 'fill-lens' | 'matrix',
    readonly cancelled = false,
  ) {
    super(message);
    this.name = name;
  }
}

export const isCancelled = (e: unknown): boolean => e instanceof EngineError && e.cancelled;

type Listener = (msg: WorkerMessage) => void;

interface Pending {
  kind: 'load' | 'analyze' | 'matrix';
  listener: Listener;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  done: (msg: WorkerMessage) => unknown | undefined;
}

let nextRequestId = 1;

export class EngineSlot {
  private worker: EngineWorker | null = null;
  private key = '';
  private pending = new Map<number, Pending>();
  private loading: Promise<ReadyMessage> | null = null;
  ready: ReadyMessage | null = null;

  constructor(private readonly start: typeof startEngineWorker = startEngineWorker) {}

  /** the worker for this source and backend, loaded; a different one replaces the old worker */
  async ensure(source: ModelSource, backend: BackendChoice, listener: Listener, weights: WeightChoice = 'auto'): Promise<ReadyMessage> {
    const key = JSON.stringify([source, backend, weights]);
    if (this.worker && this.key === key) {
      if (this.ready) return this.ready;
      if (this.loading) return this.loading;
    }
    this.stop();
    this.key = key;
    this.worker = this.start(
      (msg) => this.onMessage(msg),
      (message) => this.crash(message),
    );
    const requestId = nextRequestId++;
    this.loading = this.request<ReadyMessage>('load', requestId, listener, (m) => (m.type === 'ready' ? m : undefined));
    this.worker.send({ type: 'load', requestId, source, backend, weights });
    try {
      this.ready = await this.loading;
      return this.ready;
    } catch (e) {
      this.stop();
      throw e;
    } finally {
      this.loading = null;
    }
  }

  /** a model is loaded in a live worker (after a `restart` error, `ready` is kept for display only) */
  get isLoaded(): boolean {
    return this.ready !== null && this.worker !== null;
  }

  analyze(input: ResultInput, options: AnalyzeOptionsMsg, listener: Listener): Promise<AnalysisResult> {
    const requestId = nextRequestId++;
    const p = this.request<AnalysisResult>('analyze', requestId, listener, (m) => (m.type === 'analysis' && !m.partial ? m.result : undefined));
    this.send({ type: 'analyze', requestId, input, options });
    return p;
  }

  /** the rest of the last analysis's logit lens (positions it left out), answered like an analysis */
  fillLens(input: ResultInput, listener: Listener): Promise<AnalysisResult> {
    const requestId = nextRequestId++;
    const p = this.request<AnalysisResult>('analyze', requestId, listener, (m) => (m.type === 'analysis' && !m.partial ? m.result : undefined));
    this.send({ type: 'fill-lens', requestId, input });
    return p;
  }

  matrix(req: Omit<MatrixRequest, 'type' | 'requestId'>, listener: Listener): Promise<MatrixResult> {
    const requestId = nextRequestId++;
    const p = this.request<MatrixResult>('matrix', requestId, listener, (m) => (m.type === 'matrix' && m.final && m.result.complete ? m.result : undefined));
    this.send({ type: 'matrix', requestId, ...req });
    return p;
  }

  /** abort the analyses (or matrices) in flight or queued; a load in flight stops the worker */
  cancel(kind: 'analyze' | 'matrix' | 'all' = 'all'): void {
    if (!this.worker) return;
    if (!this.isLoaded) {
      if (kind === 'all') this.stop();
      return;
    }
    for (const [id, p] of this.pending) if (kind === 'all' || p.kind === kind) this.worker.send({ type: 'cancel', requestId: id });
  }

  /** true while a request of that kind is pending */
  busy(kind: 'analyze' | 'matrix'): boolean {
    for (const p of this.pending.values()) if (p.kind === kind) return true;
    return false;
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.key = '';
    this.ready = null;
    const pend = [...this.pending.values()];
    this.pending.clear();
    for (const p of pend) p.reject(new EngineError('Cancelled.', 'Cancelled', 'load', true));
  }

  private send(req: WorkerRequest) {
    if (!this.worker) throw new EngineError('No model is loaded.', 'Error', 'analyze');
    this.worker.send(req);
  }

  private request<T>(kind: Pending['kind'], requestId: number, listener: Listener, done: (m: WorkerMessage) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { kind, listener, resolve: resolve as (v: unknown) => void, reject, done });
    });
  }

  private onMessage(msg: WorkerMessage) {
    const p = this.pending.get(msg.requestId);
    if (!p) return;
    // the worker switched backend mid-request (GPU device lost): what is loaded changed
    if (msg.type === 'ready' && this.ready && p.kind !== 'load') this.ready = msg;
    p.listener(msg);
    if (msg.type === 'error') {
      this.pending.delete(msg.requestId);
      if (msg.restart) this.retire(msg.name, msg.during);
      p.reject(new EngineError(msg.message, msg.name, msg.during, !!msg.cancelled));
      return;
    }
    const v = p.done(msg);
    if (v !== undefined) {
      this.pending.delete(msg.requestId);
      p.resolve(v);
    }
  }

  /**
   * Stop a worker that must not be used again; `ready` stays (what was loaded, for display),
   * other requests in flight fail, and the next ensure() starts a fresh worker.
   */
  private retire(name: string, during: EngineError['during']) {
    this.worker?.terminate();
    this.worker = null;
    this.key = '';
    const pend = [...this.pending.entries()];
    this.pending.clear();
    for (const [, p] of pend) p.reject(new EngineError('The engine was restarted after it ran out of memory; run this again.', name, during));
  }

  private crash(message: string) {
    const pend = [...this.pending.values()];
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
    this.key = '';
    this.ready = null;
    // a worker that dies while allocating (e.g. "Array buffer allocation failed") ran out of memory
    const oom = outOfMemoryKind(message) !== null;
    const text = oom
      ? `The engine ran out of memory and stopped (${message}). Try a shorter prompt or a smaller model; the next run starts a fresh engine.`
      : `The engine worker stopped: ${message}`;
    for (const p of pend) p.reject(new EngineError(text, oom ? 'OutOfMemoryError' : 'WorkerCrash', p.kind));
  }
}
