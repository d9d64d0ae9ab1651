// Generators for tests, by class, not single examples: valid results of any shape (the
// invariants the engine guarantees, built from a seeded PRNG), and for each class of hostile
// input a family of mutations: cross-field inconsistencies, size amplification past the caps,
// bidirectional and invisible characters, lone surrogates, spreadsheet formulas, hub URLs.
// Used by Vitest (validator, fuzz, exports) and by Playwright (crash, freeze, requests).
import { SCHEMA_VERSION } from '../../src/engine/result';
import type { AnalysisResult, MatrixCell, MatrixResult, XlensResult } from '../../src/engine/result';
import type { Segment } from '../../src/engine/text/prompt';
import { RESULT_CAPS } from '../../src/state/result-limits';
import { mulberry32 } from '../../src/data/xquad';
import { matrixCell, matrixOverall } from '../../src/engine/analyses/matrix-cells';

export type Rand = () => number;

/** mulberry32 (the XQuAD sample's generator): small, fast, reproducible */
export const seeded: (seed: number) => Rand = mulberry32;
export const randInt = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
export const pickOne = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

// --- strings by class ---------------------------------------------------------------------

/** bidirectional controls: embeddings, overrides, isolates, marks */
export const BIDI_CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'] as const;
/** invisible characters: zero-width space/joiners, word joiner, BOM, soft hyphen, NUL, other C0 controls */
export const INVISIBLES = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u0000', '\u0001', '\u001B', '\u007F', '\u180E'] as const;
export const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'] as const;
/** what a spreadsheet may run as a formula, after the prefixes it skips */
export const FORMULA_STARTS = ['=', '+', '-', '@', '\t=', '\r=', '\n=', ' =', '  +', '\u00A0=', '\u3000@', ' \n-', '\t\t@'] as const;

/** a string with `n` characters of one invisible/bidi class mixed into `s` */
export function sprinkle(rand: Rand, s: string, chars: readonly string[], n: number): string {
  let out = s;
  for (let i = 0; i < n; i++) {
    const at = randInt(rand, 0, out.length);
    out = out.slice(0, at) + pickOne(rand, chars) + out.slice(at);
  }
  return out;
}

const WORDS: Record<string, string[]> = {
  latin: ['Ana', ' lives', ' in', ' Lisbon', '.', ' Where', ' does', '?', ' the', ' river'],
  arabic: ['أحمد', ' يعيش', ' في', ' القاهرة', '.', ' أين', '؟'],
  han: ['玛', '丽', '住', '在', '北', '京', '。', '谁'],
  thai: ['มาลี', 'อาศัย', 'อยู่', 'ที่', 'เชียงใหม่'],
  bytes: ['', '\u00e2', '\u0120', '\u010a'],
};

function tokenTextFor(rand: Rand, script: keyof typeof WORDS): string {
  return pickOne(rand, WORDS[script]);
}

// --- valid results -------------------------------------------------------------------------

export interface AnalysisShape {
  L: number;
  H: number;
  T: number;
  V?: number;
  knockout?: boolean;
  relevance?: boolean;
  window?: number;
  script?: keyof typeof WORDS;
  /** fill grids with this value instead of random ones (zeros compress like a zip bomb) */
  constant?: number;
  modelId?: string;
  /**
   * schema 2's variants: a lens over some positions only, and a partial result whose answer is still being
   * written; default: each at random (seeded), false: a complete result with every lens cell
   */
  partial?: boolean;
}

/**
 * A valid AnalysisResult of the given shape with every invariant the engine guarantees: a
 * template/context/answer/context/question/template token layout, probabilities in [0, 1], one
 * knockout window per layer centred on it, phase depths from the sections present.
 */
export function genAnalysis(rand: Rand, shape: AnalysisShape): AnalysisResult {
  const { L, H, T } = shape;
  const V = shape.V ?? 1000;
  const script = shape.script ?? 'latin';
  const val = (f: () => number) => (shape.constant !== undefined ? shape.constant : f());
  const p = () => val(() => Math.round(rand() * 1e4) / 1e4);
  // segment layout by relative position, so every T >= 1 is possible
  const segAt = (t: number): Segment => {
    if (t === T - 1) return 'template';
    const x = t / T;
    return x < 0.05 ? 'template' : x < 0.4 ? 'context' : x < 0.5 ? 'answer' : x < 0.6 ? 'context' : x < 0.9 ? 'question' : 'template';
  };
  let text = '';
  const tokens = Array.from({ length: T }, (_, t) => {
    const s = tokenTextFor(rand, segAt(t) === 'template' ? 'latin' : script);
    const start = text.length;
    text += s;
    return { id: randInt(rand, 0, V - 1), text: s, segment: segAt(t), start, end: text.length };
  });
  const grid = (rows: number, cols: number, f: () => number) => Array.from({ length: rows }, () => Array.from({ length: cols }, f));
  const topId = grid(L + 1, T, () => (shape.constant !== undefined ? 0 : randInt(rand, 0, Math.min(V, 50) - 1)));
  const tokenText: Record<string, string> = {};
  for (const row of topId) for (const id of row) tokenText[String(id)] ??= tokenTextFor(rand, script);
  const heads = Array.from({ length: L }, () => grid(H, T, p));
  const segs: Segment[] = ['context', 'answer', 'question', 'template'];
  const segmentMass = Object.fromEntries(segs.map((s) => [s, grid(L, H, () => p() / 4)])) as Record<Segment, number[][]>;
  const target = { id: randInt(rand, 0, V - 1), text: ' Lisbon' };
  const r: AnalysisResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analysis',
    createdAt: '2025-11-06T10:20:30.000Z',
    backend: 'wasm',
    model: { id: shape.modelId ?? 'xlens-fixtures/generated', family: 'llama', numLayers: L, numHeads: H, numKvHeads: H, hiddenSize: 64, vocabSize: V },
    input: { contextLang: 'en', questionLang: 'en', exampleId: null, context: 'Ana lives in Lisbon.', question: 'Where does Ana live?', answer: 'Lisbon', template: 'plain' },
    prompt: { text, tokens, target },
    generation: { ids: [target.id], text: ' Lisbon', answer: 'Lisbon', exactMatch: 1, f1: 1 },
    lens: {
      targetProb: grid(L + 1, T, p),
      targetRank: grid(L + 1, T, () => (shape.constant !== undefined ? 1 : randInt(rand, 1, V))),
      topId,
      topProb: grid(L + 1, T, p),
      tokenText,
      lastTopK: Array.from({ length: L + 1 }, () => Array.from({ length: Math.min(10, V) }, (_, k) => ({ id: k, text: tokenTextFor(rand, script), prob: p() }))),
    },
    attention: { lastRowMean: grid(L, T, p), lastRowHeads: heads, segmentMass },
    summary: { answerTopLayer: rand() < 0.2 ? null : randInt(rand, 0, L), questionAttentionPeakLayer: randInt(rand, 1, L), answerAttentionPeakLayer: randInt(rand, 1, L) },
    timings: { forwardMs: 10, generateMs: 5, totalMs: 20 },
  };
  // schema 2: a lens that covers some positions only (the last always), and partial results
  if (shape.partial !== false && rand() < 0.3) {
    r.lens.coverage = 'phases';
    for (let t = 0; t < T - 1; t++) if (rand() < 0.5) for (let l = 0; l <= L; l++) for (const g of [r.lens.targetProb, r.lens.targetRank, r.lens.topId, r.lens.topProb]) g[l][t] = null;
  }
  if (shape.partial !== false && rand() < 0.15) {
    r.pending = ['generation', 'lens'];
    delete r.generation;
  }
  if (shape.knockout) {
    const w = shape.window ?? Math.max(1, Math.round(L / 4));
    const windows = Array.from({ length: L }, (_, i): [number, number] => {
      const lo = i + 1 - Math.floor((w - 1) / 2);
      return [Math.max(1, lo), Math.min(L, lo + w - 1)];
    });
    const sets = ['question', 'answer', 'context', 'template'] as const;
    r.knockout = {
      window: w,
      sets: [...sets],
      baseProb: p(),
      windows,
      effect: Object.fromEntries(sets.map((s) => [s, windows.map(() => (rand() < 0.1 ? null : val(() => Math.round((rand() * 150 - 100) * 10) / 10 + 0)))])),
    };
  }
  if (shape.relevance) {
    const cum = () => {
      let c = 0;
      return Array.from({ length: L + 1 }, (_, l) => (l === L ? 1 : (c = Math.min(1, c + rand() / L))));
    };
    const cumulative = Object.fromEntries(segs.map((s) => [s, cum()]));
    const mrd = Object.fromEntries(segs.map((s) => [s, cumulative[s].findIndex((v) => v >= 0.95)]));
    r.relevance = {
      relevance: grid(L + 1, T, () => val(() => Math.round((rand() * 2 - 1) * 1e4) / 1e4)),
      targetLogit: 5,
      leakBias: Array.from({ length: L }, () => 0),
      leakSoftmax: Array.from({ length: L }, () => 0),
      mrd,
      cumulative,
    };
  }
  if (shape.knockout || shape.relevance) {
    r.phases = {
      questionEncodingKnockout: shape.knockout ? randInt(rand, 1, L) : null,
      answerRetrievalKnockout: shape.knockout && rand() < 0.8 ? randInt(rand, 1, L) : null,
      questionEncodingMrd: r.relevance ? r.relevance.mrd.question : null,
      answerRetrievalMrd: r.relevance ? r.relevance.mrd.answer : null,
    };
  }
  return r;
}

export interface MatrixShape {
  contextLangs: string[];
  questionLangs: string[];
  N: number;
  L: number;
  depths?: boolean;
  complete?: boolean;
}

export function genMatrix(rand: Rand, shape: MatrixShape): MatrixResult {
  const exampleIds = Array.from({ length: shape.N }, (_, i) => `ex-${i}`);
  const depth = () => (shape.depths && rand() < 0.8 ? randInt(rand, 1, shape.L) : null);
  const cells: MatrixCell[] = [];
  for (const cl of shape.contextLangs) {
    for (const ql of shape.questionLangs) {
      if (shape.complete === false && rand() < 0.3) continue;
      const items = exampleIds.map((exampleId) => ({ exampleId, exactMatch: rand() < 0.5 ? 1 : 0, f1: rand(), targetProb: rand(), questionDepth: depth(), answerDepth: depth(), questionMrd: null, answerMrd: null }));
      cells.push(matrixCell(cl, ql, items));
    }
  }
  const all = cells.flatMap((c) => c.items);
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'matrix',
    createdAt: '2025-11-06T10:20:30.000Z',
    backend: 'wasm',
    model: { id: 'xlens-fixtures/generated', family: 'llama', numLayers: shape.L, numHeads: 2, numKvHeads: 2, hiddenSize: 64, vocabSize: 1000 },
    template: 'plain',
    contextLangs: shape.contextLangs,
    questionLangs: shape.questionLangs,
    exampleIds,
    window: shape.depths ? Math.max(1, Math.round(shape.L / 4)) : null,
    cells,
    overall: matrixOverall(all),
    complete: shape.complete ?? true,
  };
}

/** a random valid shape: small and moderate layers, heads and tokens, with or without each section */
export function randomShape(rand: Rand): AnalysisShape {
  return {
    L: pickOne(rand, [1, 2, 3, 5, 8, 12, 24]),
    H: pickOne(rand, [1, 2, 3, 4, 8]),
    T: pickOne(rand, [1, 2, 3, 7, 20, 60]),
    V: pickOne(rand, [60, 1000, 151936]),
    knockout: rand() < 0.7,
    relevance: rand() < 0.7,
    window: rand() < 0.5 ? undefined : randInt(rand, 1, 3),
    script: pickOne(rand, ['latin', 'arabic', 'han', 'thai', 'bytes'] as const),
  };
}

/** a random valid analysis (window kept within the layers) */
export function randomAnalysis(rand: Rand): AnalysisResult {
  const s = randomShape(rand);
  if (s.window !== undefined) s.window = Math.min(s.window, s.L);
  return genAnalysis(rand, s);
}

// --- cross-field inconsistencies -------------------------------------------------------------

export interface Breaker<R extends XlensResult = AnalysisResult> {
  /** the class of inconsistency, as a test name */
  name: string;
  /** whether it applies to this result (e.g. needs a knockout section) */
  applies(r: R): boolean;
  /** break one invariant in place */
  apply(r: R, rand: Rand): void;
}

const L_ = (r: AnalysisResult) => r.model.numLayers;
const T_ = (r: AnalysisResult) => r.prompt.tokens.length;
const hasKo = (r: AnalysisResult) => !!r.knockout;
const hasRel = (r: AnalysisResult) => !!r.relevance;
const always = () => true;

/** each breaks one invariant a view relies on, while every field keeps a valid type */
export const ANALYSIS_BREAKERS: Breaker[] = [
  { name: 'knockout: no sets, effects present', applies: hasKo, apply: (r) => void (r.knockout!.sets = []) },
  { name: 'knockout: no sets, no effects', applies: hasKo, apply: (r) => void ((r.knockout!.sets = []), (r.knockout!.effect = {})) },
  { name: 'knockout: no windows, no effects', applies: hasKo, apply: (r) => void ((r.knockout!.windows = []), (r.knockout!.effect = Object.fromEntries(r.knockout!.sets.map((s) => [s, []])))) },
  { name: 'knockout: fewer windows than layers', applies: (r) => hasKo(r) && L_(r) > 1, apply: (r, rand) => { const k = r.knockout!; const n = randInt(rand, 0, L_(r) - 1); k.windows = k.windows.slice(0, n); for (const s of k.sets) k.effect[s] = k.effect[s].slice(0, n); } },
  { name: 'knockout: more windows than layers', applies: hasKo, apply: (r) => { const k = r.knockout!; k.windows.push([L_(r), L_(r)]); for (const s of k.sets) k.effect[s].push(0); } },
  { name: 'knockout: an effect list shorter than the windows', applies: hasKo, apply: (r, rand) => { const k = r.knockout!; k.effect[pickOne(rand, k.sets)].pop(); } },
  { name: 'knockout: an effect list longer than the windows', applies: hasKo, apply: (r, rand) => void r.knockout!.effect[pickOne(rand, r.knockout!.sets)].push(1) },
  { name: 'knockout: a set without effects', applies: hasKo, apply: (r, rand) => void delete r.knockout!.effect[pickOne(rand, r.knockout!.sets)] },
  { name: 'knockout: effects for a set not blocked', applies: (r) => hasKo(r) && r.knockout!.sets.length > 1, apply: (r) => void r.knockout!.sets.pop() },
  { name: 'knockout: a reversed window', applies: (r) => hasKo(r) && L_(r) > 1, apply: (r, rand) => { const i = randInt(rand, 0, L_(r) - 2); r.knockout!.windows[i] = [i + 2, i + 1]; } },
  { name: 'knockout: a window past the last layer', applies: hasKo, apply: (r, rand) => { const i = randInt(rand, 0, L_(r) - 1); r.knockout!.windows[i] = [i + 1, L_(r) + 1]; } },
  { name: 'knockout: a window on the embeddings (layer 0)', applies: hasKo, apply: (r) => void (r.knockout!.windows[0] = [0, 1]) },
  { name: 'knockout: a window not around its layer', applies: (r) => hasKo(r) && L_(r) > 2, apply: (r) => void (r.knockout!.windows[0] = [L_(r), L_(r)]) },
  { name: 'knockout: a window wider than the window size', applies: (r) => hasKo(r) && L_(r) > 2 && r.knockout!.window < L_(r), apply: (r) => void (r.knockout!.windows[0] = [1, L_(r)]) },
  { name: 'knockout: window size past the layers', applies: hasKo, apply: (r) => void (r.knockout!.window = L_(r) + 1) },
  { name: 'knockout: a set listed twice', applies: hasKo, apply: (r) => void r.knockout!.sets.push(r.knockout!.sets[0]) },
  { name: 'phases: a knockout depth without a knockout sweep', applies: (r) => !hasKo(r), apply: (r) => void (r.phases = { questionEncodingKnockout: 1, answerRetrievalKnockout: null, questionEncodingMrd: null, answerRetrievalMrd: null }) },
  { name: 'phases: a knockout depth on the embeddings', applies: hasKo, apply: (r) => void (r.phases = { ...(r.phases ?? { questionEncodingMrd: null, answerRetrievalMrd: null, answerRetrievalKnockout: null }), questionEncodingKnockout: 0 }) },
  { name: 'phases: a depth past the last layer', applies: (r) => !!r.phases, apply: (r, rand) => void (r.phases![pickOne(rand, ['questionEncodingKnockout', 'answerRetrievalKnockout', 'questionEncodingMrd', 'answerRetrievalMrd'] as const)] = L_(r) + 1) },
  { name: 'phases: an MRD without relevance', applies: (r) => !hasRel(r), apply: (r) => void (r.phases = { questionEncodingKnockout: null, answerRetrievalKnockout: null, questionEncodingMrd: 0, answerRetrievalMrd: null }) },
  { name: 'relevance: an MRD for a group without a curve', applies: hasRel, apply: (r) => void (r.relevance!.cumulative.question = []) },
  { name: 'relevance: a curve of the wrong length', applies: hasRel, apply: (r, rand) => void r.relevance!.cumulative[pickOne(rand, ['question', 'answer', 'context', 'template'])].pop() },
  { name: 'relevance: leak lists of the wrong length', applies: hasRel, apply: (r) => void r.relevance!.leakBias.push(0) },
  { name: 'relevance: a grid row short of the tokens', applies: hasRel, apply: (r, rand) => void r.relevance!.relevance[randInt(rand, 0, L_(r))].pop() },
  { name: 'relevance: one depth row too few', applies: hasRel, apply: (r) => void r.relevance!.relevance.pop() },
  { name: 'summary: an attention peak on the embeddings', applies: always, apply: (r) => void (r.summary.questionAttentionPeakLayer = 0) },
  { name: 'summary: a peak past the last layer', applies: always, apply: (r) => void (r.summary.answerAttentionPeakLayer = L_(r) + 1) },
  { name: 'summary: the answer on top past the last layer', applies: always, apply: (r) => void (r.summary.answerTopLayer = L_(r) + 1) },
  { name: 'lens: a grid with one row too many', applies: always, apply: (r, rand) => void r.lens[pickOne(rand, ['targetProb', 'targetRank', 'topProb'] as const)].push(new Array(T_(r)).fill(1)) },
  { name: 'lens: a row with a token too many', applies: always, apply: (r, rand) => void r.lens.targetProb[randInt(rand, 0, L_(r))].push(0) },
  { name: 'lens: a top-1 id without text', applies: always, apply: (r) => void (r.lens.tokenText = {}) },
  { name: 'lens: a top-1 id past the vocabulary', applies: always, apply: (r) => { r.lens.topId[0][0] = r.model.vocabSize; r.lens.tokenText[String(r.model.vocabSize)] = 'x'; } },
  { name: 'lens: a rank past the vocabulary', applies: always, apply: (r) => void (r.lens.targetRank[0][0] = r.model.vocabSize + 1) },
  { name: 'lens: top-k rows for the wrong number of layers', applies: always, apply: (r) => void r.lens.lastTopK.pop() },
  { name: 'attention: heads for the wrong number of layers', applies: always, apply: (r) => void r.attention.lastRowHeads.pop() },
  { name: 'attention: one head too many', applies: always, apply: (r, rand) => void r.attention.lastRowHeads[randInt(rand, 0, L_(r) - 1)].push(new Array(T_(r)).fill(0)) },
  { name: 'attention: a segment without masses', applies: always, apply: (r, rand) => void delete (r.attention.segmentMass as Record<string, unknown>)[pickOne(rand, ['context', 'answer', 'question', 'template'])] },
  { name: 'attention: segment masses for the wrong number of heads', applies: always, apply: (r) => void r.attention.segmentMass.question[0].push(0) },
  { name: 'attention: mean row short of the tokens', applies: always, apply: (r) => void r.attention.lastRowMean[0].pop() },
  { name: 'model: more layers than the grids have', applies: always, apply: (r) => void (r.model.numLayers += 1) },
  { name: 'model: fewer heads than the attention has', applies: (r) => r.model.numHeads > 1, apply: (r) => void ((r.model.numHeads -= 1), (r.model.numKvHeads = 1)) },
  { name: 'model: more key/value heads than heads', applies: always, apply: (r) => void (r.model.numKvHeads = r.model.numHeads + 1) },
  { name: 'model: a vocabulary smaller than the token ids', applies: always, apply: (r) => void (r.model.vocabSize = 1) },
  { name: 'prompt: no tokens', applies: always, apply: (r) => void (r.prompt.tokens = []) },
  { name: 'prompt: a token that ends before it starts', applies: always, apply: (r) => { const t = r.prompt.tokens[r.prompt.tokens.length - 1]; r.prompt.text += 'xx'; t.start = r.prompt.text.length; t.end = t.start - 1; } },
  { name: 'prompt: a token past the prompt text', applies: always, apply: (r) => void (r.prompt.tokens[0].end = r.prompt.text.length + 5) },
  { name: 'prompt: a token id past the vocabulary', applies: always, apply: (r) => void (r.prompt.tokens[0].id = r.model.vocabSize) },
  { name: 'prompt: a target id past the vocabulary', applies: always, apply: (r) => void (r.prompt.target.id = r.model.vocabSize + 7) },
  { name: 'generation: an id past the vocabulary', applies: (r) => r.generation !== undefined, apply: (r) => void r.generation!.ids.push(r.model.vocabSize) },
];

export const MATRIX_BREAKERS: Breaker<MatrixResult>[] = [
  { name: 'matrix: a pair whose language is not listed', applies: (m) => m.cells.length > 0, apply: (m) => void (m.cells[0].contextLang = m.contextLangs.includes('th') ? 'ro' : 'th') },
  { name: 'matrix: a pair listed twice', applies: (m) => m.cells.length > 0, apply: (m) => void m.cells.push(structuredClone(m.cells[0])) },
  { name: 'matrix: an item for an example not listed', applies: (m) => m.cells.some((c) => c.items.length), apply: (m) => void (m.cells.find((c) => c.items.length)!.items[0].exampleId = 'no-such-example') },
  { name: 'matrix: more examples in a pair than listed', applies: (m) => m.cells.length > 0, apply: (m) => void (m.cells[0].n = m.exampleIds.length + 1) },
  { name: 'matrix: a depth count above the pair count', applies: (m) => m.cells.length > 0, apply: (m) => void (m.cells[0].questionDepth = { mean: 1, std: 0, n: m.cells[0].n + 1 }) },
  { name: 'matrix: a mean of no values', applies: (m) => m.cells.length > 0, apply: (m) => void (m.cells[0].answerMrd = { mean: 1, std: 0, n: 0 }) },
  { name: 'matrix: values without a mean', applies: (m) => m.cells.length > 0 && m.cells[0].n > 0, apply: (m) => void (m.cells[0].answerDepth = { mean: null, std: null, n: 1 }) },
  { name: 'matrix: complete with pairs missing', applies: (m) => m.cells.length > 0, apply: (m) => void ((m.cells = m.cells.slice(1)), (m.complete = true)) },
  { name: 'matrix: a depth past the last layer', applies: (m) => m.cells.some((c) => c.items.length), apply: (m) => void (m.cells.find((c) => c.items.length)!.items[0].questionDepth = m.model.numLayers + 1) },
  { name: 'matrix: a knockout window past the layers', applies: () => true, apply: (m) => void (m.window = m.model.numLayers + 1) },
];

// --- size amplification -----------------------------------------------------------------------

/** a shape past each cap by `factor` (>= 1) while the other dimensions stay small */
export function oversizedShapes(factor = 1): { name: string; shape: AnalysisShape }[] {
  const over = (cap: number) => Math.floor(cap * factor) + 1;
  return [
    { name: `${over(RESULT_CAPS.layers)} layers`, shape: { L: over(RESULT_CAPS.layers), H: 1, T: 2, constant: 0 } },
    { name: `${over(RESULT_CAPS.heads)} heads`, shape: { L: 1, H: over(RESULT_CAPS.heads), T: 2, constant: 0 } },
    { name: `${over(RESULT_CAPS.tokens)} tokens`, shape: { L: 1, H: 1, T: over(RESULT_CAPS.tokens), constant: 0 } },
    { name: `a vocabulary of ${over(RESULT_CAPS.vocab)}`, shape: { L: 1, H: 1, T: 2, V: over(RESULT_CAPS.vocab), constant: 0 } },
  ];
}

// --- hub addresses by class -------------------------------------------------------------------

/** hub base URLs a link may name, by class; `https` ones need the user's approval, the rest are refused */
export const HUB_URLS = {
  /** another machine over https: allowed only after the user approves it */
  foreignHttps: ['https://evil.example', 'https://hf-mirror.com', 'https://example.org/hub', 'https://hüggingface.co', 'https://[2001:db8::1]:8443'],
  /** plain http to another machine: never */
  foreignHttp: ['http://evil.example', 'http://example.org:8080/hub', 'http://192.168.1.10:4174', 'http://10.0.0.1'],
  /** link-local and unspecified addresses (cloud metadata): never */
  linkLocal: ['http://169.254.169.254', 'https://169.254.169.254/latest/meta-data', 'http://[fe80::1]', 'http://0.0.0.0:4174', 'https://[fe80::1%25eth0]'],
  /** URLs with credentials: never */
  credentials: ['https://user:secret@huggingface.co', 'https://user@evil.example', 'http://a:b@127.0.0.1:4174'],
  /** not http(s): never */
  schemes: ['ftp://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'ws://127.0.0.1:4174', 'blob:https://x/y'],
  /** localhost over http: only when the page itself is served from localhost, and after approval */
  loopbackHttp: ['http://127.0.0.1:9', 'http://localhost:1', 'http://[::1]:9'],
} as const;
