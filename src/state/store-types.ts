// The shape of the app's state: what each slice of the store holds (page, runs, matrix,
// recorded results, hubs, loaded data) and the actions the components call. The slices that
// implement it are the *-slice.ts files; store.ts puts them together.
import type { Phase } from '../engine/hub/source';
import type { AnalysisResult, MatrixResult, XlensResult } from '../engine/result';
import type { LangCode } from '../data/languages';
import type { XquadSet } from '../data/xquad';
import type { AnalysisStage, ReadyMessage } from '../worker/messages';
import type { PageState } from './page-state';
import type { Recorded } from './permalink';
import type { UrlRuntime } from './url-state';
import type { ContextView, PairMetric } from './view-choices';

export interface LocalModel {
  name: string;
  label: string;
  default?: boolean;
  kind?: 'base' | 'post-trained';
}

export type Status = 'idle' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';

/** the two analysis runs: the main model's and, in compare mode, the other model's */
export type RunSlotName = 'main' | 'compare';
/** every kind of run the user can start, cancel or dismiss the error of */
export type RunKind = RunSlotName | 'matrix';

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

/** what the page shows (mirrored in the URL) and the viewer's transient choices */
export interface PageSlice {
  page: PageState;
  runtime: UrlRuntime;
  /** problems with the URL (shown, not fatal) */
  notices: string[];
  /** transient hover highlight (pins live in page.view) */
  hover: Highlight;
  /** the page as it was when the lesson started (restored when it ends); null if it opened from a link */
  beforeLesson: PageState | null;
  /** long contexts: by sentence or every token ('auto': by sentence above LONG_CONTEXT_TOKENS) */
  contextView: 'auto' | ContextView;
  setPage(patch: Partial<PageState> | ((s: PageState) => PageState)): void;
  /** open the lesson at step `step` (its page), remembering the page to return to */
  startLesson(step?: number): void;
  /** leave the lesson: back to the page from before it, or the default page */
  leaveLesson(): void;
  setView(patch: Partial<PageState['view']>): void;
  setHover(h: Highlight): void;
  dismissNotices(which?: 'settings' | 'result'): void;
  setContextView(v: 'auto' | ContextView): void;
}

/** hubs the user allowed, and the question about one not yet allowed */
export interface HubSlice {
  /** hub origins the user allowed on this page (and remembered ones) */
  approvedHubs: string[];
  /** a hub waiting for the user's answer; nothing is fetched from it until then */
  hubQuestion: HubQuestion | null;
  /** allow the hub in question (for this page, or remembered in this browser) and run what waited for it */
  approveHub(remember: boolean): void;
  /** refuse the hub in question: hub models load from the default hub */
  declineHub(): void;
}

/** data fetched on demand: the bundled models' list and XQuAD files */
export interface DataSlice {
  localModels: LocalModel[];
  localModelsError: string | null;
  /** XQuAD data fetched on demand, one file per language */
  xquad: XquadState;
  loadLocalModels(): Promise<void>;
  /** fetch the XQuAD files of these languages; false (and xquad.error) when one failed */
  loadXquad(langs: LangCode[]): Promise<boolean>;
}

/** the analysis runs of the main model and the compared one */
export interface RunSlice {
  main: RunSlotState;
  compare: RunSlotState;
  /** a problem with the input itself (custom text, missing example) */
  inputProblem: string | null;
  runAnalysis(): Promise<void>;
  runCompare(): Promise<void>;
  /** compute the logit lens at the positions the shown analysis left out (the worker kept its residual states) */
  completeLens(): Promise<void>;
  dismissError(which: RunKind): void;
  cancel(which: RunKind): void;
}

/** the pair matrix over language pairs (partial results kept) */
export interface MatrixSlice {
  matrix: MatrixState;
  runMatrix(): Promise<void>;
  setMatrixOptions(o: Partial<Pick<MatrixState, 'set' | 'count' | 'metric' | 'mrd'>>): void;
}

/** a result shown read-only in place of a live run, and the start-up permalink that may carry one */
export interface RecordedSlice {
  /** the shown result is recorded, not computed here; null for live results */
  recorded: RecordedState | null;
  /** a permalink's #fragment is still being decoded: nothing runs until it is */
  booting: boolean;
  /** why the result embedded in the link was not loaded (shown apart from the settings) */
  resultNotices: string[];
  /** decode the start-up permalink (state, runtime, embedded result); idempotent */
  boot(): Promise<void>;
  /** show a result read-only (optionally with the page it belongs to); auto-run waits */
  showRecorded(result: XlensResult, info: Recorded, page?: PageState): void;
  /** forget the recorded result (and the #r= fragment); the views keep it until a live one arrives */
  clearRecorded(): void;
  /** replace the recorded result with a live run */
  rerunLive(): Promise<void>;
}

export type AppState = PageSlice & HubSlice & DataSlice & RunSlice & MatrixSlice & RecordedSlice;
