// URL <-> PageState. The page address is a readable permalink: every field of the PageState
// that defines what is shown has a short query parameter; reading validates each parameter
// on its own through parsePageState (so one bad value costs only that value, with a message
// naming the parameter in words), and writing emits the core fields always and the rest when
// they differ from the defaults. `hub`, `debug` and `gen` are runtime options, not page state.
//
// Custom text is not written to the query: it travels compressed in the #fragment
// (permalink.ts), which never reaches a server (no HTTP 431 for long texts, no user text in
// server logs). Old links with ?ctx=&q=&ans= are still read.
import { DEFAULT_HUB_BASE } from '../engine/hub/source';
import { checkHubBase } from './hub-policy';
import { defaultPageState, parsePageState, type ModelRef, type PageState } from './page-state';
import { isolateName } from './text-safety';

/** answer length cap when the address sets none: null = the gold answer's length plus a margin (analyze.ts answerTokenCap) */
const MAX_NEW_TOKENS = null;

/** "name" = bundled folder, "owner/name" = hub repo (with the page's hub base, if any) */
function modelRefFromParam(value: string, hub?: string, revision?: string): unknown {
  if (value.includes('/')) {
    const ref: Record<string, unknown> = { kind: 'hub', repo: value };
    if (revision !== undefined) ref.revision = revision;
    if (hub !== undefined && hub !== DEFAULT_HUB_BASE) ref.hub = hub;
    return ref;
  }
  return { kind: 'bundled', name: value };
}

function modelRefToParam(m: ModelRef): string {
  return m.kind === 'bundled' ? m.name : m.repo;
}

function sameModel(a: ModelRef | null, b: ModelRef | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface UrlRuntime {
  /** hub base URL for hub models (tests point it at a local server); contacted only once approved */
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

/** every parameter the address may hold, with what it is in words */
const PARAM_WORDS: Record<string, string> = {
  tab: 'tab',
  model: 'model',
  rev: 'model revision',
  hub: 'hub',
  backend: 'backend',
  weights: 'weight format',
  cl: 'context language',
  ql: 'question language',
  ex: 'example',
  ctx: 'custom context',
  q: 'custom question',
  ans: 'custom answer',
  tpl: 'prompt template',
  ko: 'knockout',
  rel: 'relevance',
  win: 'knockout window',
  lm: 'lens metric',
  head: 'attention head',
  seg: 'segment chart style',
  pl: 'pinned layer',
  pt: 'pinned token',
  cmp: 'comparison model',
  diff: 'difference view',
  mcl: 'matrix context languages',
  mql: 'matrix question languages',
  mdep: 'matrix phase depths',
  step: 'lesson step',
  gen: 'answer length',
  debug: 'debug mode',
  memcap: 'test memory ceiling (with debug=1)',
};
/** what the #fragment holds besides page parameters: results and custom text (permalink.ts) */
const FRAGMENT_ONLY = ['r', 't'] as const;
/** unknown settings named one by one; more are counted */
const MAX_UNKNOWN_NOTICES = 5;
/** parameters other sites add to links; ignored without a word */
const FOREIGN = /^(utm_[a-z_]+|fbclid|gclid|msclkid|mc_[a-z]+|ref|_ga)$/i;

const show = (v: string) => isolateName(JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v));
const bool01 = (v: string): boolean | string => (v === '1' ? true : v === '0' ? false : v);
const intOrStr = (v: string): number | string => (/^-?\d{1,7}$/.test(v) ? Number(v) : v);
const list = (v: string) => v.split(',').filter(Boolean);
const nf = (x: number) => x.toLocaleString('en-US');

export interface DecodeOptions {
  /** the page's own origin: decides whether an http hub on this computer may be offered */
  pageOrigin?: string;
  /** where the parameters came from, for messages: "the address" (query) or "the link" */
  where?: 'query' | 'fragment';
}

const defaultOrigin = () => (typeof window !== 'undefined' && window.location ? window.location.origin : 'http://localhost');

export function decodeUrl(search: string, opts: DecodeOptions = {}): DecodedUrl {
  const q = new URLSearchParams(search);
  const errors: string[] = [];
  const runtime: UrlRuntime = { hubBase: DEFAULT_HUB_BASE, debug: false, maxNewTokens: MAX_NEW_TOKENS };
  const ignored = (param: string, raw: string, why: string) => errors.push(`Ignored ${param}=${show(raw)} (${PARAM_WORDS[param] ?? param}): ${why}`);

  let unknown = 0;
  for (const key of new Set(q.keys())) {
    if (key in PARAM_WORDS || FOREIGN.test(key)) continue;
    // a link with thousands of made-up settings gets a few lines, not thousands
    if (++unknown > MAX_UNKNOWN_NOTICES) continue;
    if ((FRAGMENT_ONLY as readonly string[]).includes(key)) {
      errors.push(
        key === 'r'
          ? 'Ignored r= in the query: a link carries its result after the # (…#r=1.…), never in the part sent to the server. Ask for the link again, or for the result file.'
          : 'Ignored t= in the query: custom text travels after the # (…#t=1.…). Ask for the link again.',
      );
      continue;
    }
    const near = Object.keys(PARAM_WORDS).find((k) => k.toLowerCase() === key.toLowerCase()) ?? (FRAGMENT_ONLY as readonly string[]).find((k) => k === key.toLowerCase());
    errors.push(near ? `Ignored ${isolateName(key)}=: settings are lower case; did you mean ${near}=?` : `Ignored ${isolateName(key.slice(0, 40))}=: xlens has no such setting.`);
  }

  if (unknown > MAX_UNKNOWN_NOTICES) errors.push(`…and ${nf(unknown - MAX_UNKNOWN_NOTICES)} more settings xlens does not have were ignored.`);

  const hubRaw = q.get('hub');
  let hub: string | undefined;
  if (hubRaw !== null) {
    const c = checkHubBase(hubRaw, opts.pageOrigin ?? defaultOrigin());
    if (c.ok) runtime.hubBase = hub = c.base;
    else errors.push(`Did not use the hub ${show(hubRaw)} named in the link: ${c.reason} Hub models load from ${DEFAULT_HUB_BASE} instead.`);
  }
  const gen = q.get('gen');
  if (gen !== null) {
    const n = Number(gen);
    if (Number.isInteger(n) && n >= 1 && n <= 64) runtime.maxNewTokens = n;
    else ignored('gen', gen, 'use a whole number of tokens from 1 to 64.');
  }
  const debug = q.get('debug');
  if (debug !== null) {
    if (debug === '1') runtime.debug = true;
    else if (debug !== '0') ignored('debug', debug, 'use debug=1 (for tests) or leave it out.');
  }

  let acc: PageState = defaultPageState();
  /** apply one parameter: keep it if parsePageState accepts the result, else say why in words */
  const apply = (param: string, raw: string, patch: (s: PageState) => void, hint: string) => {
    const cand = structuredClone(acc) as PageState;
    patch(cand);
    const r = parsePageState(cand);
    if (r.errors.length) ignored(param, raw, hint);
    else acc = r.state;
  };
  const each = (param: string, f: (raw: string) => void) => {
    const v = q.get(param);
    if (v !== null) f(v);
  };
  const any = (x: unknown) => x as never;
  const lang = 'use a language code: ar, de, el, en, es, hi, ro, ru, th, tr, vi or zh.';
  const langs = 'use comma-separated language codes (ar, de, el, en, es, hi, ro, ru, th, tr, vi, zh), each once.';
  const onOff = 'use 0 (off) or 1 (on).';

  each('tab', (v) => apply('tab', v, (s) => (s.tab = any(v)), 'use explore, matrix, compare or lesson.'));
  const rev = q.get('rev');
  let revision: string | undefined;
  if (rev !== null) {
    if (/^[A-Za-z0-9._/-]{1,100}$/.test(rev) && !rev.includes('..')) revision = rev;
    else ignored('rev', rev, 'a revision is a branch, tag or commit of the hub repo (letters, digits, ".", "_", "-", "/"); the main branch is used.');
  }
  each('model', (v) => {
    if (revision !== undefined && !v.includes('/')) errors.push(`Ignored rev=${show(revision)} (model revision): only hub models have revisions, and ${show(v)} is bundled with xlens.`);
    apply('model', v, (s) => (s.model = any(modelRefFromParam(v, hub, revision))), 'use a bundled model name such as xlens-tiny-instruct, or a hub repo id "owner/name".');
  });
  if (revision !== undefined && !q.has('model')) errors.push(`Ignored rev=${show(revision)} (model revision): the link names no hub model.`);
  each('backend', (v) => apply('backend', v, (s) => (s.backend = any(v)), 'use auto, webgpu or wasm.'));
  each('weights', (v) => apply('weights', v, (s) => (s.weights = any(v)), 'use auto, fp32, int8 or fp16.'));
  each('cl', (v) => apply('cl', v, (s) => (s.contextLang = any(v)), lang));
  each('ql', (v) => apply('ql', v, (s) => (s.questionLang = any(v)), lang));
  each('ex', (v) => apply('ex', v, (s) => ((s.example = v), (s.custom = null)), 'an example id has lower-case letters, digits and "-", such as tiny-01.'));
  if (q.has('ctx') || q.has('q') || q.has('ans')) {
    const c = { context: q.get('ctx') ?? '', question: q.get('q') ?? '', answer: q.get('ans') ?? '' };
    apply('ctx', c.context, (s) => ((s.custom = c), (s.example = null)), `the context and the question may have up to ${nf(4000)} characters each, the answer up to 200.`);
  }
  each('tpl', (v) => apply('tpl', v, (s) => (s.template = any(v)), 'use plain or chat.'));
  each('ko', (v) => apply('ko', v, (s) => (s.analyses.knockout = any(bool01(v))), onOff));
  each('rel', (v) => apply('rel', v, (s) => (s.analyses.relevance = any(bool01(v))), onOff));
  each('win', (v) => apply('win', v, (s) => (s.analyses.window = any(intOrStr(v))), 'use a whole number of layers from 1 to 1000.'));
  each('lm', (v) => apply('lm', v, (s) => (s.view.lensMetric = any(v)), 'use prob, logprob or rank.'));
  each('head', (v) => apply('head', v, (s) => (s.view.head = any(intOrStr(v))), 'use a head number from 0 to 63.'));
  each('seg', (v) => apply('seg', v, (s) => (s.view.segmentChart = any(v)), 'use stacked or lines.'));
  each('pl', (v) => apply('pl', v, (s) => (s.view.pinnedLayer = any(intOrStr(v))), 'use a layer number from 0 to 64.'));
  each('pt', (v) => apply('pt', v, (s) => (s.view.pinnedToken = any(intOrStr(v))), `use a token position from 0 to ${nf(8191)}.`));
  each('cmp', (v) => apply('cmp', v, (s) => (s.compare.model = v === 'none' ? null : any(modelRefFromParam(v, hub))), 'use a bundled model name, a hub repo id "owner/name", or none.'));
  each('diff', (v) => apply('diff', v, (s) => (s.compare.diff = any(bool01(v))), onOff));
  each('mcl', (v) => apply('mcl', v, (s) => (s.matrix.contextLangs = any(list(v))), langs));
  each('mql', (v) => apply('mql', v, (s) => (s.matrix.questionLangs = any(list(v))), langs));
  each('mdep', (v) => apply('mdep', v, (s) => (s.matrix.depths = any(bool01(v))), onOff));
  each('step', (v) => apply('step', v, (s) => (s.lessonStep = any(intOrStr(v))), 'use a lesson step number.'));
  return { state: acc, runtime, errors };
}

/**
 * The query string (with "?") for a PageState plus the runtime options worth keeping. Custom
 * text is left out: it goes in the fragment (permalink.ts).
 */
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
  if (!s.custom && s.example) p.set('ex', s.example);
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
