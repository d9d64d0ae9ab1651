// Result files: validate anything that claims to be an xlens result (an imported JSON file, a
// permalink's embedded result) against the current schema (src/engine/result.ts,
// docs/result-schema.md), and export results as JSON and CSV.
// One file, longer than most: every field's check sits beside the cross-field invariants that read it,
// and the exporters beside the validator whose output they must round-trip. A split along structure
// checks vs cross-field invariants is the next step when it grows.
//
// The validator never trusts the input: it checks every field's type, shape (array lengths
// follow numLayers, numHeads and the prompt's tokens), ranges (probabilities in [0, 1], ranks
// >= 1, layers in 0..L), every cross-field invariant a view relies on (knockout windows x sets x
// effects, phase depths against the sections they come from, token ids against the
// vocabulary), the most the largest supported model and prompt can produce (result-limits.ts),
// bounded string lengths and a bounded total size, refuses keys that could pollute prototypes,
// and returns a *fresh* object built field by field from what it checked, so nothing from the
// input is used by reference. Which fields exist, and their value lists, come from the schema
// (engine/result-schema.ts): a field it does not have is refused by name (result-fields.ts). It
// never throws: {ok: false, errors} carries short messages a person can act on.
//
// It is also on the path of every large result, so numbers in grids are checked in tight loops
// and a message (with its JSON path) is only built for a value that fails.

import type { AnalysisResult, KnockoutResult, MatrixCell, MatrixItem, MatrixResult, MeanStd, PhaseDepths, RelevanceSection, ResultToken, TopToken, XlensResult } from '../engine/result';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION } from '../engine/result';
import { ANALYSIS_SECTIONS, BACKENDS, KNOCKOUT_SETS, LENS_COVERAGES, MATRIX_SCHEMA, RESULT_SEGMENTS as SEGMENTS, TEMPLATES, WEIGHT_FORMATS, type SchemaNode } from '../engine/result-schema';
import { fieldProblemMessage, fieldProblems, inSchemaOrder } from './result-fields';
import { LANGUAGES } from '../data/languages';
import { capsInWords, RESULT_CAPS } from './result-limits';
import { visibleControls } from './text-safety';

/** largest result file accepted (characters of JSON); a 24-layer analysis of a long prompt is a few MB */
const MAX_RESULT_CHARS = 20 * 1024 * 1024;
/** nesting deeper than this is not a result (the schema's deepest path is 5 levels) */
const MAX_DEPTH = 12;
/** at most this many messages are listed; the rest are counted */
const MAX_ERRORS = 12;
const LIMITS = {
  modelId: 500,
  family: 64,
  inputText: 20000,
  promptText: 200000,
  tokenText: 1000,
  generated: 20000,
  exampleId: 200,
  tokenTextEntries: 2_000_000,
} as const;
/** float tolerance on probabilities and shares (sums of float32 probabilities may pass 1 by a hair) */
const EPS = 1e-3;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type ResultCheck = { ok: true; result: XlensResult } | { ok: false; errors: string[] };

class Invalid extends Error {}

/** what a field is, in words a reader of the message knows (the JSON path follows in brackets) */
const FIELD_WORDS: [RegExp, string][] = [
  [/^schemaVersion$/, 'The schema version'],
  [/^createdAt$/, 'The date of the run'],
  [/^backend$/, 'The backend'],
  [/^model\.id$/, "The model's name"],
  [/^model\.family$/, "The model's family"],
  [/^model\.numLayers$/, "The model's number of layers"],
  [/^model\.numHeads$/, "The model's number of attention heads"],
  [/^model\.numKvHeads$/, "The model's number of key/value heads"],
  [/^model\.hiddenSize$/, "The model's hidden size"],
  [/^model\.vocabSize$/, "The model's vocabulary size"],
  [/^model\.weights$/, "The model's weight format"],
  [/^model$/, 'The model description'],
  [/^input\.context$/, 'The context text'],
  [/^input\.question$/, 'The question text'],
  [/^input\.answer$/, 'The answer text'],
  [/^input\.contextLang$/, 'The context language'],
  [/^input\.questionLang$/, 'The question language'],
  [/^input\.exampleId$/, 'The example id'],
  [/^input\.template$/, 'The prompt template'],
  [/^input$/, 'The input'],
  [/^prompt\.text$/, 'The prompt text'],
  [/^prompt\.target/, 'The target token'],
  [/^prompt\.tokens\[(\d+)\]/, 'Prompt token $1'],
  [/^prompt/, 'The prompt'],
  [/^generation/, "The model's answer"],
  [/^lens/, 'The logit lens'],
  [/^attention/, 'The attention section'],
  [/^summary/, 'The summary'],
  [/^knockout/, 'The knockout sweep'],
  [/^relevance/, 'The relevance section'],
  [/^phases/, 'The phase depths'],
  [/^timings/, 'The timings'],
  [/^contextLangs/, 'The context languages'],
  [/^questionLangs/, 'The question languages'],
  [/^exampleIds/, 'The list of examples'],
  [/^cells\[(\d+)\]/, 'Language pair $1'],
  [/^cells/, 'The language pairs'],
  [/^overall/, 'The overall scores'],
  [/^window$/, 'The knockout window'],
  [/^complete$/, 'The "complete" flag'],
  [/^template$/, 'The prompt template'],
];

function fieldLabel(path: string): string {
  if (!path) return 'The result';
  for (const [re, words] of FIELD_WORDS) {
    const m = re.exec(path);
    if (m) return `${words.replace(/\$(\d)/g, (_, i: string) => m[Number(i)])} (${path})`;
  }
  return `The field ${path}`;
}

/** collects messages with the field they concern; stops collecting after MAX_ERRORS */
class Checker {
  errors: string[] = [];
  private more = 0;
  /** `msg` either continues the sentence ("is missing.") or follows a colon */
  fail(path: string, msg: string): void {
    const text = `${fieldLabel(path)}${/^(is|has|lists|names|says|contains|holds|refers|needs) /.test(msg) ? ' ' : ': '}${msg}`;
    if (this.errors.length < MAX_ERRORS) this.errors.push(text);
    else this.more++;
  }
  /** a message that is a whole sentence of its own */
  note(text: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(text);
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
  if (Array.isArray(x)) return `a list of ${x.length}`;
  return typeof x === 'object' ? 'an object' : typeof x === 'boolean' ? String(x) : typeof x;
};
/** "expected X, got Y" in words, or "is missing" */
const wrong = (expected: string, x: unknown) => (x === undefined ? 'is missing.' : `expected ${expected}, got ${show(x)}.`);
const n = (x: number) => x.toLocaleString('en-US');

/**
 * Walk the input once, iteratively: refuse prototype-polluting keys, too deep nesting and
 * too many values before the field checks look at anything. Paths are built for objects and
 * nested arrays only, not for the numbers and strings inside them.
 */
function scan(root: unknown, c: Checker): boolean {
  const stack: [unknown, number, string][] = [[root, 0, '']];
  let nodes = 0;
  let chars = 0;
  let ok = true;
  const tooMuch = () => {
    c.fail('', `is too large: a result file is at most ${MAX_RESULT_CHARS / 1048576} MB.`);
    return false;
  };
  while (stack.length) {
    const [x, depth, path] = stack.pop()!;
    if (depth >= MAX_DEPTH) {
      c.fail(path, `is nested more than ${MAX_DEPTH} levels deep; this is not an xlens result.`);
      return false;
    }
    if (Array.isArray(x)) {
      nodes += x.length;
      if (nodes > MAX_RESULT_CHARS / 2) return tooMuch();
      for (let i = x.length - 1; i >= 0; i--) {
        const v = x[i];
        if (typeof v === 'string') {
          chars += v.length;
          if (chars > MAX_RESULT_CHARS) return tooMuch();
        } else if (typeof v === 'object' && v !== null) stack.push([v, depth + 1, `${path}[${i}]`]);
      }
      continue;
    }
    const keys = Object.keys(x as object);
    nodes += keys.length;
    if (nodes > MAX_RESULT_CHARS / 2) return tooMuch();
    for (const k of keys) {
      if (FORBIDDEN_KEYS.has(k)) {
        c.fail(path, `contains a forbidden key ${JSON.stringify(k)}.`);
        ok = false;
        continue;
      }
      const v = (x as Record<string, unknown>)[k];
      if (typeof v === 'string') {
        chars += v.length;
        if (chars > MAX_RESULT_CHARS) return tooMuch();
      } else if (typeof v === 'object' && v !== null) stack.push([v, depth + 1, path ? `${path}.${k}` : k]);
    }
  }
  return ok;
}

// --- field checkers: each returns the checked value or throws Invalid after recording why ---

function obj(c: Checker, x: unknown, path: string): Record<string, unknown> {
  if (!isObj(x)) {
    c.fail(path, wrong('an object', x));
    throw new Invalid();
  }
  return x;
}

function arr(c: Checker, x: unknown, path: string, len?: number, max = Infinity, what = 'entries'): unknown[] {
  if (!Array.isArray(x)) {
    c.fail(path, wrong('a list', x));
    throw new Invalid();
  }
  if (len !== undefined && x.length !== len) {
    c.fail(path, `has ${n(x.length)} ${what}; the result's shape needs ${n(len)}.`);
    throw new Invalid();
  }
  if (x.length > max) {
    c.fail(path, `has ${n(x.length)} ${what}; at most ${n(max)} are allowed.`);
    throw new Invalid();
  }
  // a copy without holes: a sparse array's holes would be skipped by map() and pass unchecked
  return Array.from(x);
}

function num(c: Checker, x: unknown, path: string, lo = -Infinity, hi = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    c.fail(path, wrong('a finite number', x));
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
    c.fail(path, wrong('a whole number', x));
    throw new Invalid();
  }
  if (x < lo || x > hi) {
    c.fail(path, `${x} is outside ${n(lo)}..${n(hi)}.`);
    throw new Invalid();
  }
  return x;
}

const prob = (c: Checker, x: unknown, path: string) => Math.min(1, num(c, x, path, 0, 1 + EPS));
const nullable = <T>(x: unknown, f: (x: unknown) => T): T | null => (x === null ? null : f(x));

function str(c: Checker, x: unknown, path: string, max: number, re?: RegExp): string {
  if (typeof x !== 'string') {
    c.fail(path, wrong('text', x));
    throw new Invalid();
  }
  if (x.length > max) {
    c.fail(path, `is ${n(x.length)} characters long; at most ${n(max)} are allowed.`);
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
    c.fail(path, wrong(`one of ${options.join(', ')}`, x));
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

/** fail with a message and stop the section */
function reject(c: Checker, path: string, msg: string): never {
  c.fail(path, msg);
  throw new Invalid();
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

type NumKind = 'real' | 'prob' | 'int';

/**
 * A rows x cols grid of numbers in [lo, hi] (probabilities are clamped to 1 after the float
 * tolerance; 'int' are whole numbers), as a fresh copy. The fast loop builds no strings; the
 * first failing value is reported through num/int with its path.
 */
function numGrid(c: Checker, x: unknown, path: string, rows: number, cols: number, kind: NumKind, lo: number, hi: number, nullable?: false): number[][];
/** with `nullable`: a cell may also be null (schema 2's lens cells that were not computed) */
function numGrid(c: Checker, x: unknown, path: string, rows: number, cols: number, kind: NumKind, lo: number, hi: number, nullable: true): (number | null)[][];
function numGrid(c: Checker, x: unknown, path: string, rows: number, cols: number, kind: NumKind, lo: number, hi: number, nullable = false): (number | null)[][] {
  const top = kind === 'prob' ? 1 + EPS : hi;
  return arr(c, x, path, rows, undefined, 'rows').map((rowRaw, i) => {
    const row = arr(c, rowRaw, `${path}[${i}]`, cols, undefined, 'columns') as number[];
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (v === null && nullable) continue;
      if (typeof v !== 'number' || !(v >= lo && v <= top) || v === Infinity || v === -Infinity || (kind === 'int' && !Number.isInteger(v))) {
        if (kind === 'int') int(c, v, `${path}[${i}][${j}]`, lo, hi);
        else num(c, v, `${path}[${i}][${j}]`, lo, top);
      }
      if (kind === 'prob' && v > 1) row[j] = 1;
    }
    return row;
  });
}

/** a list of numbers of a given length (see numGrid) */
function numList(c: Checker, x: unknown, path: string, len: number, kind: NumKind, lo: number, hi: number): number[] {
  const top = kind === 'prob' ? 1 + EPS : hi;
  const row = arr(c, x, path, len) as number[];
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (typeof v !== 'number' || !(v >= lo && v <= top) || v === Infinity || v === -Infinity || (kind === 'int' && !Number.isInteger(v))) {
      if (kind === 'int') int(c, v, `${path}[${j}]`, lo, hi);
      else num(c, v, `${path}[${j}]`, lo, top);
    }
    if (kind === 'prob' && v > 1) row[j] = 1;
  }
  return row;
}

const LANG_RE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
const FAMILY_RE = /^[A-Za-z0-9_.-]+$/;

/** a count past a cap: the message says what xlens can produce at most */
function capped(c: Checker, x: unknown, path: string, what: string, cap: number): number {
  const v = int(c, x, path, 1, Number.MAX_SAFE_INTEGER);
  if (v > cap) reject(c, path, `is ${n(v)}; no model xlens supports has more than ${n(cap)} ${what} (results are limited to ${capsInWords()}).`);
  return v;
}

function checkModel(c: Checker, x: unknown): AnalysisResult['model'] {
  const m = obj(c, x, 'model');
  const numHeads = capped(c, m.numHeads, 'model.numHeads', 'attention heads', RESULT_CAPS.heads);
  return {
    id: str(c, m.id, 'model.id', LIMITS.modelId),
    family: str(c, m.family, 'model.family', LIMITS.family, FAMILY_RE),
    numLayers: capped(c, m.numLayers, 'model.numLayers', 'layers', RESULT_CAPS.layers),
    numHeads,
    numKvHeads: int(c, m.numKvHeads, 'model.numKvHeads', 1, numHeads),
    hiddenSize: int(c, m.hiddenSize, 'model.hiddenSize', 1, 1_000_000),
    vocabSize: capped(c, m.vocabSize, 'model.vocabSize', 'vocabulary entries', RESULT_CAPS.vocab),
    ...(m.weights === undefined ? {} : { weights: oneOf(c, m.weights, 'model.weights', WEIGHT_FORMATS) }),
  };
}

function checkHeader(c: Checker, r: Record<string, unknown>, kind: 'analysis' | 'matrix'): void {
  if (!(READABLE_SCHEMA_VERSIONS as readonly unknown[]).includes(r.schemaVersion)) {
    const v = typeof r.schemaVersion === 'number' && Number.isFinite(r.schemaVersion) ? r.schemaVersion : null;
    c.fail(
      'schemaVersion',
      v !== null && v > SCHEMA_VERSION
        ? `this result uses schema version ${v}, made by a newer xlens; this xlens reads version ${SCHEMA_VERSION}. Re-run the analysis here, or open it in a newer xlens.`
        : v !== null
          ? `this result uses schema version ${v}; this xlens reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')}. Re-run the analysis to get a current result.`
          : r.schemaVersion === undefined
            ? `is missing; this xlens reads schema version ${SCHEMA_VERSION}.`
            : `${show(r.schemaVersion)} is not a schema version; this xlens reads version ${SCHEMA_VERSION}.`,
    );
    throw new Invalid();
  }
  if (r.kind !== kind) throw new Error('unreachable: kind checked by the caller');
}

function checkAnalysis(c: Checker, r: Record<string, unknown>): AnalysisResult | null {
  checkHeader(c, r, 'analysis');
  const createdAt = section(() => date(c, r.createdAt, 'createdAt'));
  const backend = section(() => oneOf(c, r.backend, 'backend', BACKENDS));
  const model = checkModel(c, r.model);
  const L = model.numLayers;
  const H = model.numHeads;
  const V = model.vocabSize;
  const layer = (x: unknown, p: string, lo = 0) => int(c, x, p, lo, L);
  // every token id the views look up is an entry of the model's vocabulary
  const tokenId = (x: unknown, p: string) => int(c, x, p, 0, V - 1);
  const input = section((): AnalysisResult['input'] => {
    const i = obj(c, r.input, 'input');
    const context = str(c, i.context, 'input.context', LIMITS.inputText);
    return {
      contextLang: nullable(i.contextLang, (x) => str(c, x, 'input.contextLang', 16, LANG_RE)),
      questionLang: nullable(i.questionLang, (x) => str(c, x, 'input.questionLang', 16, LANG_RE)),
      exampleId: nullable(i.exampleId, (x) => str(c, x, 'input.exampleId', LIMITS.exampleId)),
      context,
      question: str(c, i.question, 'input.question', LIMITS.inputText),
      answer: str(c, i.answer, 'input.answer', LIMITS.inputText),
      ...(i.answerStart !== undefined ? { answerStart: int(c, i.answerStart, 'input.answerStart', 0, context.length) } : {}),
      template: oneOf(c, i.template, 'input.template', TEMPLATES),
    };
  });
  // the prompt fixes T, which every per-position array below must match
  const prompt = obj(c, r.prompt, 'prompt');
  const text = str(c, prompt.text, 'prompt.text', LIMITS.promptText);
  if (Array.isArray(prompt.tokens) && prompt.tokens.length > RESULT_CAPS.tokens) {
    reject(c, 'prompt.tokens', `has ${n(prompt.tokens.length)} tokens; xlens runs prompts of at most ${n(RESULT_CAPS.tokens)} tokens (results are limited to ${capsInWords()}).`);
  }
  const tokensRaw = arr(c, prompt.tokens, 'prompt.tokens', undefined, RESULT_CAPS.tokens, 'tokens');
  if (tokensRaw.length === 0) reject(c, 'prompt.tokens', 'is empty: the prompt has no tokens.');
  const T = tokensRaw.length;
  const tokens = section(() =>
    tokensRaw.map((x, i): ResultToken => {
      const p = `prompt.tokens[${i}]`;
      const t = obj(c, x, p);
      const start = int(c, t.start, `${p}.start`, 0, text.length);
      return {
        id: tokenId(t.id, `${p}.id`),
        text: str(c, t.text, `${p}.text`, LIMITS.tokenText),
        segment: oneOf(c, t.segment, `${p}.segment`, SEGMENTS),
        start,
        end: int(c, t.end, `${p}.end`, start, text.length),
      };
    }),
  );
  const target = section(() => {
    const t = obj(c, prompt.target, 'prompt.target');
    const out: AnalysisResult['prompt']['target'] = { id: tokenId(t.id, 'prompt.target.id'), text: str(c, t.text, 'prompt.target.text', LIMITS.tokenText) };
    if (t.alternative !== undefined) {
      const a = obj(c, t.alternative, 'prompt.target.alternative');
      out.alternative = {
        id: tokenId(a.id, 'prompt.target.alternative.id'),
        text: str(c, a.text, 'prompt.target.alternative.text', LIMITS.tokenText),
        prob: prob(c, a.prob, 'prompt.target.alternative.prob'),
        targetProb: prob(c, a.targetProb, 'prompt.target.alternative.targetProb'),
      };
    }
    if (t.leadingWhitespace !== undefined) {
      out.leadingWhitespace = arr(c, t.leadingWhitespace, 'prompt.target.leadingWhitespace', undefined, 8).map((x, i) => {
        const w = obj(c, x, `prompt.target.leadingWhitespace[${i}]`);
        return { id: tokenId(w.id, `prompt.target.leadingWhitespace[${i}].id`), text: str(c, w.text, `prompt.target.leadingWhitespace[${i}].text`, LIMITS.tokenText) };
      });
    }
    return out;
  });
  // a partial result (shared while it still computed) lists what was pending; its answer may be missing
  const pending =
    r.pending === undefined
      ? undefined
      : section(() => arr(c, r.pending, 'pending', undefined, ANALYSIS_SECTIONS.length).map((x, i) => oneOf(c, x, `pending[${i}]`, ANALYSIS_SECTIONS)));
  const generation = section((): AnalysisResult['generation'] | undefined => {
    if (r.generation === undefined && pending?.includes('generation')) return undefined;
    const g = obj(c, r.generation, 'generation');
    return {
      ids: arr(c, g.ids, 'generation.ids', undefined, RESULT_CAPS.tokens, 'tokens').map((x, i) => tokenId(x, `generation.ids[${i}]`)),
      text: str(c, g.text, 'generation.text', LIMITS.generated),
      answer: str(c, g.answer, 'generation.answer', LIMITS.generated),
      exactMatch: num(c, g.exactMatch, 'generation.exactMatch', 0, 1),
      f1: num(c, g.f1, 'generation.f1', 0, 1),
    };
  });
  const lens = section((): AnalysisResult['lens'] => {
    const l = obj(c, r.lens, 'lens');
    // schema 2: a position whose lens was not computed holds null in all four grids (schema 1 has none)
    const nullable = r.schemaVersion !== 1;
    const topId = nullable ? numGrid(c, l.topId, 'lens.topId', L + 1, T, 'int', 0, V - 1, true) : numGrid(c, l.topId, 'lens.topId', L + 1, T, 'int', 0, V - 1);
    const tokenTextRaw = obj(c, l.tokenText, 'lens.tokenText');
    const keys = Object.keys(tokenTextRaw);
    if (keys.length > Math.min(LIMITS.tokenTextEntries, V)) reject(c, 'lens.tokenText', `has ${n(keys.length)} entries; the vocabulary has ${n(V)}.`);
    const tokenText: Record<string, string> = {};
    for (const k of keys) {
      if (!/^\d{1,9}$/.test(k)) reject(c, 'lens.tokenText', `has a key ${show(k)} that is not a token id.`);
      tokenText[k] = str(c, tokenTextRaw[k], `lens.tokenText[${k}]`, LIMITS.tokenText);
    }
    for (const row of topId) for (const id of row) if (id !== null && !(String(id) in tokenText)) reject(c, 'lens.tokenText', `has no text for the top-1 token id ${id}.`);
    const coverage = l.coverage === undefined ? undefined : oneOf(c, l.coverage, 'lens.coverage', LENS_COVERAGES);
    const grid = (x: unknown, path: string, kind: NumKind, lo: number, hi: number) =>
      nullable ? numGrid(c, x, path, L + 1, T, kind, lo, hi, true) : numGrid(c, x, path, L + 1, T, kind, lo, hi);
    const targetProb = grid(l.targetProb, 'lens.targetProb', 'prob', 0, 1);
    const targetRank = grid(l.targetRank, 'lens.targetRank', 'int', 1, V);
    const topProb = grid(l.topProb, 'lens.topProb', 'prob', 0, 1);
    for (let li = 0; li <= L; li++)
      for (let t = 0; t < T; t++) {
        const missing = [targetProb[li][t], targetRank[li][t], topId[li][t], topProb[li][t]].filter((v) => v === null).length;
        if (missing !== 0 && missing !== 4) reject(c, `lens[${li}][${t}]`, 'is computed in some of the four lens grids and missing in others.');
      }
    if (targetProb.some((row) => row[T - 1] === null)) reject(c, 'lens.targetProb', 'lacks the last position, which every analysis computes.');
    return {
      ...(coverage ? { coverage } : {}),
      targetProb,
      targetRank,
      topId,
      topProb,
      tokenText,
      lastTopK: arr(c, l.lastTopK, 'lens.lastTopK', L + 1, undefined, 'rows').map((row, i) =>
        arr(c, row, `lens.lastTopK[${i}]`, undefined, RESULT_CAPS.topK).map((x, k): TopToken => {
          const p = `lens.lastTopK[${i}][${k}]`;
          const t = obj(c, x, p);
          return { id: tokenId(t.id, `${p}.id`), text: str(c, t.text, `${p}.text`, LIMITS.tokenText), prob: prob(c, t.prob, `${p}.prob`) };
        }),
      ),
    };
  });
  const attention = section((): AnalysisResult['attention'] => {
    const a = obj(c, r.attention, 'attention');
    const sm = obj(c, a.segmentMass, 'attention.segmentMass');
    const segmentMass = {} as AnalysisResult['attention']['segmentMass'];
    for (const s of SEGMENTS) segmentMass[s] = numGrid(c, sm[s], `attention.segmentMass.${s}`, L, H, 'prob', 0, 1);
    return {
      lastRowMean: numGrid(c, a.lastRowMean, 'attention.lastRowMean', L, T, 'prob', 0, 1),
      lastRowHeads: arr(c, a.lastRowHeads, 'attention.lastRowHeads', L, undefined, 'layers').map((x, i) => numGrid(c, x, `attention.lastRowHeads[${i}]`, H, T, 'prob', 0, 1)),
      segmentMass,
    };
  });
  const summary = section((): AnalysisResult['summary'] => {
    const s = obj(c, r.summary, 'summary');
    return {
      answerTopLayer: nullable(s.answerTopLayer, (x) => layer(x, 'summary.answerTopLayer')),
      // attention layers are 1..L
      questionAttentionPeakLayer: layer(s.questionAttentionPeakLayer, 'summary.questionAttentionPeakLayer', 1),
      answerAttentionPeakLayer: layer(s.answerAttentionPeakLayer, 'summary.answerAttentionPeakLayer', 1),
    };
  });
  const knockout = r.knockout === undefined ? undefined : section((): KnockoutResult => {
    const k = obj(c, r.knockout, 'knockout');
    const w = int(c, k.window, 'knockout.window', 1, L);
    const sets = arr(c, k.sets, 'knockout.sets', undefined, KNOCKOUT_SETS.length, 'sets').map((x, i) => oneOf(c, x, `knockout.sets[${i}]`, KNOCKOUT_SETS));
    if (sets.length === 0) reject(c, 'knockout.sets', 'is empty: a knockout sweep blocks at least one source set.');
    if (new Set(sets).size !== sets.length) reject(c, 'knockout.sets', 'lists a set twice.');
    // one window per layer: windows[i] is centred on layer i + 1, w layers wide, clipped to 1..L
    const windows = arr(c, k.windows, 'knockout.windows', L, undefined, 'windows').map((x, i): [number, number] => {
      const p = `knockout.windows[${i}]`;
      const win = arr(c, x, p, 2, undefined, 'layers');
      const lo = int(c, win[0], `${p}[0]`, 1, i + 1);
      const hi = int(c, win[1], `${p}[1]`, i + 1, L);
      if (hi - lo + 1 > w) reject(c, p, `spans layers ${lo}–${hi}, wider than the window of ${w} layers.`);
      return [lo, hi];
    });
    const effRaw = obj(c, k.effect, 'knockout.effect');
    for (const key of Object.keys(effRaw)) if (!(sets as string[]).includes(key)) reject(c, 'knockout.effect', `has an effect for ${show(key)}, which is not one of the blocked sets.`);
    const effect: Record<string, (number | null)[]> = {};
    // effect = 100 (p' - p) / p: at least -100; no upper bound in principle, 1e12 is past any float32 ratio
    for (const s of sets) {
      if (effRaw[s] === undefined) reject(c, `knockout.effect.${s}`, `is missing: every blocked set needs one effect per window.`);
      effect[s] = arr(c, effRaw[s], `knockout.effect.${s}`, L, undefined, 'windows').map((v, i) => nullable(v, (x) => num(c, x, `knockout.effect.${s}[${i}]`, -100 - EPS, 1e12)));
    }
    return { window: w, sets, baseProb: prob(c, k.baseProb, 'knockout.baseProb'), windows, effect };
  });
  const relevance = r.relevance === undefined ? undefined : section((): RelevanceSection => {
    const v = obj(c, r.relevance, 'relevance');
    const finite = (x: unknown, p: string) => num(c, x, p, -1e30, 1e30);
    const mrdRaw = obj(c, v.mrd, 'relevance.mrd');
    const cumRaw = obj(c, v.cumulative, 'relevance.cumulative');
    const mrd: Record<string, number | null> = {};
    const cumulative: Record<string, number[]> = {};
    for (const g of Object.keys(cumRaw)) {
      const key = oneOf(c, g, 'relevance.cumulative', SEGMENTS);
      // a group without tokens has no curve (the engine writes [])
      const len = Array.isArray(cumRaw[g]) && (cumRaw[g] as unknown[]).length === 0 ? 0 : L + 1;
      cumulative[key] = numList(c, cumRaw[g], `relevance.cumulative.${g}`, len, 'prob', 0, 1);
    }
    for (const g of Object.keys(mrdRaw)) {
      const key = oneOf(c, g, 'relevance.mrd', SEGMENTS);
      mrd[key] = nullable(mrdRaw[g], (x) => layer(x, `relevance.mrd.${g}`));
      if (mrd[key] !== null && cumulative[key]?.length !== L + 1) reject(c, `relevance.mrd.${g}`, 'names a depth for a group that has no cumulative relevance.');
    }
    return {
      relevance: numGrid(c, v.relevance, 'relevance.relevance', L + 1, T, 'real', -1e30, 1e30),
      targetLogit: finite(v.targetLogit, 'relevance.targetLogit'),
      leakBias: numList(c, v.leakBias, 'relevance.leakBias', L, 'real', -1e30, 1e30),
      leakSoftmax: numList(c, v.leakSoftmax, 'relevance.leakSoftmax', L, 'real', -1e30, 1e30),
      mrd,
      cumulative,
    };
  });
  const phases = r.phases === undefined ? undefined : section((): PhaseDepths => {
    const p = obj(c, r.phases, 'phases');
    // knockout depths are window centres (1..L) of a sweep that is there; MRDs are depths 0..L of relevance that is there
    const d = (k: keyof PhaseDepths, lo: number, from: 'knockout' | 'relevance') =>
      nullable(p[k], (x) => {
        const v = layer(x, `phases.${k}`, lo);
        if (r[from] === undefined) reject(c, `phases.${k}`, `names a depth but the result has no ${from === 'knockout' ? 'knockout sweep' : 'relevance'}.`);
        return v;
      });
    return {
      questionEncodingKnockout: d('questionEncodingKnockout', 1, 'knockout'),
      answerRetrievalKnockout: d('answerRetrievalKnockout', 1, 'knockout'),
      questionEncodingMrd: d('questionEncodingMrd', 0, 'relevance'),
      answerRetrievalMrd: d('answerRetrievalMrd', 0, 'relevance'),
    };
  });
  const timings = section((): AnalysisResult['timings'] => {
    const t = obj(c, r.timings, 'timings');
    const ms = (k: string, optional = false) => (optional && t[k] === undefined ? undefined : num(c, t[k], `timings.${k}`, 0, 1e10));
    const out: AnalysisResult['timings'] = { forwardMs: ms('forwardMs')!, generateMs: ms('generateMs')!, totalMs: ms('totalMs')! };
    const ko = ms('knockoutMs', true);
    const rel = ms('relevanceMs', true);
    const lensMs = ms('lensMs', true);
    if (lensMs !== undefined) out.lensMs = lensMs;
    if (ko !== undefined) out.knockoutMs = ko;
    if (rel !== undefined) out.relevanceMs = rel;
    return out;
  });
  if (c.errors.length || !createdAt || !backend || !input || !tokens || !target || (!generation && !pending?.includes('generation')) || !lens || !attention || !summary || !timings) return null;
  if ((r.knockout !== undefined && !knockout) || (r.relevance !== undefined && !relevance) || (r.phases !== undefined && !phases)) return null;
  const out: AnalysisResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    createdAt,
    backend,
    model,
    input,
    prompt: { text, tokens, target },
    ...(pending?.length ? { pending } : {}),
    ...(generation ? { generation } : {}),
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
  const out = {
    mean: nullable(m.mean, (v) => num(c, v, `${path}.mean`, 0, hi)),
    std: nullable(m.std, (v) => num(c, v, `${path}.std`, 0, hi)),
    n: int(c, m.n, `${path}.n`, 0, maxN),
  };
  // a mean is of n >= 1 values; no values, no mean
  if ((out.mean === null) !== (out.n === 0)) reject(c, path, out.n === 0 ? 'has a mean of no values.' : `has no mean for ${out.n} values.`);
  return out;
}

function langList(c: Checker, x: unknown, path: string): string[] {
  const a = arr(c, x, path, undefined, LANGUAGES.length, 'languages').map((v, i) => oneOf(c, v, `${path}[${i}]`, LANGUAGES));
  if (a.length === 0 || new Set(a).size !== a.length) reject(c, path, `${a.length ? 'lists a language twice' : 'is empty'}: 1 to ${LANGUAGES.length} distinct language codes are needed.`);
  return a;
}

function checkMatrix(c: Checker, r: Record<string, unknown>): MatrixResult | null {
  checkHeader(c, r, 'matrix');
  const createdAt = section(() => date(c, r.createdAt, 'createdAt'));
  const backend = section(() => oneOf(c, r.backend, 'backend', BACKENDS));
  const model = checkModel(c, r.model);
  const L = model.numLayers;
  const template = section(() => oneOf(c, r.template, 'template', TEMPLATES));
  const contextLangs = langList(c, r.contextLangs, 'contextLangs');
  const questionLangs = langList(c, r.questionLangs, 'questionLangs');
  const exampleIds = arr(c, r.exampleIds, 'exampleIds', undefined, RESULT_CAPS.examples, 'examples').map((x, i) => str(c, x, `exampleIds[${i}]`, LIMITS.exampleId));
  const known = new Set(exampleIds);
  const N = exampleIds.length;
  const window = section(() => nullable(r.window, (x) => int(c, x, 'window', 1, L)));
  const complete = section(() => {
    if (typeof r.complete !== 'boolean') reject(c, 'complete', wrong('true or false', r.complete));
    return r.complete as boolean;
  });
  const depth = (x: unknown, p: string, lo: number) => nullable(x, (v) => int(c, v, p, lo, L));
  const seen = new Set<string>();
  const cells = section(() =>
    arr(c, r.cells, 'cells', undefined, contextLangs.length * questionLangs.length, 'pairs').map((x, i): MatrixCell => {
      const p = `cells[${i}]`;
      const cell = obj(c, x, p);
      const cl = oneOf(c, cell.contextLang, `${p}.contextLang`, contextLangs);
      const ql = oneOf(c, cell.questionLang, `${p}.questionLang`, questionLangs);
      if (seen.has(`${cl}-${ql}`)) reject(c, p, `repeats the pair ${cl}-${ql}.`);
      seen.add(`${cl}-${ql}`);
      const cn = int(c, cell.n, `${p}.n`, 0, N);
      const items = arr(c, cell.items, `${p}.items`, undefined, N, 'examples').map((y, k): MatrixItem => {
        const q = `${p}.items[${k}]`;
        const it = obj(c, y, q);
        const exampleId = str(c, it.exampleId, `${q}.exampleId`, LIMITS.exampleId);
        if (!known.has(exampleId)) reject(c, `${q}.exampleId`, `names ${show(exampleId)}, which is not in the list of examples.`);
        return {
          exampleId,
          exactMatch: num(c, it.exactMatch, `${q}.exactMatch`, 0, 1),
          f1: num(c, it.f1, `${q}.f1`, 0, 1),
          targetProb: prob(c, it.targetProb, `${q}.targetProb`),
          questionDepth: depth(it.questionDepth, `${q}.questionDepth`, 1),
          answerDepth: depth(it.answerDepth, `${q}.answerDepth`, 1),
          questionMrd: depth(it.questionMrd, `${q}.questionMrd`, 0),
          answerMrd: depth(it.answerMrd, `${q}.answerMrd`, 0),
        };
      });
      return {
        contextLang: cl,
        questionLang: ql,
        n: cn,
        exactMatch: num(c, cell.exactMatch, `${p}.exactMatch`, 0, 1),
        f1: num(c, cell.f1, `${p}.f1`, 0, 1),
        targetProb: prob(c, cell.targetProb, `${p}.targetProb`),
        questionDepth: checkMeanStd(c, cell.questionDepth, `${p}.questionDepth`, L, cn),
        answerDepth: checkMeanStd(c, cell.answerDepth, `${p}.answerDepth`, L, cn),
        questionMrd: checkMeanStd(c, cell.questionMrd, `${p}.questionMrd`, L, cn),
        answerMrd: checkMeanStd(c, cell.answerMrd, `${p}.answerMrd`, L, cn),
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
    c.fail('cells', `has ${cells.length} pairs; a complete matrix of ${contextLangs.length} × ${questionLangs.length} languages has ${contextLangs.length * questionLangs.length}.`);
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
      return { ok: false, errors: [`This is not an xlens result: its "kind" is ${input.kind === undefined ? 'missing' : show(input.kind)}; an xlens result is an "analysis" or a "matrix".`] };
    }
    const result = input.kind === 'analysis' ? checkAnalysis(c, input) : checkMatrix(c, input);
    if (result && !c.errors.length) for (const p of fieldProblems(input, result, MAX_ERRORS + 1)) c.note(fieldProblemMessage(p));
    if (result && !c.errors.length) return { ok: true, result: inSchemaOrder(result) };
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
  // one byte-order mark is how some editors save UTF-8; a second one is not JSON
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) return { ok: false, errors: ['The file is empty.'] };
  if (body.charCodeAt(0) === 0xfeff) return { ok: false, errors: ['The file starts with two byte-order marks (U+FEFF); it is not an xlens result file as saved by xlens. Save it again as UTF-8 JSON.'] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/\s+/g, ' ').slice(0, 120) : '';
    return { ok: false, errors: [`The file is not valid JSON (it may be truncated or not an xlens result file)${detail ? `: ${detail}` : ''}.`] };
  }
  return validateResult(value);
}

// --- export --------------------------------------------------------------------------------

/** The versioned JSON of a result, as a file (keys in the schema's order, so a file read and saved again is the same text). */
export function resultToJSON(result: XlensResult): string {
  return JSON.stringify(inSchemaOrder(result), null, 1) + '\n';
}

/**
 * One CSV cell: quoted when it holds a quote, comma, or line break; text that a spreadsheet
 * would run as a formula gets a leading apostrophe (OWASP "CSV injection"): text starting with
 * = + - @, tab, carriage return or line feed, also after any leading spaces or line breaks
 * (spreadsheets skip them). Control characters are written as visible symbols (NUL as ␀, ESC as
 * ␛), never raw, and lone surrogates as U+FFFD. Numbers are written as numbers, so negative
 * values stay numeric.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = visibleControls(v);
  if (/^[\s\p{Zs}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u.test(s) || /^[\t\r\n]/.test(s)) s = `'${s}`;
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

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
type CsvValue = string | number | null | undefined;

/**
 * The matrix CSV's columns, from the schema's fields of a cell: every single value, and
 * `{ mean, std, n }` as three columns (name, name_std, name_n); the per-example lists are not
 * columns. A new cell metric in the schema is a new column.
 */
interface CsvColumn {
  header: string[];
  cell: (x: Record<string, unknown>) => CsvValue[];
}
const MATRIX_CSV_COLUMNS: CsvColumn[] = Object.entries(MATRIX_SCHEMA.f.cells.of.f).flatMap(([k, n]: [string, SchemaNode]): CsvColumn[] => {
  const name = snake(k);
  if (n.k === 'list' || n.k === 'map') return [];
  if (n.k === 'obj') {
    const cell = (x: Record<string, unknown>) => {
      const v = x[k] as MeanStd | undefined;
      return v ? [v.mean, v.std, v.n] : [null, null, null];
    };
    return [{ header: [name, `${name}_std`, `${name}_n`], cell }];
  }
  return [{ header: [name], cell: (x) => [x[k] as CsvValue] }];
});

/** MatrixResult -> CSV: one row per (context language, question language) with every metric and std, then the pooled row ("all", "all"). */
export function matrixToCSV(m: MatrixResult): string {
  const rows: CsvValue[][] = [MATRIX_CSV_COLUMNS.flatMap((c) => c.header)];
  for (const c of m.cells) rows.push(MATRIX_CSV_COLUMNS.flatMap((col) => col.cell(c as unknown as Record<string, unknown>)));
  // the pooled row has the overall fields; the languages are "all", a per-pair count or mean it lacks is empty
  const all: Record<string, unknown> = { contextLang: 'all', questionLang: 'all', ...m.overall };
  rows.push(MATRIX_CSV_COLUMNS.flatMap((col) => col.cell(all)));
  return csvRows(rows);
}

export function resultToCSV(r: XlensResult): string {
  return r.kind === 'analysis' ? analysisToCSV(r) : matrixToCSV(r);
}
