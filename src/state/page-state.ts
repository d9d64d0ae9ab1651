// Everything that defines what the page shows, as one plain serialisable object: the store
// holds it, the URL and permalinks encode it, and `parsePageState` validates anything that
// claims to be one (URL, file, permalink) field by field, keeping what is valid and saying
// what was not. Results are not part of it; a permalink may carry one beside it.

import { isValidRepoId } from '../engine/hub/source';
import type { WeightChoice } from '../engine/arch/size';
import type { BackendChoice } from '../engine/runtime/backend';
import { LANGUAGES, type LangCode } from '../data/languages';
import { RESULT_CAPS } from './result-limits';

export const PAGE_STATE_VERSION = 1;

export type ModelRef =
  /** a folder under public/models/ */
  | { kind: 'bundled'; name: string }
  | { kind: 'hub'; repo: string; revision?: string; hub?: string };

export type Tab = 'explore' | 'matrix' | 'compare' | 'lesson';
export type LensMetric = 'prob' | 'logprob' | 'rank';

export interface CustomText {
  context: string;
  question: string;
  answer: string;
}

export interface PageState {
  v: typeof PAGE_STATE_VERSION;
  tab: Tab;
  model: ModelRef;
  backend: BackendChoice;
  /** weight format: auto = fp16 on WebGPU with shader-f16, else fp32 when it fits browser memory, else int8 (docs/weights.md) */
  weights: WeightChoice;
  contextLang: LangCode;
  questionLang: LangCode;
  /** built-in example id; null when the custom text is used */
  example: string | null;
  custom: CustomText | null;
  template: 'plain' | 'chat';
  analyses: { knockout: boolean; relevance: boolean; /** knockout window, null = default ≈ L/4 */ window: number | null };
  view: {
    lensMetric: LensMetric;
    /** attention head shown; null = mean over heads */
    head: number | null;
    segmentChart: 'stacked' | 'lines';
    /** layer pinned by the user (highlighted in every view) */
    pinnedLayer: number | null;
    /** token position pinned by the user */
    pinnedToken: number | null;
  };
  compare: { model: ModelRef | null; diff: boolean };
  matrix: { contextLangs: LangCode[]; questionLangs: LangCode[]; depths: boolean };
  lessonStep: number;
}

export const DEFAULT_MODEL: ModelRef = { kind: 'bundled', name: 'xlens-tiny-instruct' };
export const DEFAULT_COMPARE_MODEL: ModelRef = { kind: 'bundled', name: 'xlens-tiny-base' };

export function defaultPageState(): PageState {
  return {
    v: PAGE_STATE_VERSION,
    tab: 'explore',
    model: DEFAULT_MODEL,
    backend: 'auto',
    weights: 'auto',
    contextLang: 'en',
    questionLang: 'en',
    example: null,
    custom: null,
    template: 'plain',
    analyses: { knockout: true, relevance: true, window: null },
    view: { lensMetric: 'prob', head: null, segmentChart: 'stacked', pinnedLayer: null, pinnedToken: null },
    compare: { model: DEFAULT_COMPARE_MODEL, diff: false },
    matrix: { contextLangs: ['ar', 'en', 'zh'], questionLangs: ['ar', 'en', 'zh'], depths: true },
    lessonStep: 0,
  };
}

/** pinned layer, token and head: at most what a result can have (result-limits.ts) */
export const LIMITS = { text: 4000, answer: 200, layer: RESULT_CAPS.layers, token: RESULT_CAPS.tokens - 1, head: RESULT_CAPS.heads - 1, window: 1000, lessonStep: 100 } as const;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isLang = (x: unknown): x is LangCode => typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
const isIntIn = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;

function isBundledName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(name) && !name.includes('..');
}

function isHubBase(x: unknown): x is string {
  if (typeof x !== 'string' || x.length > 500) return false;
  try {
    const u = new URL(x);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
  } catch {
    return false;
  }
}

function parseModelRef(x: unknown): ModelRef | null {
  if (!isObj(x)) return null;
  if (x.kind === 'bundled' && isBundledName(x.name)) return { kind: 'bundled', name: x.name };
  if (x.kind === 'hub' && typeof x.repo === 'string' && isValidRepoId(x.repo)) {
    const ref: ModelRef = { kind: 'hub', repo: x.repo };
    if (x.revision !== undefined) {
      if (typeof x.revision !== 'string' || !/^[A-Za-z0-9._/-]{1,100}$/.test(x.revision) || x.revision.includes('..')) return null;
      ref.revision = x.revision;
    }
    if (x.hub !== undefined) {
      if (!isHubBase(x.hub)) return null;
      ref.hub = x.hub;
    }
    return ref;
  }
  return null;
}

function parseText(x: unknown, max: number): string | null {
  return typeof x === 'string' && x.length <= max ? x : null;
}

/**
 * Validate an untrusted object as a PageState. Every field that is missing or invalid falls
 * back to the default and adds one message; nothing from the input is interpreted as HTML.
 */
export function parsePageState(input: unknown): { state: PageState; errors: string[] } {
  const d = defaultPageState();
  const errors: string[] = [];
  if (!isObj(input)) return { state: d, errors: ['The saved state is not an object; the default page is shown.'] };
  if (input.v !== PAGE_STATE_VERSION) {
    errors.push(`The saved state has version ${JSON.stringify(input.v)?.slice(0, 20)}; this xlens reads version ${PAGE_STATE_VERSION}. Valid fields are kept.`);
  }
  const s: PageState = structuredClone(d);
  const take = <T>(name: string, v: unknown, ok: (v: unknown) => v is T, set: (v: T) => void) => {
    if (v === undefined) return;
    if (ok(v)) set(v);
    else errors.push(`Ignored an invalid value for ${name}.`);
  };
  take('the tab', input.tab, (v): v is Tab => ['explore', 'matrix', 'compare', 'lesson'].includes(v as string), (v) => (s.tab = v));
  if (input.model !== undefined) {
    const m = parseModelRef(input.model);
    if (m) s.model = m;
    else errors.push('Ignored an invalid model (a bundled folder name, or a hub repo id "owner/name").');
  }
  take('the backend', input.backend, (v): v is BackendChoice => ['auto', 'webgpu', 'wasm'].includes(v as string), (v) => (s.backend = v));
  take('the weight format', input.weights, (v): v is WeightChoice => ['auto', 'fp32', 'int8', 'fp16'].includes(v as string), (v) => (s.weights = v));
  take('the context language', input.contextLang, isLang, (v) => (s.contextLang = v));
  take('the question language', input.questionLang, isLang, (v) => (s.questionLang = v));
  take('the example', input.example, (v): v is string | null => v === null || (typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,80}$/.test(v)), (v) => (s.example = v));
  if (input.custom !== undefined && input.custom !== null) {
    const c = input.custom;
    const context = isObj(c) ? parseText(c.context, LIMITS.text) : null;
    const question = isObj(c) ? parseText(c.question, LIMITS.text) : null;
    const answer = isObj(c) ? parseText(c.answer, LIMITS.answer) : null;
    if (context !== null && question !== null && answer !== null) s.custom = { context, question, answer };
    else errors.push(`Ignored the custom text: the context and the question may have up to ${LIMITS.text.toLocaleString('en-US')} characters each, the answer up to ${LIMITS.answer}.`);
  }
  take('the prompt template', input.template, (v): v is 'plain' | 'chat' => v === 'plain' || v === 'chat', (v) => (s.template = v));
  if (input.analyses !== undefined) {
    const a = input.analyses;
    if (isObj(a) && typeof a.knockout === 'boolean' && typeof a.relevance === 'boolean' && (a.window === null || isIntIn(a.window, 1, LIMITS.window))) {
      s.analyses = { knockout: a.knockout, relevance: a.relevance, window: a.window as number | null };
    } else errors.push('Ignored the analysis options (knockout, relevance, window).');
  }
  if (input.view !== undefined) {
    const v = input.view;
    if (!isObj(v)) errors.push('Ignored the view options.');
    else {
      take('the lens metric', v.lensMetric, (x): x is LensMetric => ['prob', 'logprob', 'rank'].includes(x as string), (x) => (s.view.lensMetric = x));
      take('the attention head', v.head, (x): x is number | null => x === null || isIntIn(x, 0, LIMITS.head), (x) => (s.view.head = x));
      take('the segment chart style', v.segmentChart, (x): x is 'stacked' | 'lines' => x === 'stacked' || x === 'lines', (x) => (s.view.segmentChart = x));
      take('the pinned layer', v.pinnedLayer, (x): x is number | null => x === null || isIntIn(x, 0, LIMITS.layer), (x) => (s.view.pinnedLayer = x));
      take('the pinned token', v.pinnedToken, (x): x is number | null => x === null || isIntIn(x, 0, LIMITS.token), (x) => (s.view.pinnedToken = x));
    }
  }
  if (input.compare !== undefined) {
    const c = input.compare;
    const m = isObj(c) ? (c.model === null ? null : parseModelRef(c.model)) : undefined;
    if (isObj(c) && m !== undefined && (c.model === null || m !== null) && typeof c.diff === 'boolean') s.compare = { model: m, diff: c.diff };
    else errors.push('Ignored the comparison options.');
  }
  if (input.matrix !== undefined) {
    const m = input.matrix;
    const langs = (x: unknown) => Array.isArray(x) && x.length >= 1 && x.length <= LANGUAGES.length && x.every(isLang) && new Set(x).size === x.length;
    if (isObj(m) && langs(m.contextLangs) && langs(m.questionLangs) && typeof m.depths === 'boolean') {
      s.matrix = { contextLangs: m.contextLangs as LangCode[], questionLangs: m.questionLangs as LangCode[], depths: m.depths };
    } else errors.push('Ignored the language-pair options.');
  }
  take('the lesson step', input.lessonStep, (x): x is number => isIntIn(x, 0, LIMITS.lessonStep), (x) => (s.lessonStep = x));
  return { state: s, errors };
}
