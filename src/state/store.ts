// App state (zustand). Data flows one way: UI -> store -> worker request -> engine ->
// progress / results -> store -> views. The store holds the PageState (what the page shows;
// mirrored in the URL) and the runtime around it: engine slots (the main model's worker and,
// in compare mode, a second worker for the other model), progress, results (the shown one
// stays, dimmed, while the next one computes), the pair matrix (partial results kept), errors.
import { create } from 'zustand';
import type { Phase } from '../engine/hub/source';
import type { AnalysisResult, MatrixResult, ResultInput, XlensResult } from '../engine/result';
import { CATALOG } from '../data/catalog';
import { afterLesson, lessonState } from './lesson';
import { isLangCode, LANGUAGE_INFO, type LangCode } from '../data/languages';
import { isXquadExampleId, sampleIds, type XquadSet } from '../data/xquad';
import type { MatrixExample } from '../engine/analyses/matrix';
import type { ContextView } from '../viz/common/token-groups';
import { EngineSlot, isCancelled } from '../worker/client';
import type { AnalysisStage, ReadyMessage, WorkerMessage } from '../worker/messages';
import type { PairMetric } from '../viz/pair-matrix/data';
import { exposeDebug } from './debug';
import { modelLabel, modelSource, resolveInput } from './input';
import { checkHubBase, DEFAULT_HUB, parseExtraHubs, policyAllows, rememberedHubs, rememberHub } from './hub-policy';
import { fetchXquad } from './xquad-loader';
import { defaultPageState, type ModelRef, type PageState } from './page-state';
import { decodePermalink, pageAddress, recordedOf, resultPayloadOf, type Recorded } from './permalink';
import { isolateName } from './text-safety';
import { decodeUrl, type UrlRuntime } from './url-state';

export interface LocalModel {
  name: string;
  label: string;
  default?: boolean;
  kind?: 'base' | 'post-trained';
}

export type Status = 'idle' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';

export interface ProgressState {
  phase: Phase;
  label: string;
  loaded: number;
  total?: number;
  /** download: bytes over all files so far, and bytes per second */
  bytesLoaded?: number;
  bytesTotal?: number;
  bytesPerSecond?: number;
  /** how many files have reported so far (parallel downloads) */
  files?: number;
  cached?: boolean;
  /** compute: the analysis stage, and knockout batches done / total */
  stage?: AnalysisStage;
}

export interface Highlight {
  layer: number | null;
  token: number | null;
}

export interface RunSlotState {
  status: Status;
  progress: ProgressState | null;
  ready: ReadyMessage | null;
  error: string | null;
  /** the result shown (may be stale while a new one computes) */
  result: AnalysisResult | null;
  /** the result before `result` */
  previous: AnalysisResult | null;
  /** the request key `result` answers; differs from `wantKey` while a new result computes */
  resultKey: string | null;
  wantKey: string | null;
  /** knockout / relevance still computing for `result` */
  partial: boolean;
}

export type MatrixSet = 'tiny' | 'parallel' | 'xquad';

/** the XQuAD sample of the pair matrix is always drawn with this seed (as `xlens matrix --set xquad`) */
export const XQUAD_MATRIX_SEED = 0;

export interface XquadState {
  /** the files loaded so far */
  sets: Partial<Record<LangCode, XquadSet>>;
  /** languages being fetched */
  loading: LangCode[];
  error: string | null;
}

export interface MatrixState {
  status: Status;
  result: MatrixResult | null;
  done: number;
  total: number;
  progress: ProgressState | null;
  error: string | null;
  /** which examples: the tiny set, the parallel set or a sample of XQuAD, and how many */
  set: MatrixSet;
  count: number;
  /** also run relevance for the Major Relevance Depths (slower) */
  mrd: boolean;
  /** the metric the pair matrix shows (and exports) */
  metric: PairMetric;
}

/** a result shown read-only (from a permalink or an imported file) instead of a live run */
export interface RecordedState {
  info: Recorded;
  kind: 'analysis' | 'matrix';
  /** the analysis key of the page it was shown with; while the page keeps it, nothing re-runs */
  key: string;
}

/** a hub the page would contact and has not been allowed to: the question the dialog asks */
export interface HubQuestion {
  /** hub base URL as named by the link */
  base: string;
  origin: string;
  /** host (and port) as shown to the user */
  host: string;
  /** the hub model that needs it */
  repo: string;
  /** whether this copy's security policy lets the page connect to it at all */
  allowedByPolicy: boolean;
}

export interface AppState {
  page: PageState;
  /** the shown result is recorded, not computed here; null for live results */
  recorded: RecordedState | null;
  /** a permalink's #fragment is still being decoded: nothing runs until it is */
  booting: boolean;
  runtime: UrlRuntime;
  /** problems with the URL (shown, not fatal) */
  notices: string[];
  /** why the result embedded in the link was not loaded (shown apart from the settings) */
  resultNotices: string[];
  /** hub origins the user allowed on this page (and remembered ones) */
  approvedHubs: string[];
  /** a hub waiting for the user's answer; nothing is fetched from it until then */
  hubQuestion: HubQuestion | null;
  localModels: LocalModel[];
  localModelsError: string | null;
  /** transient hover highlight (pins live in page.view) */
  hover: Highlight;
  main: RunSlotState;
  compare: RunSlotState;
  matrix: MatrixState;
  /** a problem with the input itself (custom text, missing example) */
  inputProblem: string | null;
  /** the page as it was when the lesson started (restored when it ends); null if it opened from a link */
  beforeLesson: PageState | null;
  /** XQuAD data fetched on demand, one file per language */
  xquad: XquadState;
  /** long contexts: by sentence or every token ('auto': by sentence above LONG_CONTEXT_TOKENS) */
  contextView: 'auto' | ContextView;

  setPage(patch: Partial<PageState> | ((s: PageState) => PageState)): void;
  /** open the lesson at step `step` (its page), remembering the page to return to */
  startLesson(step?: number): void;
  /** leave the lesson: back to the page from before it, or the default page */
  leaveLesson(): void;
  setView(patch: Partial<PageState['view']>): void;
  setHover(h: Highlight): void;
  dismissError(which: 'main' | 'compare' | 'matrix'): void;
  dismissNotices(which?: 'settings' | 'result'): void;
  /** allow the hub in question (for this page, or remembered in this browser) and run what waited for it */
  approveHub(remember: boolean): void;
  /** refuse the hub in question: hub models load from the default hub */
  declineHub(): void;
  loadLocalModels(): Promise<void>;
  runAnalysis(): Promise<void>;
  /** compute the logit lens at the positions the shown analysis left out (the worker kept its residual states) */
  completeLens(): Promise<void>;
  runCompare(): Promise<void>;
  runMatrix(): Promise<void>;
  setMatrixOptions(o: Partial<Pick<MatrixState, 'set' | 'count' | 'metric' | 'mrd'>>): void;
  /** fetch the XQuAD files of these languages; false (and xquad.error) when one failed */
  loadXquad(langs: LangCode[]): Promise<boolean>;
  setContextView(v: 'auto' | ContextView): void;
  cancel(which: 'main' | 'compare' | 'matrix'): void;
  /** decode the start-up permalink (state, runtime, embedded result); idempotent */
  boot(): Promise<void>;
  /** show a result read-only (optionally with the page it belongs to); auto-run waits */
  showRecorded(result: XlensResult, info: Recorded, page?: PageState): void;
  /** forget the recorded result (and the #r= fragment); the views keep it until a live one arrives */
  clearRecorded(): void;
  /** replace the recorded result with a live run */
  rerunLive(): Promise<void>;
}

const emptySlot = (): RunSlotState => ({ status: 'idle', progress: null, ready: null, error: null, result: null, previous: null, resultKey: null, wantKey: null, partial: false });

const STAGE_LABELS: Record<AnalysisStage, string> = {
  forward: 'Forward pass (attention, lens at the last position)',
  generate: 'Generating the answer',
  lens: 'Logit lens at every layer',
  knockout: 'Attention knockout sweep',
  relevance: 'Relevance (AttnLRP backward pass)',
};

/** tracks per-file download progress, to show total bytes and a rate */
export class ProgressTracker {
  private files = new Map<string, { loaded: number; total?: number }>();
  private t0 = 0;
  constructor(private readonly now: () => number = () => performance.now()) {}

  update(msg: WorkerMessage): ProgressState | null {
    if (msg.type === 'stage') {
      const label = STAGE_LABELS[msg.stage] + (msg.total ? (msg.stage === 'lens' ? `: ${msg.done} of ${msg.total} layer × position cells` : `: batch ${msg.done} of ${msg.total}`) : '');
      return { phase: 'compute', label, loaded: msg.done ?? 0, total: msg.total, stage: msg.stage };
    }
    if (msg.type === 'status' && msg.status === 'loading') return { phase: 'download', label: msg.message, loaded: 0 };
    if (msg.type !== 'progress') return null;
    const p: ProgressState = { phase: msg.phase, label: msg.label, loaded: msg.loaded, total: msg.total, cached: msg.cached };
    if (msg.phase === 'download') {
      if (this.files.size === 0) this.t0 = this.now();
      this.files.set(msg.label, { loaded: msg.loaded, total: msg.total });
      let bytesLoaded = 0;
      let bytesTotal: number | undefined = 0;
      for (const f of this.files.values()) {
        bytesLoaded += f.loaded;
        bytesTotal = f.total === undefined || bytesTotal === undefined ? undefined : bytesTotal + f.total;
      }
      const secs = (this.now() - this.t0) / 1000;
      Object.assign(p, { bytesLoaded, bytesTotal, files: this.files.size, bytesPerSecond: secs > 0.05 ? bytesLoaded / secs : undefined });
    }
    return p;
  }
}

/** what an analysis depends on: a change of this key re-runs it */
export function analysisKey(s: PageState, model: ModelRef | null, rt: UrlRuntime): string {
  return JSON.stringify([model, s.backend, s.weights, s.contextLang, s.questionLang, s.example, s.custom, s.template, s.analyses, rt.hubBase, rt.maxNewTokens]);
}

/** "The answer …" -> "the answer …" after a colon; acronyms and ids ("WASM", "owner/name") stay */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/** a friendlier first line for the engine's error classes */
export function describeError(name: string, message: string, during: string): string {
  switch (name) {
    case 'HubError':
      return `Could not load the model: ${message}`;
    case 'UnsupportedModelError':
      return `This model's architecture is not supported: ${message}`;
    case 'ModelTooLargeError':
      return `The model is too large for the browser: ${message}`;
    case 'SafetensorsError':
      return `The model's weights are damaged or incomplete: ${message}`;
    case 'InputTooLongError':
      // the engine's message starts "The prompt has N tokens; …": one sentence, not two nested
      return `The prompt is too long: ${message.replace(/^The prompt has/, 'it has')}`;
    case 'OutOfMemoryError':
      return message;
    case 'PromptError':
      return `The input cannot be analysed: ${lowerFirst(message)}`;
    default:
      return during === 'load' ? `Could not load the model: ${message}` : `The analysis failed: ${message}`;
  }
}

/** an unknown example id is reported and replaced; no example and no custom text means the first example */
function normaliseExample(state: PageState, errors: string[]): void {
  // an XQuAD id is checked once its data has loaded (resolveInput says if it is unknown)
  if (state.example && !state.custom && !isXquadExampleId(state.example) && !CATALOG.some((e) => e.id === state.example)) {
    errors.push(`Ignored ?ex=${JSON.stringify(state.example)}: there is no such example; the first one is shown.`);
    state.example = null;
  }
  if (!state.example && !state.custom) state.example = (CATALOG.find((e) => e.set === 'tiny') ?? CATALOG[0])?.id ?? null;
}

const initial = typeof window !== 'undefined' ? decodeUrl(window.location.search) : { state: defaultPageState(), runtime: { hubBase: 'https://huggingface.co', debug: false, maxNewTokens: null }, errors: [] };
normaliseExample(initial.state, initial.errors);
/** the address the page was opened with (read before anything rewrites it) */
const BOOT_HREF = typeof window !== 'undefined' ? window.location.href : '';
const BOOT_HASH = typeof window !== 'undefined' ? window.location.hash : '';
let bootPromise: Promise<void> | null = null;

/** drop the result (#r=) from the address bar; the custom text (#t=) stays */
function clearHash(): void {
  if (typeof window === 'undefined' || !window.location.hash) return;
  const f = new URLSearchParams(window.location.hash.slice(1));
  if (!f.has('r')) return;
  f.delete('r');
  const rest = f.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
}

declare const __XLENS_HUBS__: string | undefined;
/** https hubs this build's security policy allows besides the default (XLENS_HUBS at build time) */
const EXTRA_HUBS = parseExtraHubs(typeof __XLENS_HUBS__ === 'string' ? __XLENS_HUBS__ : undefined);

/** the hub a model's files would come from; null for bundled models */
export function hubFor(m: ModelRef, rt: UrlRuntime): string | null {
  return m.kind === 'hub' ? (m.hub ?? rt.hubBase) : null;
}

const slots = { main: new EngineSlot(), compare: new EngineSlot() };
/** the newest request per kind; replies for older ones are ignored */
const generation = { main: 0, compare: 0, matrix: 0 };

function origin(): string {
  return typeof window !== 'undefined' ? window.location.origin : 'http://localhost';
}
const BASE = typeof import.meta !== 'undefined' && import.meta.env ? import.meta.env.BASE_URL : '/';

/** A bundled model's folder must exist; a clear message beats a JSON parse error from deep inside. */
async function checkBundled(ref: ModelRef): Promise<string | null> {
  if (ref.kind !== 'bundled') return null;
  const url = new URL(`${BASE}models/${ref.name}/config.json`, origin()).href;
  try {
    const res = await fetch(url, { cache: 'no-store' });
    if (res.ok) {
      JSON.parse(await res.text());
      return null;
    }
    return `The model folder "${ref.name}" is missing: ${url} answered ${res.status}. Put a Hugging Face checkpoint (config.json, tokenizer.json, model.safetensors) in public/models/${ref.name}/, or pick another model.`;
  } catch {
    return `The model folder "${ref.name}" is missing or broken: ${url} is not a JSON file.`;
  }
}

/** n XQuAD items (a reproducible sample) as matrix examples in the given languages */
export function xquadMatrixExamples(sets: Partial<Record<LangCode, XquadSet>>, langs: LangCode[], n: number): MatrixExample[] {
  const first = sets[langs[0]];
  if (!first) return [];
  return sampleIds(first.ids, n, XQUAD_MATRIX_SEED).map((id) => ({
    id,
    langs: Object.fromEntries(
      langs.flatMap((l) => {
        const it = sets[l]?.get(id);
        return it && it.answerStart >= 0 ? [[l, { context: it.context, question: it.question, answer: it.answer, answerStart: it.answerStart }]] : [];
      }),
    ),
  }));
}

/** a prompt longer than the model accepts, for an XQuAD item: say what to do about it */
export function xquadTooLongMessage(message: string, input: ResultInput, model: ModelRef): string {
  const m = /(\d+) tokens.*?at most (\d+)/.exec(message);
  const n = (x: string) => Number(x).toLocaleString('en');
  const lang = input.contextLang && isLangCode(input.contextLang) ? LANGUAGE_INFO[input.contextLang].name : 'this language';
  const what = m ? `with the ${lang} paragraph the prompt has ${n(m[1])} tokens, and ${modelLabel(model)} reads at most ${n(m[2])}` : message;
  return `This XQuAD item is too long for the model: ${what}. Nothing was analysed. Choose a shorter paragraph (another question or article), another context language, or a model with a longer context.`;
}

export const useAppStore = create<AppState>()((set, get) => {
  /** the XQuAD files loaded so far */
  const xquadLookup = (l: LangCode) => get().xquad.sets[l];

  const patchSlot = (which: 'main' | 'compare', patch: Partial<RunSlotState>) => set((s) => ({ [which]: { ...s[which], ...patch } }) as Partial<AppState>);

  /** the store change that shows `result` read-only on `page`; stops whatever computes in its place */
  function recordedPatch(result: XlensResult, info: Recorded, page: PageState, runtime: UrlRuntime): Partial<AppState> {
    const key = analysisKey(page, page.model, runtime);
    const s = get();
    // replies of runs in flight are ignored from now on
    generation.main++;
    if (slots.main.busy('analyze')) slots.main.cancel('analyze');
    if (result.kind === 'analysis') {
      return { page, runtime, recorded: { info, kind: 'analysis', key }, inputProblem: null, main: { ...emptySlot(), status: 'done', result, resultKey: key, wantKey: key } };
    }
    const busy = s.main.status === 'loading' || s.main.status === 'running';
    const main: RunSlotState = { ...s.main, status: busy ? 'idle' : s.main.status, progress: null, error: null };
    generation.matrix++;
    if (slots.main.busy('matrix')) slots.main.cancel('matrix');
    const total = result.contextLangs.length * result.questionLangs.length;
    return {
      page,
      runtime,
      recorded: { info, kind: 'matrix', key },
      inputProblem: null,
      main,
      matrix: { ...s.matrix, status: 'done', result, done: result.cells.length, total, progress: null, error: null },
    };
  }

  /** runs that wait for the user's answer about a hub */
  const waitingForHub = new Set<'main' | 'compare' | 'matrix'>();

  /**
   * Whether `model`'s hub may be contacted now: the default hub, or one the user allowed and the
   * security policy permits. Otherwise the question goes to the dialog, the run waits, and false.
   */
  function hubCleared(which: 'main' | 'compare' | 'matrix', model: ModelRef, rt: UrlRuntime): boolean {
    const base = hubFor(model, rt);
    if (!base || base === DEFAULT_HUB) return true;
    const c = checkHubBase(base, origin());
    if (!c.ok) {
      // decodeUrl refuses these already; a hub that reaches here anyway is not contacted
      const msg = `Did not contact the hub ${isolateName(base)}: ${c.reason}`;
      if (which === 'matrix') set((st) => ({ matrix: { ...st.matrix, status: 'error', error: msg } }));
      else patchSlot(which, { status: 'error', error: msg });
      return false;
    }
    const allowedByPolicy = policyAllows(c.origin, origin(), EXTRA_HUBS);
    if (allowedByPolicy && get().approvedHubs.includes(c.origin)) return true;
    waitingForHub.add(which);
    set({ hubQuestion: { base: c.base, origin: c.origin, host: c.host, repo: model.kind === 'hub' ? model.repo : '', allowedByPolicy } });
    return false;
  }

  async function runSlot(which: 'main' | 'compare', model: ModelRef, input: ResultInput, key: string) {
    const gen = ++generation[which];
    const slot = slots[which];
    const rt = get().runtime;
    const page = get().page;
    const tracker = new ProgressTracker();
    const current = () => generation[which] === gen;
    /** the first result of this run replaces the shown one, which becomes `previous` */
    let first = true;
    slot.cancel('analyze'); // an analysis in flight for an older input stops; its reply is ignored
    if (!hubCleared(which, model, rt)) {
      patchSlot(which, { status: 'idle', error: null, progress: null, wantKey: key });
      return;
    }
    patchSlot(which, { status: slot.isLoaded ? 'running' : 'loading', error: null, progress: null, wantKey: key });
    const listener = (msg: WorkerMessage) => {
      if (!current()) return;
      const p = tracker.update(msg);
      if (p) patchSlot(which, { progress: p });
      // a second `ready` mid-run: the GPU device was lost and the worker switched to WASM
      if (msg.type === 'ready') patchSlot(which, { ready: msg });
      if (msg.type === 'analysis') {
        const prev = get()[which];
        patchSlot(which, {
          result: msg.result,
          previous: first ? prev.result : prev.previous,
          resultKey: key,
          partial: msg.partial,
        });
        first = false;
        if (which === 'main' && rt.debug) exposeDebug(msg.result, msg.debug);
      }
    };
    try {
      const problem = await checkBundled(model);
      if (problem) throw Object.assign(new Error(problem), { name: 'MissingModel', during: 'load' });
      if (!current()) return;
      const ready = await slot.ensure(modelSource(model, rt.hubBase, origin(), BASE), page.backend, listener, page.weights);
      if (!current()) return;
      patchSlot(which, { ready, status: 'running' });
      if (input.template === 'chat' && !ready.hasChatTemplate) {
        throw Object.assign(new Error('This model has no chat template; choose the plain template.'), { name: 'PromptError', during: 'analyze' });
      }
      await slot.analyze(
        input,
        { knockout: page.analyses.knockout, relevance: page.analyses.relevance, window: page.analyses.window, maxNewTokens: rt.maxNewTokens, debug: which === 'main' && rt.debug },
        listener,
      );
      if (!current()) return;
      patchSlot(which, { status: 'done', progress: null, partial: false });
    } catch (e) {
      if (!current()) return;
      const err = e as Error & { during?: string };
      if (isCancelled(err)) {
        patchSlot(which, { status: 'cancelled', progress: null, ready: slot.ready });
        return;
      }
      const during = err.during ?? (slot.isLoaded ? 'analyze' : 'load');
      const message =
        err.name === 'MissingModel' ? err.message : err.name === 'InputTooLongError' && isXquadExampleId(input.exampleId) ? xquadTooLongMessage(err.message, input, model) : describeError(err.name, err.message, during);
      patchSlot(which, { status: 'error', progress: null, error: message, ready: slot.ready, partial: false });
    }
  }

  return {
    page: initial.state,
    recorded: null,
    booting: BOOT_HASH.length > 1,
    runtime: initial.runtime,
    notices: initial.errors,
    resultNotices: [],
    approvedHubs: rememberedHubs(),
    hubQuestion: null,
    localModels: [],
    localModelsError: null,
    hover: { layer: null, token: null },
    main: emptySlot(),
    compare: emptySlot(),
    matrix: { status: 'idle', result: null, done: 0, total: 0, progress: null, error: null, set: CATALOG.some((e) => e.set === 'tiny') ? 'tiny' : 'parallel', count: 2, metric: 'f1', mrd: true },
    inputProblem: null,
    beforeLesson: null,
    xquad: { sets: {}, loading: [], error: null },
    contextView: 'auto',

    setPage(patch) {
      set((s) => ({ page: typeof patch === 'function' ? patch(s.page) : { ...s.page, ...patch } }));
    },
    startLesson(step = 0) {
      set((s) => ({ beforeLesson: s.page.tab === 'lesson' ? s.beforeLesson : s.page, page: lessonState(s.page, step) }));
    },
    leaveLesson() {
      set((s) => ({ page: afterLesson(s.beforeLesson, s.page), beforeLesson: null }));
    },
    setView(patch) {
      set((s) => ({ page: { ...s.page, view: { ...s.page.view, ...patch } } }));
    },
    setHover(h) {
      const cur = get().hover;
      if (cur.layer !== h.layer || cur.token !== h.token) set({ hover: h });
    },
    dismissError(which) {
      if (which === 'matrix') set((s) => ({ matrix: { ...s.matrix, error: null } }));
      else patchSlot(which, { error: null, status: get()[which].status === 'error' ? 'idle' : get()[which].status });
    },
    dismissNotices: (which = 'settings') => set(which === 'settings' ? { notices: [] } : { resultNotices: [] }),

    approveHub(remember) {
      const q = get().hubQuestion;
      if (!q || !q.allowedByPolicy) return;
      if (remember) rememberHub(q.origin);
      set((st) => ({ hubQuestion: null, approvedHubs: st.approvedHubs.includes(q.origin) ? st.approvedHubs : [...st.approvedHubs, q.origin] }));
      const waiting = [...waitingForHub];
      waitingForHub.clear();
      for (const w of waiting) void (w === 'main' ? get().runAnalysis() : w === 'compare' ? get().runCompare() : get().runMatrix());
    },

    declineHub() {
      const q = get().hubQuestion;
      if (!q) return;
      const local = (m: ModelRef | null): ModelRef | null => (m && m.kind === 'hub' && m.hub ? { kind: 'hub', repo: m.repo, ...(m.revision ? { revision: m.revision } : {}) } : m);
      const waiting = [...waitingForHub];
      waitingForHub.clear();
      // the page's inputs change (model and runtime lose the hub): the analyses re-run by themselves
      set((st) => ({
        hubQuestion: null,
        runtime: { ...st.runtime, hubBase: DEFAULT_HUB },
        page: { ...st.page, model: local(st.page.model)!, compare: { ...st.page.compare, model: local(st.page.compare.model) } },
        notices: [...st.notices, `Did not contact ${isolateName(q.host)}: you chose not to. Hub models load from ${DEFAULT_HUB} instead.`],
      }));
      if (waiting.includes('matrix')) void get().runMatrix();
    },

    async loadLocalModels() {
      try {
        const res = await fetch(`${BASE}models/index.json`, { cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data = (await res.json()) as { models?: LocalModel[] };
        const models = (data.models ?? []).filter((m) => typeof m?.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(m.name));
        set({ localModels: models, localModelsError: null });
      } catch (e) {
        set({ localModelsError: `Could not read the list of bundled models (models/index.json): ${(e as Error).message}` });
      }
    },

    async completeLens() {
      const s = get();
      const r = s.main.result;
      const key = analysisKey(s.page, s.page.model, s.runtime);
      if (!r || s.recorded || s.main.resultKey !== key || !slots.main.isLoaded || r.lens.coverage === 'all') return;
      const gen = ++generation.main;
      const current = () => generation.main === gen;
      const tracker = new ProgressTracker();
      patchSlot('main', { status: 'running', error: null, progress: null, wantKey: key });
      try {
        await slots.main.fillLens(r.input, (msg) => {
          if (!current()) return;
          const p = tracker.update(msg);
          if (p) patchSlot('main', { progress: p });
          if (msg.type === 'analysis') {
            patchSlot('main', { result: msg.result, resultKey: key, partial: msg.partial });
            if (s.runtime.debug) exposeDebug(msg.result);
          }
        });
        if (current()) patchSlot('main', { status: 'done', progress: null, partial: false });
      } catch (e) {
        if (!current()) return;
        const err = e as Error & { during?: string };
        if (isCancelled(err)) {
          // keep the cells computed so far; nothing is pending any more
          const shown = get().main.result;
          const rest = shown ? (({ pending: _p, ...x }) => x)(shown) : null;
          patchSlot('main', { status: 'done', progress: null, partial: false, ...(rest ? { result: rest } : {}) });
        } else patchSlot('main', { status: 'error', progress: null, error: describeError(err.name, err.message, 'analyze'), partial: false });
      }
    },

    async runAnalysis() {
      if (get().recorded) get().clearRecorded();
      let s = get();
      let r = resolveInput(s.page, xquadLookup);
      if ('needs' in r) {
        // an XQuAD item: fetch its languages' files first (the page may change meanwhile)
        const key = analysisKey(s.page, s.page.model, s.runtime);
        generation.main++;
        slots.main.cancel('analyze');
        set({ inputProblem: null });
        patchSlot('main', { status: 'loading', error: null, wantKey: key, progress: { phase: 'download', label: `XQuAD data (${r.needs.join(', ')})`, loaded: 0 } });
        const ok = await get().loadXquad(r.needs);
        s = get();
        if (analysisKey(s.page, s.page.model, s.runtime) !== key) return;
        if (!ok) {
          set({ inputProblem: s.xquad.error });
          patchSlot('main', { status: 'idle', progress: null });
          return;
        }
        r = resolveInput(s.page, xquadLookup);
      }
      if ('needs' in r) return;
      if ('problem' in r) {
        generation.main++;
        slots.main.cancel('analyze');
        set({ inputProblem: r.problem });
        patchSlot('main', { status: 'idle', progress: null });
        return;
      }
      set({ inputProblem: null });
      await runSlot('main', s.page.model, r.input, analysisKey(s.page, s.page.model, s.runtime));
    },

    async runCompare() {
      let s = get();
      const m = s.page.compare.model;
      let r = resolveInput(s.page, xquadLookup);
      if ('needs' in r) {
        const key = analysisKey(s.page, m, s.runtime);
        if (!(await get().loadXquad(r.needs))) return;
        s = get();
        if (analysisKey(s.page, m, s.runtime) !== key) return;
        r = resolveInput(s.page, xquadLookup);
      }
      if (!m || !('input' in r)) return;
      await runSlot('compare', m, r.input, analysisKey(s.page, m, s.runtime));
    },

    async runMatrix() {
      if (get().recorded?.kind === 'matrix') get().clearRecorded();
      const s = get();
      const gen = ++generation.matrix;
      const current = () => generation.matrix === gen;
      const mset = s.matrix.set;
      const { contextLangs, questionLangs, depths } = s.page.matrix;
      const total = contextLangs.length * questionLangs.length;
      let examples: MatrixExample[];
      if (mset === 'xquad') {
        const langs = [...new Set([...contextLangs, ...questionLangs])];
        set({ matrix: { ...s.matrix, status: 'loading', done: 0, total, error: null, progress: { phase: 'download', label: `XQuAD data (${langs.join(', ')})`, loaded: 0 }, result: null } });
        const ok = await get().loadXquad(langs);
        if (!current()) return;
        if (!ok) {
          set((st) => ({ matrix: { ...st.matrix, status: 'error', progress: null, error: st.xquad.error } }));
          return;
        }
        examples = xquadMatrixExamples(get().xquad.sets, langs, s.matrix.count);
      } else {
        examples = CATALOG.filter((e) => e.set === mset)
          .slice(0, s.matrix.count)
          .map((e) => ({ id: e.id, langs: e.langs }));
      }
      if (!examples.length) {
        set({ matrix: { ...s.matrix, status: 'error', error: `The ${mset} example set is empty.` } });
        return;
      }
      if (!hubCleared('matrix', s.page.model, s.runtime)) {
        set({ matrix: { ...s.matrix, status: 'idle', error: null, progress: null } });
        return;
      }
      const tracker = new ProgressTracker();
      set({ matrix: { ...s.matrix, status: slots.main.isLoaded ? 'running' : 'loading', done: 0, total, error: null, progress: null, result: null } });
      const patch = (p: Partial<MatrixState>) => set((st) => ({ matrix: { ...st.matrix, ...p } }));
      const listener = (msg: WorkerMessage) => {
        if (!current()) return;
        const p = tracker.update(msg);
        if (p && msg.type !== 'stage') patch({ progress: p });
        if (msg.type === 'ready') patchSlot('main', { ready: msg });
        if (msg.type === 'matrix') patch({ result: msg.result, done: msg.done, total: msg.total, progress: null });
      };
      try {
        const problem = await checkBundled(s.page.model);
        if (problem) throw Object.assign(new Error(problem), { name: 'MissingModel' });
        const ready = await slots.main.ensure(modelSource(s.page.model, s.runtime.hubBase, origin(), BASE), s.page.backend, listener, s.page.weights);
        patchSlot('main', { ready });
        if (!current()) return;
        patch({ status: 'running' });
        await slots.main.matrix(
          { examples, contextLangs, questionLangs, depths, mrd: s.matrix.mrd, template: s.page.template, window: s.page.analyses.window, maxNewTokens: s.runtime.maxNewTokens },
          listener,
        );
        if (current()) patch({ status: 'done', progress: null });
      } catch (e) {
        if (!current()) return;
        const err = e as Error;
        if (isCancelled(err)) patch({ status: 'cancelled', progress: null });
        else patch({ status: 'error', progress: null, error: err.name === 'MissingModel' ? err.message : describeError(err.name, err.message, 'matrix') });
      }
    },

    setMatrixOptions(o) {
      set((s) => ({ matrix: { ...s.matrix, ...o } }));
    },

    async loadXquad(langs) {
      const want = langs.filter((l) => !get().xquad.sets[l]);
      if (!want.length) return true;
      set((s) => ({ xquad: { ...s.xquad, loading: [...new Set([...s.xquad.loading, ...want])], error: null } }));
      const results = await Promise.allSettled(want.map((l) => fetchXquad(l, BASE, origin())));
      const sets: Partial<Record<LangCode, XquadSet>> = {};
      let error: string | null = null;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') sets[want[i]] = r.value;
        else error ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      });
      set((s) => ({ xquad: { sets: { ...s.xquad.sets, ...sets }, loading: s.xquad.loading.filter((l) => !want.includes(l)), error } }));
      return error === null;
    },

    setContextView(v) {
      set({ contextView: v });
    },

    cancel(which) {
      if (which === 'matrix') {
        if (slots.main.busy('matrix')) slots.main.cancel('matrix');
        else if (!slots.main.isLoaded) slots.main.cancel('all');
        return;
      }
      slots[which].cancel(slots[which].isLoaded ? 'analyze' : 'all');
    },

    boot() {
      if (bootPromise) return bootPromise;
      bootPromise = (async () => {
        if (!get().booting) return;
        const d = await decodePermalink(BOOT_HREF);
        normaliseExample(d.state, d.errors);
        // the address is rewritten in today's form: old links' custom text moves to #t=, and the
        // result stays only when it was loaded
        const payload = d.result ? resultPayloadOf(BOOT_HASH) : null;
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${await pageAddress(d.state, d.runtime, payload)}`);
        const notices = { notices: d.errors, resultNotices: d.resultErrors, booting: false };
        if (d.result) set({ ...recordedPatch(d.result, d.recorded ?? recordedOf(d.result), d.state, d.runtime), ...notices });
        else set({ page: d.state, runtime: d.runtime, ...notices });
      })().catch((e: unknown) => {
        set((s) => ({ booting: false, notices: [...s.notices, `The link could not be read (${e instanceof Error ? e.message : String(e)}); the page from its address is shown.`] }));
      });
      return bootPromise;
    },

    showRecorded(result, info, page) {
      const s = get();
      set(recordedPatch(result, info, page ?? s.page, s.runtime));
    },

    clearRecorded() {
      if (get().recorded) set({ recorded: null });
      clearHash();
    },

    async rerunLive() {
      const r = get().recorded;
      get().clearRecorded();
      if (r?.kind === 'matrix') await get().runMatrix();
      else await get().runAnalysis();
    },
  };
});

/** pinned layer/token from the page, overridden by the hover */
export function effectiveHighlight(s: Pick<AppState, 'hover' | 'page'>): Highlight {
  return {
    layer: s.hover.layer ?? s.page.view.pinnedLayer,
    token: s.hover.token ?? s.page.view.pinnedToken,
  };
}
