// A store on a fake page for the store's unit tests: real slices and real EngineSlots, with
// scripted workers in place of the engine (each records what it was sent; the test emits the
// replies, so it decides which run answers when), a fake fetch and a fake address bar.
import type { StoreApi } from 'zustand';
import type { LangCode } from '../../src/data/languages';
import type { XquadSet } from '../../src/data/xquad';
import { EngineSlot, type EngineWorker } from '../../src/worker/client';
import type { ReadyMessage, WorkerMessage, WorkerRequest } from '../../src/worker/messages';
import { createAppStore } from '../../src/state/store';
import type { StoreEnv } from '../../src/state/store-context';
import type { AppState, RunSlotName } from '../../src/state/store-types';

export function readyMessage(requestId: number, extra: Partial<ReadyMessage> = {}): ReadyMessage {
  return {
    type: 'ready',
    requestId,
    modelId: 'xlens-tiny-instruct',
    spec: { family: 'llama', modelType: 'llama', numLayers: 2, numHeads: 4, numKvHeads: 4, headDim: 16, hiddenSize: 64, vocabSize: 352, tieWordEmbeddings: true },
    backend: 'wasm',
    wasmThreads: 1,
    crossOriginIsolated: true,
    timings: { downloadMs: 1, buildMs: 1, sessionMs: 1, totalMs: 3 },
    hasChatTemplate: true,
    ...extra,
  };
}

/** a worker the test drives: loads answer `ready` at once (unless told otherwise), the rest waits for `emit` */
class FakeWorker implements EngineWorker {
  sent: WorkerRequest[] = [];
  terminated = false;
  constructor(
    private readonly onMessage: (m: WorkerMessage) => void,
    private readonly autoLoad: boolean,
  ) {}
  send(req: WorkerRequest): void {
    this.sent.push(req);
    if (req.type === 'load' && this.autoLoad) queueMicrotask(() => this.emit(readyMessage(req.requestId)));
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(msg: WorkerMessage): void {
    if (!this.terminated) this.onMessage(msg);
  }
  /** the requests of one type, oldest first */
  requests<T extends WorkerRequest['type']>(type: T): Extract<WorkerRequest, { type: T }>[] {
    return this.sent.filter((r): r is Extract<WorkerRequest, { type: T }> => r.type === type);
  }
  /** the request ids the store asked to cancel */
  cancelled(): (number | undefined)[] {
    return this.requests('cancel').map((r) => r.requestId);
  }
  /** answer a request as the real worker does when it is cancelled */
  cancel(requestId: number, during: 'analyze' | 'matrix' | 'fill-lens' = 'analyze'): void {
    this.emit({ type: 'error', requestId, during, name: 'Cancelled', message: 'Cancelled.', cancelled: true });
  }
}

export interface FakePage {
  store: StoreApi<AppState>;
  env: StoreEnv;
  /** the workers each slot started, oldest first */
  workers: Record<RunSlotName, FakeWorker[]>;
  /** the newest worker of a slot */
  worker(which?: RunSlotName): FakeWorker;
  /** URLs fetched (bundled model checks, the model list) */
  fetched: string[];
  /** the address bar now */
  address: { pathname: string; search: string; hash: string };
  /** hub origins remembered in "this browser" */
  remembered: string[];
}

export interface FakePageOptions {
  /** the address the page opens with (default: the plain page) */
  href?: string;
  /** answer `load` at once with `ready` (default true) */
  autoLoad?: boolean;
  /** status and body of a fetch (default: 200 and "{}") */
  respond?: (url: string) => { status: number; body: string };
  /** XQuAD files by language; a missing one fails to load */
  xquad?: Partial<Record<LangCode, XquadSet>>;
  extraHubs?: string[];
}

export function fakePage(opts: FakePageOptions = {}): FakePage {
  const href = opts.href ?? 'http://xlens.test/';
  const url = new URL(href);
  const address = { pathname: url.pathname, search: url.search, hash: url.hash };
  const workers: Record<RunSlotName, FakeWorker[]> = { main: [], compare: [] };
  const fetched: string[] = [];
  const remembered: string[] = [];
  const slot = (which: RunSlotName) =>
    new EngineSlot((onMessage) => {
      const w = new FakeWorker(onMessage, opts.autoLoad ?? true);
      workers[which].push(w);
      return w;
    });
  const env: StoreEnv = {
    bootHref: href,
    origin: url.origin,
    base: '/',
    slots: { main: slot('main'), compare: slot('compare') },
    fetch: async (input) => {
      const u = String(input);
      fetched.push(u);
      const r = opts.respond?.(u) ?? { status: 200, body: '{}' };
      return new Response(r.body, { status: r.status });
    },
    fetchXquad: async (lang) => {
      const set = opts.xquad?.[lang];
      if (!set) throw new Error(`Could not load the ${lang} XQuAD data: it answered 404.`);
      return set;
    },
    extraHubs: opts.extraHubs ?? [],
    rememberedHubs: () => [...remembered],
    rememberHub: (o) => void remembered.push(o),
    address: () => ({ ...address }),
    replaceAddress: (u) => {
      const next = new URL(u, url.origin);
      Object.assign(address, { pathname: next.pathname, search: next.search, hash: next.hash });
    },
  };
  const store = createAppStore(env);
  return {
    store,
    env,
    workers,
    worker: (which = 'main') => {
      const w = workers[which].at(-1);
      if (!w) throw new Error(`no ${which} worker started`);
      return w;
    },
    fetched,
    address,
    remembered,
  };
}
