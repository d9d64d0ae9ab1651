// UI-side handle on an engine worker. `startEngineWorker` is the raw typed channel;
// `EngineSlot` is what the store uses: one worker per (model source, backend), requests
// routed by id, a promise per request, and cancel that aborts a run in the worker or, during
// a load, stops the worker (downloads are cached, so the next load resumes quickly).
import type { ModelSource } from '../engine/hub/source';
import type { BackendChoice } from '../engine/runtime/backend';
import type { AnalysisResult, MatrixResult, ResultInput } from '../engine/result';
import type { AnalyzeOptionsMsg, MatrixRequest, ReadyMessage, WorkerMessage, WorkerRequest } from './messages';

export interface EngineWorker {
  send(req: WorkerRequest): void;
  terminate(): void;
}

export function startEngineWorker(onMessage: (msg: WorkerMessage) => void, onCrash: (message: string) => void): EngineWorker {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'xlens-engine' });
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
    readonly during: 'load' | 'analyze' | 'matrix',
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
  async ensure(source: ModelSource, backend: BackendChoice, listener: Listener): Promise<ReadyMessage> {
    const key = JSON.stringify([source, backend]);
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
    this.worker.send({ type: 'load', requestId, source, backend });
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

  get isLoaded(): boolean {
    return this.ready !== null;
  }

  analyze(input: ResultInput, options: AnalyzeOptionsMsg, listener: Listener): Promise<AnalysisResult> {
    const requestId = nextRequestId++;
    const p = this.request<AnalysisResult>('analyze', requestId, listener, (m) => (m.type === 'analysis' && !m.partial ? m.result : undefined));
    this.send({ type: 'analyze', requestId, input, options });
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
    if (!this.ready) {
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
    p.listener(msg);
    if (msg.type === 'error') {
      this.pending.delete(msg.requestId);
      p.reject(new EngineError(msg.message, msg.name, msg.during, !!msg.cancelled));
      return;
    }
    const v = p.done(msg);
    if (v !== undefined) {
      this.pending.delete(msg.requestId);
      p.resolve(v);
    }
  }

  private crash(message: string) {
    const pend = [...this.pending.values()];
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
    this.key = '';
    this.ready = null;
    for (const p of pend) p.reject(new EngineError(`The engine worker stopped: ${message}`, 'WorkerCrash', 'analyze'));
  }
}
