// Result files: validate anything that claims to be an xlens result (an imported JSON file, a
// permalink's embedded result) against the current schema (src/engine/result.ts,
// docs/result-schema.md), and export results as JSON and CSV.
//
// The validator never trusts the input: it checks every field's type, shape (array lengths
// follow numLayers, numHeads and the prompt's tokens), ranges (probabilities in [0, 1], ranks
// >= 1, layers in 0..L), bounded string lengths and a bounded total size, refuses keys that
// could pollute prototypes, and returns a *fresh* object built field by field from what it
// checked (unknown fields are dropped), so nothing from the input is used by reference.
// It never throws: {ok: false, errors} carries short messages a person can act on.

import type { AnalysisResult, KnockoutResult, MatrixCell, MatrixItem, MatrixResult, MeanStd, PhaseDepths, RelevanceSection, ResultToken, TopToken, XlensResult } from '../engine/result';
import { SCHEMA_VERSION } from '../engine/result';
import { LANGUAGES } from '../data/languages';

/** largest result file accepted (characters of JSON); a 24-layer analysis of a long prompt is a few MB */
export const MAX_RESULT_CHARS = 20 * 1024 * 1024;
/** nesting deeper than this is not a result (the schema's deepest path is 5 levels) */
const MAX_DEPTH = 12;
/** at most this many messages are listed; the rest are counted */
const MAX_ERRORS = 12;
const LIMITS = {
  layers: 1000,
  heads: 1000,
  tokens: 32768,
  vocab: 10_000_000,
  modelId: 500,
  family: 64,
  inputText: 20000,
  promptText: 200000,
  tokenText: 1000,
  generated: 20000,
  exampleId: 200,
  examples: 100000,
  topK: 1000,
  tokenTextEntries: 2_000_000,
} as const;
/** float tolerance on probabilities and shares (sums of float32 probabilities may pass 1 by a hair) */
const EPS = 1e-3;
const SEGMENTS = ['context', 'answer', 'question', 'template'] as const;
const KNOCKOUT_SETS = ['question', 'answer', 'context', 'template'] as const;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type ResultCheck = { ok: true; result: XlensResult } | { ok: false; errors: string[] };

class Invalid extends Error {}

/** collects messages with the JSON path they concern; stops collecting after MAX_ERRORS */
class Checker {
  errors: string[] = [];
  private more = 0;
  fail(path: string, msg: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`${path || 'result'}: ${msg}`);
    else this.more++;
  }
  done(): string[] {
    return this.more ? [...this.errors, `…and ${this.more} more problems.`] : this.errors;
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: unknown): string => {
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : String(x);
  if (typeof x === 'string') return JSON.stringify(x.length > 30 ? `${x.slice(0, 30)}…` : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  return typeof x === 'object' ? 'an object' : typeof x;
};

/**
 * Walk the input once, iteratively: refuse prototype-polluting keys, too deep nesting and
 * too many values before the field checks look at anything.
 */
function scan(root: unknown, c: Checker): boolean {
  const stack: [unknown, number, string][] = [[root, 0, '']];
  let nodes = 0;
  let chars = 0;
  let ok = true;
  while (stack.length) {
    const [x, depth, path] = stack.pop()!;
    nodes++;
    if (nodes > MAX_RESULT_CHARS / 2) {
      c.fail('', 'too many values: a result file is at most 20 MB.');
      return false;
    }
    if (typeof x === 'string') {
      chars += x.length;
      if (chars > MAX_RESULT_CHARS) {
        c.fail('', 'too much text: a result file is at most 20 MB.');
        return false;
      }
      continue;
    }
    if (typeof x !== 'object' || x === null) continue;
    if (depth >= MAX_DEPTH) {
      c.fail(path, `nested more than ${MAX_DEPTH} levels deep; this is not an xlens result.`);
      return false;
    }
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], depth + 1, `${path}[${i}]`]);
    } else {
      for (const k of Object.keys(x)) {
        if (FORBIDDEN_KEYS.has(k)) {
          c.fail(path, `contains a forbidden key ${JSON.stringify(k)}.`);
          ok = false;
          continue;
        }
        stack.push([(x as Record<string, unknown>)[k], depth + 1, path ? `${path}.${k}` : k]);
      }
    }
  }
  return ok;
}

// --- field checkers: each returns the checked value or throws Invalid after recording why ---

function obj(c: Checker, x: unknown, path: string): Record<string, unknown> {
  if (!isObj(x)) {
    c.fail(path, `expected an object, got ${show(x)}.`);
    throw new Invalid();
  }
  return x;
}

function arr(c: Checker, x: unknown, path: string, len?: number, max = Infinity): unknown[] {
  if (!Array.isArray(x)) {
    c.fail(path, `expected an array, got ${show(x)}.`);
    throw new Invalid();
  }
  if (len !== undefined && x.length !== len) {
    c.fail(path, `expected ${len} entries, got ${x.length}.`);
    throw new Invalid();
  }
  if (x.length > max) {
    c.fail(path, `has ${x.length} entries; at most ${max} are allowed.`);
    throw new Invalid();
  }
  // a copy without holes: a sparse array's holes would be skipped by map() and pass unchecked
  return Array.from(x);
}

function num(c: Checker, x: unknown, path: string, lo = -Infinity, hi = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    c.fail(path, `expected a finite number, got ${show(x)}.`);
    throw new Invalid();
  }
  if (x < lo || x > hi) {
    c.fail(path, `${x} is outside ${lo === -Infinity ? '(-∞' : `[${lo}`}, ${hi === Infinity ? '∞)' : `${hi}]`}.`);
    throw new Invalid();
  }
  return x;
}

function int(c: Checker, x: unknown, path: string, lo: number, hi: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) {
    c.fail(path, `expected a whole number, got ${show(x)}.`);
    throw new Invalid();
  }
  if (x < lo || x > hi) {
    c.fail(path, `${x} is outside ${lo}..${hi}.`);
    throw new Invalid();
  }
  return x;
}

const prob = (c: Checker, x: unknown, path: string) => Math.min(1, num(c, x, path, 0, 1 + EPS));
const nullable = <T>(x: unknown, f: (x: unknown) => T): T | null => (x === null ? null : f(x));

function str(c: Checker, x: unknown, path: string, max: number, re?: RegExp): string {
  if (typeof x !== 'string') {
    c.fail(path, `expected text, got ${show(x)}.`);
    throw new Invalid();
  }
  if (x.length > max) {
    c.fail(path, `is ${x.length} characters long; at most ${max} are allowed.`);
    throw new Invalid();
  }
  if (re && !re.test(x)) {
    c.fail(path, `${show(x)} is not in the expected format.`);
    throw new Invalid();
  }
  return x;
}

function oneOf<T extends string>(c: Checker, x: unknown, path: string, options: readonly T[]): T {
  if (typeof x !== 'string' || !(options as readonly string[]).includes(x)) {
    c.fail(path, `expected one of ${options.join(', ')}, got ${show(x)}.`);
    throw new Invalid();
  }
  return x as T;
}

function date(c: Checker, x: unknown, path: string): string {
  const s = str(c, x, path, 64);
  if (Number.isNaN(Date.parse(s))) {
    c.fail(path, `${show(s)} is not a date.`);
    throw new Invalid();
  }
  return s;
}

/** run one section's check; an Invalid only marks that section as failed, so later sections still report */
function section<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof Invalid) return undefined;
    throw e;
  }
}

const grid = <T>(c: Checker, x: unknown, path: string, rows: number, cols: number, cell: (v: unknown, p: string) => T): T[][] =>
  arr(c, x, path, rows).map((row, i) => arr(c, row, `${path}[${i}]`, cols).map((v, j) => cell(v, `${path}[${i}][${j}]`)));

const LANG_RE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
const FAMILY_RE = /^[A-Za-z0-9_.-]+$/;

function checkModel(c: Checker, x: unknown): AnalysisResult['model'] {
  const m = obj(c, x, 'model');
  const numHeads = int(c, m.numHeads, 'model.numHeads', 1, LIMITS.heads);
  return {
    id: str(c, m.id, 'model.id', LIMITS.modelId),
    family: str(c, m.family, 'model.family', LIMITS.family, FAMILY_RE),
    numLayers: int(c, m.numLayers, 'model.numLayers', 1, LIMITS.layers),
    numHeads,
    numKvHeads: int(c, m.numKvHeads, 'model.numKvHeads', 1, numHeads),
    hiddenSize: int(c, m.hiddenSize, 'model.hiddenSize', 1, 1_000_000),
    vocabSize: int(c, m.vocabSize, 'model.vocabSize', 1, LIMITS.vocab),
    ...(m.weights === undefined ? {} : { weights: oneOf(c, m.weights, 'model.weights', ['fp32', 'int8', 'fp16'] as const) }),
  };
}

function checkHeader(c: Checker, r: Record<string, unknown>, kind: 'analysis' | 'matrix'): void {
  if (r.schemaVersion !== SCHEMA_VERSION) {
    const v = typeof r.schemaVersion === 'number' && Number.isFinite(r.schemaVersion) ? r.schemaVersion : null;
    c.fail(
      'schemaVersion',
      v !== null && v > SCHEMA_VERSION
        ? `this result uses schema version ${v}, made by a newer xlens; this xlens reads version ${SCHEMA_VERSION}. Re-run the analysis here, or open it in a newer xlens.`
        : v !== null
          ? `this result uses schema version ${v}; this xlens reads version ${SCHEMA_VERSION} only. Re-run the analysis to get a current result.`
          : `missing or invalid schema version (${show(r.schemaVersion)}); this xlens reads version ${SCHEMA_VERSION}.`,
    );
    throw new Invalid();
  }
  if (r.kind !== kind) throw new Error('unreachable: kind checked by the caller');
}

const ID_MAX = 100_000_000;
const tokenId = (c: Checker, x: unknown, p: string) => int(c, x, p, 0, ID_MAX);

function checkAnalysis(c: Checker, r: Record<string, unknown>): AnalysisResult | null {
  checkHeader(c, r, 'analysis');
  const createdAt = section(() => date(c, r.createdAt, 'createdAt'));
  const backend = section(() => oneOf(c, r.backend, 'backend', ['webgpu', 'wasm'] as const));
  const model = checkModel(c, r.model);
  const L = model.numLayers;
  const H = model.numHeads;
  const layer = (x: unknown, p: string) => int(c, x, p, 0, L);
  const input = section((): AnalysisResult['input'] => {
    const i = obj(c, r.input, 'input');
    return {
      contextLang: nullable(i.contextLang, (x) => str(c, x, 'input.contextLang', 16, LANG_RE)),
      questionLang: nullable(i.questionLang, (x) => str(c, x, 'input.questionLang', 16, LANG_RE)),
      exampleId: nullable(i.exampleId, (x) => str(c, x, 'input.exampleId', LIMITS.exampleId)),
      context: str(c, i.context, 'input.context', LIMITS.inputText),
      question: str(c, i.question, 'input.question', LIMITS.inputText),
      answer: str(c, i.answer, 'input.answer', LIMITS.inputText),
      template: oneOf(c, i.template, 'input.template', ['plain', 'chat'] as const),
      ...(i.answerStart !== undefined ? { answerStart: int(c, i.answerStart, 'input.answerStart', 0, LIMITS.inputText) } : {}),
    };
  });
  // the prompt fixes T, which every per-position array below must match
  const prompt = obj(c, r.prompt, 'prompt');
  const text = str(c, prompt.text, 'prompt.text', LIMITS.promptText);
  const tokensRaw = arr(c, prompt.tokens, 'prompt.tokens', undefined, LIMITS.tokens);
  if (tokensRaw.length === 0) {
    c.fail('prompt.tokens', 'the prompt has no tokens.');
    throw new Invalid();
  }
  const T = tokensRaw.length;
  const tokens = section(() =>
    tokensRaw.map((x, i): ResultToken => {
      const p = `prompt.tokens[${i}]`;
      const t = obj(c, x, p);
      const start = int(c, t.start, `${p}.start`, 0, text.length);
      return {
        id: tokenId(c, t.id, `${p}.id`),
        text: str(c, t.text, `${p}.text`, LIMITS.tokenText),
        segment: oneOf(c, t.segment, `${p}.segment`, SEGMENTS),
        start,
        end: int(c, t.end, `${p}.end`, start, text.length),
      };
    }),
  );
  const target = section(() => {
    const t = obj(c, prompt.target, 'prompt.target');
    return { id: tokenId(c, t.id, 'prompt.target.id'), text: str(c, t.text, 'prompt.target.text', LIMITS.tokenText) };
  });
  const generation = section((): AnalysisResult['generation'] => {
    const g = obj(c, r.generation, 'generation');
    return {
      ids: arr(c, g.ids, 'generation.ids', undefined, 10000).map((x, i) => tokenId(c, x, `generation.ids[${i}]`)),
      text: str(c, g.text, 'generation.text', LIMITS.generated),
      answer: str(c, g.answer, 'generation.answer', LIMITS.generated),
      exactMatch: num(c, g.exactMatch, 'generation.exactMatch', 0, 1),
      f1: num(c, g.f1, 'generation.f1', 0, 1),
    };
  });
  const lens = section((): AnalysisResult['lens'] => {
    const l = obj(c, r.lens, 'lens');
    const topId = grid(c, l.topId, 'lens.topId', L + 1, T, (v, p) => tokenId(c, v, p));
    const tokenTextRaw = obj(c, l.tokenText, 'lens.tokenText');
    const keys = Object.keys(tokenTextRaw);
    if (keys.length > LIMITS.tokenTextEntries) {
      c.fail('lens.tokenText', `has ${keys.length} entries; at most ${LIMITS.tokenTextEntries}.`);
      throw new Invalid();
    }
    const tokenText: Record<string, string> = {};
    for (const k of keys) {
      if (!/^\d{1,9}$/.test(k)) {
        c.fail('lens.tokenText', `key ${show(k)} is not a token id.`);
        throw new Invalid();
      }
      tokenText[k] = str(c, tokenTextRaw[k], `lens.tokenText[${k}]`, LIMITS.tokenText);
    }
    for (const row of topId) for (const id of row) if (!(String(id) in tokenText)) {
      c.fail('lens.tokenText', `has no text for top-1 token id ${id}.`);
      throw new Invalid();
    }
    return {
      targetProb: grid(c, l.targetProb, 'lens.targetProb', L + 1, T, (v, p) => prob(c, v, p)),
      targetRank: grid(c, l.targetRank, 'lens.targetRank', L + 1, T, (v, p) => int(c, v, p, 1, Math.max(model.vocabSize, 1))),
      topId,
      topProb: grid(c, l.topProb, 'lens.topProb', L + 1, T, (v, p) => prob(c, v, p)),
      tokenText,
      lastTopK: arr(c, l.lastTopK, 'lens.lastTopK', L + 1).map((row, i) =>
        arr(c, row, `lens.lastTopK[${i}]`, undefined, LIMITS.topK).map((x, k): TopToken => {
          const p = `lens.lastTopK[${i}][${k}]`;
          const t = obj(c, x, p);
          return { id: tokenId(c, t.id, `${p}.id`), text: str(c, t.text, `${p}.text`, LIMITS.tokenText), prob: prob(c, t.prob, `${p}.prob`) };
        }),
      ),
    };
  });
  const attention = section((): AnalysisResult['attention'] => {
    const a = obj(c, r.attention, 'attention');
    const sm = obj(c, a.segmentMass, 'attention.segmentMass');
    const segmentMass = {} as AnalysisResult['attention']['segmentMass'];
    for (const s of SEGMENTS) segmentMass[s] = grid(c, sm[s], `attention.segmentMass.${s}`, L, H, (v, p) => prob(c, v, p));
    return {
      lastRowMean: grid(c, a.lastRowMean, 'attention.lastRowMean', L, T, (v, p) => prob(c, v, p)),
      lastRowHeads: arr(c, a.lastRowHeads, 'attention.lastRowHeads', L).map((x, i) => grid(c, x, `attention.lastRowHeads[${i}]`, H, T, (v, p) => prob(c, v, p))),
      segmentMass,
    };
  });
  const summary = section((): AnalysisResult['summary'] => {
    const s = obj(c, r.summary, 'summary');
    return {
      answerTopLayer: nullable(s.answerTopLayer, (x) => layer(x, 'summary.answerTopLayer')),
      questionAttentionPeakLayer: layer(s.questionAttentionPeakLayer, 'summary.questionAttentionPeakLayer'),
      answerAttentionPeakLayer: layer(s.answerAttentionPeakLayer, 'summary.answerAttentionPeakLayer'),
    };
  });
  const knockout = r.knockout === undefined ? undefined : section((): KnockoutResult => {
    const k = obj(c, r.knockout, 'knockout');
    const sets = arr(c, k.sets, 'knockout.sets', undefined, KNOCKOUT_SETS.length).map((x, i) => oneOf(c, x, `knockout.sets[${i}]`, KNOCKOUT_SETS));
    if (new Set(sets).size !== sets.length) {
      c.fail('knockout.sets', 'lists a set twice.');
      throw new Invalid();
    }
    const windows = arr(c, k.windows, 'knockout.windows', undefined, L).map((x, i): [number, number] => {
      const w = arr(c, x, `knockout.windows[${i}]`, 2);
      const lo = int(c, w[0], `knockout.windows[${i}][0]`, 0, L);
      return [lo, int(c, w[1], `knockout.windows[${i}][1]`, lo, L)];
    });
    const effRaw = obj(c, k.effect, 'knockout.effect');
    const effect: Record<string, (number | null)[]> = {};
    for (const key of Object.keys(effRaw)) {
      if (!(sets as string[]).includes(key)) {
        c.fail('knockout.effect', `has an unknown set ${show(key)}.`);
        throw new Invalid();
      }
    }
    // effect = 100 (p' - p) / p: at least -100; no upper bound in principle, 1e12 is past any float32 ratio
    for (const s of sets) effect[s] = arr(c, effRaw[s], `knockout.effect.${s}`, windows.length).map((v, i) => nullable(v, (x) => num(c, x, `knockout.effect.${s}[${i}]`, -100 - EPS, 1e12)));
    return { window: int(c, k.window, 'knockout.window', 1, L), sets, baseProb: prob(c, k.baseProb, 'knockout.baseProb'), windows, effect };
  });
  const relevance = r.relevance === undefined ? undefined : section((): RelevanceSection => {
    const v = obj(c, r.relevance, 'relevance');
    const finite = (x: unknown, p: string) => num(c, x, p, -1e30, 1e30);
    const mrdRaw = obj(c, v.mrd, 'relevance.mrd');
    const cumRaw = obj(c, v.cumulative, 'relevance.cumulative');
    const mrd: Record<string, number | null> = {};
    const cumulative: Record<string, number[]> = {};
    for (const g of Object.keys(mrdRaw)) mrd[oneOf(c, g, 'relevance.mrd', SEGMENTS)] = nullable(mrdRaw[g], (x) => layer(x, `relevance.mrd.${g}`));
    for (const g of Object.keys(cumRaw)) cumulative[oneOf(c, g, 'relevance.cumulative', SEGMENTS)] = arr(c, cumRaw[g], `relevance.cumulative.${g}`, L + 1).map((x, i) => prob(c, x, `relevance.cumulative.${g}[${i}]`));
    return {
      relevance: grid(c, v.relevance, 'relevance.relevance', L + 1, T, finite),
      targetLogit: finite(v.targetLogit, 'relevance.targetLogit'),
      leakBias: arr(c, v.leakBias, 'relevance.leakBias', L).map((x, i) => finite(x, `relevance.leakBias[${i}]`)),
      leakSoftmax: arr(c, v.leakSoftmax, 'relevance.leakSoftmax', L).map((x, i) => finite(x, `relevance.leakSoftmax[${i}]`)),
      mrd,
      cumulative,
    };
  });
  const phases = r.phases === undefined ? undefined : section((): PhaseDepths => {
    const p = obj(c, r.phases, 'phases');
    const d = (k: keyof PhaseDepths) => nullable(p[k], (x) => layer(x, `phases.${k}`));
    return { questionEncodingKnockout: d('questionEncodingKnockout'), answerRetrievalKnockout: d('answerRetrievalKnockout'), questionEncodingMrd: d('questionEncodingMrd'), answerRetrievalMrd: d('answerRetrievalMrd') };
  });
  const timings = section((): AnalysisResult['timings'] => {
    const t = obj(c, r.timings, 'timings');
    const ms = (k: string, optional = false) => (optional && t[k] === undefined ? undefined : num(c, t[k], `timings.${k}`, 0, 1e10));
    const out: AnalysisResult['timings'] = { forwardMs: ms('forwardMs')!, generateMs: ms('generateMs')!, totalMs: ms('totalMs')! };
    const ko = ms('knockoutMs', true);
    const rel = ms('relevanceMs', true);
    if (ko !== undefined) out.knockoutMs = ko;
    if (rel !== undefined) out.relevanceMs = rel;
    return out;
  });
  if (c.errors.length || !createdAt || !backend || !input || !tokens || !target || !generation || !lens || !attention || !summary || !timings) return null;
  if ((r.knockout !== undefined && !knockout) || (r.relevance !== undefined && !relevance) || (r.phases !== undefined && !phases)) return null;
  const out: AnalysisResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    createdAt,
    backend,
    model,
    input,
    prompt: { text, tokens, target },
    generation,
    lens,
    attention,
    summary,
    timings,
  };
  if (knockout) out.knockout = knockout;
  if (relevance) out.relevance = relevance;
  if (phases) out.phases = phases;
  return out;
}

function checkMeanStd(c: Checker, x: unknown, path: string, hi: number, maxN: number): MeanStd {
  const m = obj(c, x, path);
  return {
    mean: nullable(m.mean, (v) => num(c, v, `${path}.mean`, 0, hi)),
    std: nullable(m.std, (v) => num(c, v, `${path}.std`, 0, hi)),
    n: int(c, m.n, `${path}.n`, 0, maxN),
  };
}

function langList(c: Checker, x: unknown, path: string): string[] {
  const a = arr(c, x, path, undefined, LANGUAGES.length).map((v, i) => oneOf(c, v, `${path}[${i}]`, LANGUAGES));
  if (a.length === 0 || new Set(a).size !== a.length) {
    c.fail(path, 'expected 1 to 12 distinct language codes.');
    throw new Invalid();
  }
  return a;
}

function checkMatrix(c: Checker, r: Record<string, unknown>): MatrixResult | null {
  checkHeader(c, r, 'matrix');
  const createdAt = section(() => date(c, r.createdAt, 'createdAt'));
  const backend = section(() => oneOf(c, r.backend, 'backend', ['webgpu', 'wasm'] as const));
  const model = checkModel(c, r.model);
  const L = model.numLayers;
  const template = section(() => oneOf(c, r.template, 'template', ['plain', 'chat'] as const));
  const contextLangs = langList(c, r.contextLangs, 'contextLangs');
  const questionLangs = langList(c, r.questionLangs, 'questionLangs');
  const exampleIds = arr(c, r.exampleIds, 'exampleIds', undefined, LIMITS.examples).map((x, i) => str(c, x, `exampleIds[${i}]`, LIMITS.exampleId));
  const N = exampleIds.length;
  const window = section(() => nullable(r.window, (x) => int(c, x, 'window', 1, L)));
  const complete = section(() => {
    if (typeof r.complete !== 'boolean') {
      c.fail('complete', `expected true or false, got ${show(r.complete)}.`);
      throw new Invalid();
    }
    return r.complete;
  });
  const depth = (x: unknown, p: string) => nullable(x, (v) => int(c, v, p, 0, L));
  const seen = new Set<string>();
  const cells = section(() =>
    arr(c, r.cells, 'cells', undefined, contextLangs.length * questionLangs.length).map((x, i): MatrixCell => {
      const p = `cells[${i}]`;
      const cell = obj(c, x, p);
      const cl = oneOf(c, cell.contextLang, `${p}.contextLang`, contextLangs);
      const ql = oneOf(c, cell.questionLang, `${p}.questionLang`, questionLangs);
      if (seen.has(`${cl}-${ql}`)) {
        c.fail(p, `the pair ${cl}-${ql} appears twice.`);
        throw new Invalid();
      }
      seen.add(`${cl}-${ql}`);
      const n = int(c, cell.n, `${p}.n`, 0, N);
      const items = arr(c, cell.items, `${p}.items`, undefined, N).map((y, k): MatrixItem => {
        const q = `${p}.items[${k}]`;
        const it = obj(c, y, q);
        return {
          exampleId: str(c, it.exampleId, `${q}.exampleId`, LIMITS.exampleId),
          exactMatch: num(c, it.exactMatch, `${q}.exactMatch`, 0, 1),
          f1: num(c, it.f1, `${q}.f1`, 0, 1),
          targetProb: prob(c, it.targetProb, `${q}.targetProb`),
          questionDepth: depth(it.questionDepth, `${q}.questionDepth`),
          answerDepth: depth(it.answerDepth, `${q}.answerDepth`),
          questionMrd: depth(it.questionMrd, `${q}.questionMrd`),
          answerMrd: depth(it.answerMrd, `${q}.answerMrd`),
        };
      });
      return {
        contextLang: cl,
        questionLang: ql,
        n,
        exactMatch: num(c, cell.exactMatch, `${p}.exactMatch`, 0, 1),
        f1: num(c, cell.f1, `${p}.f1`, 0, 1),
        targetProb: prob(c, cell.targetProb, `${p}.targetProb`),
        questionDepth: checkMeanStd(c, cell.questionDepth, `${p}.questionDepth`, L, N),
        answerDepth: checkMeanStd(c, cell.answerDepth, `${p}.answerDepth`, L, N),
        questionMrd: checkMeanStd(c, cell.questionMrd, `${p}.questionMrd`, L, N),
        answerMrd: checkMeanStd(c, cell.answerMrd, `${p}.answerMrd`, L, N),
        items,
        ...(cell.skippedTooLong !== undefined
          ? { skippedTooLong: arr(c, cell.skippedTooLong, `${p}.skippedTooLong`, undefined, N).map((y, k) => str(c, y, `${p}.skippedTooLong[${k}]`, LIMITS.exampleId)) }
          : {}),
      };
    }),
  );
  const total = Math.max(1, N * contextLangs.length * questionLangs.length);
  const overall = section((): MatrixResult['overall'] => {
    const o = obj(c, r.overall, 'overall');
    return {
      exactMatch: num(c, o.exactMatch, 'overall.exactMatch', 0, 1),
      f1: num(c, o.f1, 'overall.f1', 0, 1),
      questionDepth: checkMeanStd(c, o.questionDepth, 'overall.questionDepth', L, total),
      answerDepth: checkMeanStd(c, o.answerDepth, 'overall.answerDepth', L, total),
      questionMrd: checkMeanStd(c, o.questionMrd, 'overall.questionMrd', L, total),
      answerMrd: checkMeanStd(c, o.answerMrd, 'overall.answerMrd', L, total),
    };
  });
  if (complete && cells && cells.length !== contextLangs.length * questionLangs.length) {
    c.fail('cells', `a complete matrix has ${contextLangs.length * questionLangs.length} cells, this one ${cells.length}.`);
  }
  if (c.errors.length || !createdAt || !backend || !template || window === undefined || complete === undefined || !cells || !overall) return null;
  return { schemaVersion: SCHEMA_VERSION, kind: 'matrix', createdAt, backend, model, template, contextLangs, questionLangs, exampleIds, window, cells, overall, complete };
}

/** Validate an already parsed value as a current-schema AnalysisResult or MatrixResult. */
export function validateResult(input: unknown): ResultCheck {
  const c = new Checker();
  try {
    if (!isObj(input)) return { ok: false, errors: [`This is not an xlens result: expected a JSON object, got ${show(input)}.`] };
    if (!scan(input, c)) return { ok: false, errors: c.done() };
    if (input.kind !== 'analysis' && input.kind !== 'matrix') {
      return { ok: false, errors: [`This is not an xlens result: "kind" is ${show(input.kind)}, expected "analysis" or "matrix".`] };
    }
    const result = input.kind === 'analysis' ? checkAnalysis(c, input) : checkMatrix(c, input);
    if (result && !c.errors.length) return { ok: true, result };
    return { ok: false, errors: c.errors.length ? c.done() : ['The result is incomplete.'] };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, errors: c.done() };
    // a bug here must not break the page: report it as a message
    return { ok: false, errors: [`The result could not be checked (${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}).`] };
  }
}

/** Parse and validate the text of a result file. */
export function parseResultJSON(text: string): ResultCheck {
  if (typeof text !== 'string') return { ok: false, errors: ['The file could not be read as text.'] };
  if (text.length > MAX_RESULT_CHARS) return { ok: false, errors: [`The file is ${(text.length / 1048576).toFixed(1)} MB; result files are at most ${MAX_RESULT_CHARS / 1048576} MB.`] };
  if (!text.trim()) return { ok: false, errors: ['The file is empty.'] };
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/\s+/g, ' ').slice(0, 120) : '';
    return { ok: false, errors: [`The file is not valid JSON (it may be truncated or not an xlens result file)${detail ? `: ${detail}` : ''}.`] };
  }
  return validateResult(value);
}

// --- export --------------------------------------------------------------------------------

/** The versioned JSON of a result, as a file (stable key order as produced by the engine). */
export function resultToJSON(result: XlensResult): string {
  return JSON.stringify(result, null, 1) + '\n';
}

/**
 * One CSV cell: quoted when it holds a quote, comma, or line break; text that a spreadsheet
 * would run as a formula (starting with = + - @, tab or carriage return) gets a leading
 * apostrophe (OWASP "CSV injection"). Numbers are written as numbers, so negative values
 * stay numeric.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvRows = (rows: (string | number | null | undefined)[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/**
 * AnalysisResult -> CSV. One row per (layer, position): lens target probability, rank, top-1
 * token and its probability, attention from the last position (mean over heads; empty for the
 * embeddings row) and relevance when computed. Then one row per knockout window and set.
 */
export function analysisToCSV(r: AnalysisResult): string {
  const rows: (string | number | null)[][] = [
    ['section', 'layer', 'position', 'token', 'segment', 'lens_target_prob', 'lens_target_rank', 'lens_top1', 'lens_top1_prob', 'attention_mean', 'relevance', 'knockout_set', 'knockout_window_lo', 'knockout_window_hi', 'knockout_effect_pct'],
  ];
  const L = r.model.numLayers;
  for (let l = 0; l <= L; l++) {
    r.prompt.tokens.forEach((tok, t) => {
      const top = r.lens.topId[l][t];
      rows.push([
        'lens',
        l,
        t,
        tok.text,
        tok.segment,
        r.lens.targetProb[l][t],
        r.lens.targetRank[l][t],
        r.lens.tokenText[String(top)] ?? String(top),
        r.lens.topProb[l][t],
        l >= 1 ? r.attention.lastRowMean[l - 1][t] : null,
        r.relevance ? r.relevance.relevance[l][t] : null,
        null,
        null,
        null,
        null,
      ]);
    });
  }
  if (r.knockout) {
    const k = r.knockout;
    k.windows.forEach(([lo, hi], i) => {
      for (const s of k.sets) rows.push(['knockout', i + 1, null, null, null, null, null, null, null, null, null, s, lo, hi, k.effect[s]?.[i] ?? null]);
    });
  }
  return csvRows(rows);
}

/** MatrixResult -> CSV: one row per (context language, question language) with every metric and std. */
export function matrixToCSV(m: MatrixResult): string {
  const rows: (string | number | null)[][] = [
    ['context_lang', 'question_lang', 'n', 'exact_match', 'f1', 'target_prob', 'question_depth', 'question_depth_std', 'question_depth_n', 'answer_depth', 'answer_depth_std', 'answer_depth_n', 'question_mrd', 'question_mrd_std', 'question_mrd_n', 'answer_mrd', 'answer_mrd_std', 'answer_mrd_n'],
  ];
  const ms = (x: MeanStd) => [x.mean, x.std, x.n];
  for (const c of m.cells) {
    rows.push([c.contextLang, c.questionLang, c.n, c.exactMatch, c.f1, c.targetProb, ...ms(c.questionDepth), ...ms(c.answerDepth), ...ms(c.questionMrd), ...ms(c.answerMrd)]);
  }
  const o = m.overall;
  rows.push(['all', 'all', null, o.exactMatch, o.f1, null, ...ms(o.questionDepth), ...ms(o.answerDepth), ...ms(o.questionMrd), ...ms(o.answerMrd)]);
  return csvRows(rows);
}

export function resultToCSV(r: XlensResult): string {
  return r.kind === 'analysis' ? analysisToCSV(r) : matrixToCSV(r);
}
