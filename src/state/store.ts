// App state (zustand). Data flows one way: UI -> store -> worker request -> engine ->
// progress / results -> store -> views. The store owns the engine worker: one worker per
// (model source, backend); changing either starts a fresh worker on the next run.
import { create } from 'zustand';
import { DEFAULT_HUB_BASE, isValidRepoId, type ModelSource, type Phase } from '../engine/hub/source';
import type { Backend, BackendChoice } from '../engine/runtime/backend';
import { startEngineWorker, type EngineWorker } from '../worker/client';
import type { ReadyMessage, RunResult, WorkerMessage } from '../worker/messages';
import { exposeDebugRun } from './debug';
import { isValidLocalName, MAX_NEW_TOKENS, normaliseHubBase, parseQuery } from './query';

export interface LocalModel {
  name: string;
  label: string;
  default?: boolean;
}

export type SourceKind = 'local' | 'hub';
export type Status = 'idle' | 'loading' | 'running' | 'done' | 'error';

export interface ProgressState {
  phase: Phase;
  label: string;
  loaded: number;
  total?: number;
  /** download phase: bytes over all files so far, and bytes per second */
  bytesLoaded?: number;
  bytesTotal?: number;
  bytesPerSecond?: number;
  cached?: boolean;
}

export interface LoadedInfo {
  key: string;
  modelId: string;
  spec: ReadyMessage['spec'];
  backend: Backend;
  fallbackReason?: string;
  wasmThreads: number;
  crossOriginIsolated: boolean;
  timings: ReadyMessage['timings'];
  hasChatTemplate: boolean;
}

export const DEFAULT_PROMPT =
  'Context: Maria lives in Lisbon. Ahmed lives in Cairo.\nQuestion: Where does Ahmed live?\nAnswer:';

export interface AppState {
  localModels: LocalModel[];
  localModelsError: string | null;
  sourceKind: SourceKind;
  localName: string;
  hubRepo: string;
  hubBase: string;
  backend: BackendChoice;
  prompt: string;
  useChatTemplate: boolean;
  maxNewTokens: number;
  debug: boolean;

  status: Status;
  statusText: string;
  progress: ProgressState | null;
  loaded: LoadedInfo | null;
  result: RunResult | null;
  error: string | null;
  /** problems with the URL's parameters (shown, not fatal) */
  notices: string[];

  setSourceKind(k: SourceKind): void;
  setLocalName(n: string): void;
  setHubRepo(r: string): void;
  setHubBase(b: string): void;
  setBackend(b: BackendChoice): void;
  setPrompt(p: string): void;
  setUseChatTemplate(v: boolean): void;
  dismissError(): void;
  loadLocalModels(): Promise<void>;
  run(): Promise<void>;
  cancel(): void;
}

/** Checks the chosen source; returns the source or a message saying what is wrong. */
export function resolveSource(s: Pick<AppState, 'sourceKind' | 'localName' | 'hubRepo' | 'hubBase'>): ModelSource | string {
  if (s.sourceKind === 'local') {
    if (!isValidLocalName(s.localName)) return `"${s.localName}" is not a valid model folder name.`;
    const url = new URL(`${import.meta.env.BASE_URL}models/${s.localName}`, window.location.origin).href;
    return { kind: 'url', url };
  }
  const repo = s.hubRepo.trim();
  if (!isValidRepoId(repo)) return `"${repo}" is not a valid hub repo id: use "owner/name" (letters, digits, "-", "_", ".").`;
  const base = normaliseHubBase(s.hubBase);
  if (!base) return `"${s.hubBase}" is not a valid hub base URL: use an http(s) URL such as ${DEFAULT_HUB_BASE}.`;
  return { kind: 'hub', repo, baseUrl: base };
}

/** A bundled model's folder must exist; a clear message beats a JSON parse error from deep inside. */
async function checkLocalFolder(source: ModelSource, name: string): Promise<string | null> {
  if (source.kind !== 'url') return null;
  const url = `${source.url}/config.json`;
  try {
    const res = await fetch(url, { method: 'GET', cache: 'no-store' });
    if (res.ok) {
      JSON.parse(await res.text());
      return null;
    }
    return `The model folder "${name}" is missing: ${url} answered ${res.status}. Put a Hugging Face checkpoint (config.json, tokenizer.json, model.safetensors) in public/models/${name}/, or pick another model.`;
  } catch {
    return `The model folder "${name}" is missing or broken: ${url} is not a JSON file.`;
  }
}

let worker: EngineWorker | null = null;
let workerKey = '';
let nextRequestId = 1;
let activeRequest = 0;
/** per-file download progress, to show total bytes and a rate */
let downloads = new Map<string, { loaded: number; total?: number }>();
let downloadStart = 0;
let pendingReady: { resolve: () => void; reject: (e: Error) => void } | null = null;
let pendingResult: { resolve: (r: RunResult) => void; reject: (e: Error) => void } | null = null;

const query = typeof window !== 'undefined' ? parseQuery(window.location.search) : { debug: false, errors: [] as string[] };

export const useAppStore = create<AppState>()((set, get) => {
  function stopWorker() {
    worker?.terminate();
    worker = null;
    workerKey = '';
    pendingReady?.reject(new Error('Cancelled.'));
    pendingResult?.reject(new Error('Cancelled.'));
    pendingReady = pendingResult = null;
  }

  function onMessage(msg: WorkerMessage) {
    if (msg.requestId !== activeRequest) return;
    switch (msg.type) {
      case 'status':
        set({ statusText: msg.message });
        break;
      case 'progress': {
        const p: ProgressState = { phase: msg.phase, label: msg.label, loaded: msg.loaded, total: msg.total, cached: msg.cached };
        if (msg.phase === 'download') {
          if (downloads.size === 0) downloadStart = performance.now();
          downloads.set(msg.label, { loaded: msg.loaded, total: msg.total });
          let bytesLoaded = 0;
          let bytesTotal: number | undefined = 0;
          for (const d of downloads.values()) {
            bytesLoaded += d.loaded;
            bytesTotal = d.total === undefined || bytesTotal === undefined ? undefined : bytesTotal + d.total;
          }
          const secs = (performance.now() - downloadStart) / 1000;
          Object.assign(p, { bytesLoaded, bytesTotal, bytesPerSecond: secs > 0.05 ? bytesLoaded / secs : undefined });
        }
        set({ progress: p });
        break;
      }
      case 'ready':
        set({
          loaded: {
            key: workerKey,
            modelId: msg.modelId,
            spec: msg.spec,
            backend: msg.backend,
            fallbackReason: msg.fallbackReason,
            wasmThreads: msg.wasmThreads,
            crossOriginIsolated: msg.crossOriginIsolated,
            timings: msg.timings,
            hasChatTemplate: msg.hasChatTemplate,
          },
        });
        pendingReady?.resolve();
        pendingReady = null;
        break;
      case 'result':
        pendingResult?.resolve(msg.result);
        pendingResult = null;
        break;
      case 'error': {
        const err = Object.assign(new Error(msg.message), { cancelled: msg.cancelled });
        if (msg.during === 'load') {
          pendingReady?.reject(err);
          pendingReady = null;
        } else {
          pendingResult?.reject(err);
          pendingResult = null;
        }
        break;
      }
    }
  }

  function onCrash(message: string) {
    stopWorker();
    set({ status: 'error', error: `The engine worker stopped: ${message}`, progress: null, loaded: null });
  }

  return {
    localModels: [],
    localModelsError: null,
    sourceKind: query.model?.kind ?? 'local',
    localName: query.model?.kind === 'local' ? query.model.name : 'xlens-tiny-instruct',
    hubRepo: query.model?.kind === 'hub' ? query.model.repo : '',
    hubBase: query.hubBase ?? DEFAULT_HUB_BASE,
    backend: query.backend ?? 'auto',
    prompt: query.prompt ?? DEFAULT_PROMPT,
    useChatTemplate: query.useChatTemplate ?? true,
    maxNewTokens: query.maxNewTokens ?? MAX_NEW_TOKENS,
    debug: query.debug,

    status: 'idle',
    statusText: '',
    progress: null,
    loaded: null,
    result: null,
    error: null,
    notices: query.errors,

    setSourceKind: (sourceKind) => set({ sourceKind }),
    setLocalName: (localName) => set({ localName }),
    setHubRepo: (hubRepo) => set({ hubRepo }),
    setHubBase: (hubBase) => set({ hubBase }),
    setBackend: (backend) => set({ backend }),
    setPrompt: (prompt) => set({ prompt }),
    setUseChatTemplate: (useChatTemplate) => set({ useChatTemplate }),
    dismissError: () => set({ error: null, status: get().status === 'error' ? 'idle' : get().status }),

    async loadLocalModels() {
      try {
        const res = await fetch(`${import.meta.env.BASE_URL}models/index.json`, { cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data = (await res.json()) as { models?: LocalModel[] };
        const models = (data.models ?? []).filter((m) => typeof m?.name === 'string' && isValidLocalName(m.name));
        const s = get();
        const fromQuery = query.model?.kind === 'local';
        const def = models.find((m) => m.default) ?? models[0];
        set({
          localModels: models,
          localModelsError: null,
          localName: fromQuery || !def ? s.localName : def.name,
        });
      } catch (e) {
        set({ localModelsError: `Could not read the list of bundled models (models/index.json): ${(e as Error).message}` });
      }
    },

    async run() {
      const s = get();
      if (s.status === 'loading' || s.status === 'running') return;
      const source = resolveSource(s);
      if (typeof source === 'string') {
        set({ status: 'error', error: source });
        return;
      }
      if (!s.prompt.trim()) {
        set({ status: 'error', error: 'Type a prompt first.' });
        return;
      }
      set({ error: null, result: null });
      const key = JSON.stringify([source, s.backend]);
      try {
        if (!worker || workerKey !== key || !get().loaded) {
          stopWorker();
          set({ status: 'loading', statusText: 'Starting', progress: null, loaded: null });
          if (s.sourceKind === 'local') {
            const problem = await checkLocalFolder(source, s.localName);
            if (problem) throw new Error(problem);
          }
          downloads = new Map();
          worker = startEngineWorker(onMessage, onCrash);
          workerKey = key;
          activeRequest = nextRequestId++;
          const ready = new Promise<void>((resolve, reject) => (pendingReady = { resolve, reject }));
          worker.send({ type: 'load', requestId: activeRequest, source, backend: s.backend });
          await ready;
        }
        set({ status: 'running', statusText: 'Running', progress: null });
        activeRequest = nextRequestId++;
        const done = new Promise<RunResult>((resolve, reject) => (pendingResult = { resolve, reject }));
        const cur = get();
        worker!.send({
          type: 'run',
          requestId: activeRequest,
          prompt: cur.prompt,
          useChatTemplate: cur.useChatTemplate,
          maxNewTokens: cur.maxNewTokens,
          debug: cur.debug,
        });
        const result = await done;
        if (cur.debug) exposeDebugRun(result);
        set({ status: 'done', statusText: 'Done', progress: null, result });
      } catch (e) {
        const err = e as Error & { cancelled?: boolean };
        const wasLoading = get().status === 'loading';
        if (wasLoading) stopWorker();
        if (err.cancelled || err.message === 'Cancelled.') {
          set({ status: 'idle', statusText: 'Cancelled', progress: null, loaded: wasLoading ? null : get().loaded });
        } else {
          set({
            status: 'error',
            statusText: 'Failed',
            progress: null,
            loaded: wasLoading ? null : get().loaded,
            error: wasLoading ? `Could not load the model: ${err.message}` : `The run failed: ${err.message}`,
          });
        }
      }
    },

    cancel() {
      const st = get().status;
      if (st === 'loading') {
        stopWorker(); // aborts downloads too; the next run starts over (downloads are cached)
        set({ status: 'idle', statusText: 'Cancelled', progress: null, loaded: null });
      } else if (st === 'running') {
        worker?.send({ type: 'cancel' });
        set({ statusText: 'Cancelling…' });
      }
    },
  };
});
