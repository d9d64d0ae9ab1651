// URL <-> PageState. The page address is a readable permalink: every field of the PageState
// that defines what is shown has a short query parameter; reading validates each parameter
// on its own through parsePageState (so one bad value costs only that value, with a message
// naming the parameter), and writing emits the core fields always and the rest when they
// differ from the defaults. `hub`, `debug` and `gen` are runtime options, not page state.
import { DEFAULT_HUB_BASE } from '../engine/hub/source';
import { defaultPageState, parsePageState, type ModelRef, type PageState } from './page-state';

/** answer length cap when the address sets none: null = the gold answer's length plus a margin (analyze.ts answerTokenCap) */
export const MAX_NEW_TOKENS = null;

/** http(s) URL without query or fragment; returns the normalised URL or null */
export function normaliseHubBase(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.search || u.hash || u.username || u.password) return null;
  return u.href.replace(/\/+$/, '');
}

/** "name" = bundled folder, "owner/name" = hub repo (with the page's hub base, if any) */
export function modelRefFromParam(value: string, hub?: string, revision?: string): unknown {
  if (value.includes('/')) {
    const ref: Record<string, unknown> = { kind: 'hub', repo: value };
    if (revision !== undefined) ref.revision = revision;
    if (hub !== undefined && hub !== DEFAULT_HUB_BASE) ref.hub = hub;
    return ref;
  }
  return { kind: 'bundled', name: value };
}

export function modelRefToParam(m: ModelRef): string {
  return m.kind === 'bundled' ? m.name : m.repo;
}

export function sameModel(a: ModelRef | null, b: ModelRef | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface UrlRuntime {
  /** hub base URL for hub models (tests point it at a local server) */
  hubBase: string;
  debug: boolean;
  /** ?gen=: the answer length cap in tokens; null = follow the gold answer */
  maxNewTokens: number | null;
}

export interface DecodedUrl {
  state: PageState;
  runtime: UrlRuntime;
  /** one message per ignored parameter */
  errors: string[];
}

const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
const bool01 = (v: string): boolean | string => (v === '1' ? true : v === '0' ? false : v);
const intOrStr = (v: string): number | string => (/^-?\d{1,7}$/.test(v) ? Number(v) : v);
const list = (v: string) => v.split(',').filter(Boolean);

export function decodeUrl(search: string): DecodedUrl {
  const q = new URLSearchParams(search);
  const errors: string[] = [];
  const runtime: UrlRuntime = { hubBase: DEFAULT_HUB_BASE, debug: q.get('debug') === '1', maxNewTokens: MAX_NEW_TOKENS };

  const hubRaw = q.get('hub');
  let hub: string | undefined;
  if (hubRaw !== null) {
    const b = normaliseHubBase(hubRaw);
    if (b) runtime.hubBase = hub = b;
    else errors.push(`Ignored ?hub=${show(hubRaw)}: the hub base URL must be an http(s) URL such as https://huggingface.co.`);
  }
  const gen = q.get('gen');
  if (gen !== null) {
    const n = Number(gen);
    if (Number.isInteger(n) && n >= 1 && n <= 64) runtime.maxNewTokens = n;
    else errors.push(`Ignored ?gen=${show(gen)}: use a whole number of tokens from 1 to 64.`);
  }

  let acc: PageState = defaultPageState();
  /** apply one parameter: keep it if parsePageState accepts the result, else say why */
  const apply = (param: string, raw: string, patch: (s: PageState) => void, hint = '') => {
    const cand = structuredClone(acc) as PageState;
    patch(cand);
    const r = parsePageState(cand);
    if (r.errors.length) errors.push(`Ignored ?${param}=${show(raw)}: ${r.errors.join(' ')}${hint ? ` ${hint}` : ''}`);
    else acc = r.state;
  };
  const each = (param: string, f: (raw: string) => void) => {
    const v = q.get(param);
    if (v !== null) f(v);
  };
  const any = (x: unknown) => x as never;

  each('tab', (v) => apply('tab', v, (s) => (s.tab = any(v))));
  each('model', (v) =>
    apply('model', v, (s) => (s.model = any(modelRefFromParam(v, hub, q.get('rev') ?? undefined))), 'Use a bundled model folder name or a hub repo id "owner/name".'),
  );
  each('backend', (v) => apply('backend', v, (s) => (s.backend = any(v)), 'Use auto, webgpu or wasm.'));
  each('weights', (v) => apply('weights', v, (s) => (s.weights = any(v)), 'Use auto, fp32, int8 or fp16.'));
  each('cl', (v) => apply('cl', v, (s) => (s.contextLang = any(v)), 'Use a language code such as ar, en or zh.'));
  each('ql', (v) => apply('ql', v, (s) => (s.questionLang = any(v)), 'Use a language code such as ar, en or zh.'));
  each('ex', (v) => apply('ex', v, (s) => ((s.example = v), (s.custom = null))));
  if (q.has('ctx') || q.has('q') || q.has('ans')) {
    const c = { context: q.get('ctx') ?? '', question: q.get('q') ?? '', answer: q.get('ans') ?? '' };
    apply('ctx', c.context, (s) => ((s.custom = c), (s.example = null)));
  }
  each('tpl', (v) => apply('tpl', v, (s) => (s.template = any(v)), 'Use plain or chat.'));
  each('ko', (v) => apply('ko', v, (s) => (s.analyses.knockout = any(bool01(v))), 'Use 0 or 1.'));
  each('rel', (v) => apply('rel', v, (s) => (s.analyses.relevance = any(bool01(v))), 'Use 0 or 1.'));
  each('win', (v) => apply('win', v, (s) => (s.analyses.window = any(intOrStr(v)))));
  each('lm', (v) => apply('lm', v, (s) => (s.view.lensMetric = any(v)), 'Use prob, logprob or rank.'));
  each('head', (v) => apply('head', v, (s) => (s.view.head = any(intOrStr(v)))));
  each('seg', (v) => apply('seg', v, (s) => (s.view.segmentChart = any(v)), 'Use stacked or lines.'));
  each('pl', (v) => apply('pl', v, (s) => (s.view.pinnedLayer = any(intOrStr(v)))));
  each('pt', (v) => apply('pt', v, (s) => (s.view.pinnedToken = any(intOrStr(v)))));
  each('cmp', (v) => apply('cmp', v, (s) => (s.compare.model = v === 'none' ? null : any(modelRefFromParam(v, hub)))));
  each('diff', (v) => apply('diff', v, (s) => (s.compare.diff = any(bool01(v))), 'Use 0 or 1.'));
  each('mcl', (v) => apply('mcl', v, (s) => (s.matrix.contextLangs = any(list(v))), 'Use comma-separated language codes.'));
  each('mql', (v) => apply('mql', v, (s) => (s.matrix.questionLangs = any(list(v))), 'Use comma-separated language codes.'));
  each('mdep', (v) => apply('mdep', v, (s) => (s.matrix.depths = any(bool01(v))), 'Use 0 or 1.'));
  each('step', (v) => apply('step', v, (s) => (s.lessonStep = any(intOrStr(v)))));
  return { state: acc, runtime, errors };
}

/** The query string (with "?") for a PageState plus the runtime options worth keeping. */
export function encodeUrl(s: PageState, rt: Partial<UrlRuntime> = {}): string {
  const d = defaultPageState();
  const p = new URLSearchParams();
  const hub = s.model.kind === 'hub' && s.model.hub ? s.model.hub : rt.hubBase && rt.hubBase !== DEFAULT_HUB_BASE ? rt.hubBase : undefined;
  if (hub) p.set('hub', hub);
  if (s.tab !== d.tab) p.set('tab', s.tab);
  p.set('model', modelRefToParam(s.model));
  if (s.model.kind === 'hub' && s.model.revision) p.set('rev', s.model.revision);
  if (s.backend !== d.backend) p.set('backend', s.backend);
  if (s.weights !== d.weights) p.set('weights', s.weights);
  p.set('cl', s.contextLang);
  p.set('ql', s.questionLang);
  if (s.custom) {
    p.set('ctx', s.custom.context);
    p.set('q', s.custom.question);
    p.set('ans', s.custom.answer);
  } else if (s.example) p.set('ex', s.example);
  if (s.template !== d.template) p.set('tpl', s.template);
  if (s.analyses.knockout !== d.analyses.knockout) p.set('ko', s.analyses.knockout ? '1' : '0');
  if (s.analyses.relevance !== d.analyses.relevance) p.set('rel', s.analyses.relevance ? '1' : '0');
  if (s.analyses.window !== null) p.set('win', String(s.analyses.window));
  if (s.view.lensMetric !== d.view.lensMetric) p.set('lm', s.view.lensMetric);
  if (s.view.head !== null) p.set('head', String(s.view.head));
  if (s.view.segmentChart !== d.view.segmentChart) p.set('seg', s.view.segmentChart);
  if (s.view.pinnedLayer !== null) p.set('pl', String(s.view.pinnedLayer));
  if (s.view.pinnedToken !== null) p.set('pt', String(s.view.pinnedToken));
  if (!sameModel(s.compare.model, d.compare.model)) p.set('cmp', s.compare.model ? modelRefToParam(s.compare.model) : 'none');
  if (s.compare.diff) p.set('diff', '1');
  if (s.matrix.contextLangs.join() !== d.matrix.contextLangs.join()) p.set('mcl', s.matrix.contextLangs.join(','));
  if (s.matrix.questionLangs.join() !== d.matrix.questionLangs.join()) p.set('mql', s.matrix.questionLangs.join(','));
  if (s.matrix.depths !== d.matrix.depths) p.set('mdep', s.matrix.depths ? '1' : '0');
  if (s.lessonStep !== d.lessonStep) p.set('step', String(s.lessonStep));
  if (rt.maxNewTokens !== undefined && rt.maxNewTokens !== null) p.set('gen', String(rt.maxNewTokens));
  if (rt.debug) p.set('debug', '1');
  return `?${p}`;
}
