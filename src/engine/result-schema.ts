// The result schema as data: every field of an AnalysisResult and a MatrixResult, with its
// kind, whether it is optional or nullable, which of the permalink's quantisation rules applies
// to it, and the words docs/result-schema.md shows for it. The types in result.ts are checked
// against it at compile time (the assertions at the end of this file), the validator
// (state/result-file.ts) refuses fields it does not list and its enum lists come from here, the
// permalink quantiser walks it, and the doc's field tables are generated from it
// (tools/result-schema-doc.ts). A new field is one entry here plus its range check.

import { READABLE_SCHEMA_VERSIONS, type AnalysisResult, type MatrixResult } from './result';

/**
 * How the permalink rounds a real number (state/permalink.ts): `prob` a probability or share
 * (also shown as ln p and with 4 decimals), `real` any other real, `relevance` a relevance cell
 * (4 decimals in tooltips; a row is rounded only if its sum shows the same), `knockoutEffect` a
 * knockout effect (rounded only if p' = base·(1 + e/100) shows the same). Absent: kept exact.
 */
export type Quant = 'prob' | 'real' | 'relevance' | 'knockoutEffect';

interface Meta {
  /** the doc table's text for this field (a row of docs/result-schema.md) */
  doc?: string;
  /** the doc row's first column when it is not just the field's path */
  label?: string;
  opt?: boolean;
  nul?: boolean;
}
export interface IntNode extends Meta { k: 'int' }
export interface NumNode extends Meta { k: 'num'; q?: Quant }
export interface StrNode extends Meta { k: 'str' }
export interface BoolNode extends Meta { k: 'bool' }
export interface EnumNode<T extends string | number = string | number> extends Meta { k: 'enum'; of: readonly T[] }
export interface ObjNode<F extends Record<string, SchemaNode> = Record<string, SchemaNode>> extends Meta { k: 'obj'; f: F }
/** a list of items; `pair`: exactly two items (a tuple) */
export interface ListNode<I extends SchemaNode = SchemaNode> extends Meta { k: 'list'; of: I; pair?: boolean }
/** an object used as a map; `keys`: the keys it may have (absent: any) */
export interface MapNode<I extends SchemaNode = SchemaNode, K extends string = string> extends Meta { k: 'map'; of: I; keys?: readonly K[] }
export type SchemaNode = IntNode | NumNode | StrNode | BoolNode | EnumNode | ObjNode | ListNode | MapNode;

// --- builders ---------------------------------------------------------------------------------

const int = (): IntNode => ({ k: 'int' });
const num = (q?: Quant): NumNode => (q ? { k: 'num', q } : { k: 'num' });
const str = (): StrNode => ({ k: 'str' });
const bool = (): BoolNode => ({ k: 'bool' });
const oneOf = <const T extends string | number>(of: readonly T[]): EnumNode<T> => ({ k: 'enum', of });
const obj = <F extends Record<string, SchemaNode>>(f: F): ObjNode<F> => ({ k: 'obj', f });
const list = <I extends SchemaNode>(of: I): ListNode<I> => ({ k: 'list', of });
const pair = <I extends SchemaNode>(of: I): ListNode<I> & { pair: true } => ({ k: 'list', of, pair: true });
const grid = <I extends SchemaNode>(of: I) => list(list(of));
const map = <I extends SchemaNode, const K extends string = string>(of: I, keys?: readonly K[]): MapNode<I, K> => (keys ? { k: 'map', of, keys } : { k: 'map', of });
const opt = <N extends SchemaNode>(n: N): N & { opt: true } => ({ ...n, opt: true });
const nul = <N extends SchemaNode>(n: N): N & { nul: true } => ({ ...n, nul: true });
/** attach the doc row (and its label) to a field */
const doc = <N extends SchemaNode>(n: N, text: string, label?: string): N => ({ ...n, doc: text, ...(label ? { label } : {}) });

// --- value lists --------------------------------------------------------------------------------

export const BACKENDS = ['webgpu', 'wasm'] as const;
export const TEMPLATES = ['plain', 'chat'] as const;
export const WEIGHT_FORMATS = ['fp32', 'int8', 'fp16'] as const;
/** prompt segments; disjoint: context excludes the answer span */
export const RESULT_SEGMENTS = ['context', 'answer', 'question', 'template'] as const;
/** knockout source sets (context = the whole context incl. the answer span) */
export const KNOCKOUT_SETS = ['question', 'answer', 'context', 'template'] as const;
export const ANALYSIS_SECTIONS = ['generation', 'lens', 'knockout', 'relevance'] as const;
export const LENS_COVERAGES = ['last', 'phases', 'all'] as const;

// --- analysis -----------------------------------------------------------------------------------

const model = doc(
  obj({ id: str(), family: str(), numLayers: int(), numHeads: int(), numKvHeads: int(), hiddenSize: int(), vocabSize: int(), weights: opt(oneOf(WEIGHT_FORMATS)) }),
  '`id` (repo id, URL or folder), `family`, `numLayers` L, `numHeads` H, `numKvHeads`, `hiddenSize`, `vocabSize`, optional `weights` (`fp32`, `int8` or `fp16`: the format the weights ran in; absent = fp32, results made before it was recorded; `int8` is int8 weights with 8-bit activations on WASM and int8 weights with fp32 activations on WebGPU and in relevance, and was weights only before issue 12: docs/weights.md)',
);

const idText = obj({ id: int(), text: str() });
const meanStd = obj({ mean: nul(num('real')), std: nul(num('real')), n: int() });

export const ANALYSIS_SCHEMA = obj({
  schemaVersion: doc(oneOf(READABLE_SCHEMA_VERSIONS), '`2` (results made before it: `1`)'),
  kind: doc(oneOf(['analysis']), '`"analysis"`'),
  createdAt: doc(str(), 'ISO time of the run'),
  backend: doc(oneOf(BACKENDS), '`"webgpu"` or `"wasm"`'),
  model,
  input: doc(
    obj({
      contextLang: nul(str()),
      questionLang: nul(str()),
      exampleId: nul(str()),
      context: str(),
      question: str(),
      answer: str(),
      answerStart: opt(int()),
      template: oneOf(TEMPLATES),
    }),
    '`contextLang`, `questionLang` (ISO codes or null for free text), `exampleId` (or null), `context`, `question`, `answer` (gold), `template` (`plain` or `chat`), optional `answerStart` (character offset of the answer span in `context`, for dataset items such as XQuAD\'s whose answer text also occurs earlier; absent = the first occurrence)',
  ),
  prompt: obj({
    text: doc(str(), 'the exact prompt string: `Context: {context}\\nQuestion: {question}\\nAnswer:`, or that text as the user turn of the chat template'),
    tokens: doc(
      list(obj({ id: int(), text: str(), segment: oneOf(RESULT_SEGMENTS), start: int(), end: int() })),
      'every prompt token: `id`, display `text` (byte pieces merged into whole characters and grapheme clusters — a Thai or Devanagari combining mark stays with its base: the first token of a group carries the text, the rest `""`), `segment` (`context`, `answer`, `question`, `template`; disjoint: `context` excludes the answer span), `start`/`end` character offsets in `prompt.text`',
      '`prompt.tokens[]`',
    ),
    target: doc(
      obj({ id: int(), text: str(), leadingWhitespace: opt(list(idText)), alternative: opt(obj({ id: int(), text: str(), prob: num(), targetProb: num() })) }),
      'the **target** every analysis follows (`id`, display `text`; definition below) and, only when there are any, `leadingWhitespace`: the whitespace-only tokens (`id`, `text`) the tokenizer would emit before it, which the analyses skip; and `alternative` (`id`, `text`, `prob`, `targetProb`): the candidate of the other writing (with or without a leading space) when it differs, with its and the target\'s final-layer probability at the last position',
    ),
  }),
  pending: opt(
    doc(
      list(oneOf(ANALYSIS_SECTIONS)),
      'only in the partial results an analysis streams while it runs (the first heatmap comes from the forward pass alone): the sections still to come, of `generation`, `lens`, `knockout`, `relevance`. A finished result has none',
    ),
  ),
  generation: opt(
    doc(
      obj({ ids: list(int()), text: str(), answer: str(), exactMatch: num(), f1: num() }),
      'greedy continuation (stops at the end of the first line of content, or after the gold answer\'s length in tokens plus a margin): `ids`, `text`, `answer` (the first non-empty line, trimmed), `exactMatch` (0/1) and `f1` against `input.answer` in the context language, SQuAD v1.1 normalisation as MLQA extends it (lowercase, punctuation deleted, articles removed; zh and th split per character of their script; `src/engine/analyses/metrics.ts`). Absent only in a partial result whose `pending` lists `generation`',
    ),
  ),
  lens: obj({
    coverage: opt(
      doc(
        oneOf(LENS_COVERAGES),
        'which positions the lens grid covers: `last` (the last position only: the pair matrix), `phases` (the question, the answer span, the template after the question and the last position), `all`. Cells of other positions are `null` in all four grids, never a number; the last position is always computed. The app computes `all` when the whole grid is cheap ((L+1)·T·V·d multiply-adds ≤ 2·10⁹, e.g. the tiny models) or on a hardware GPU, else `phases`, and the rest on demand ("Compute the lens at every position")',
      ),
    ),
    targetProb: doc(grid(nul(num('prob'))), 'logit lens: softmax(W_U · norm_final(h_l(t)))[target], l = 0..L (0 = embeddings), t = prompt position (`null` where not computed)', '`lens.targetProb[l][t]`'),
    targetRank: doc(grid(nul(int())), '1 + number of vocabulary entries with a higher lens probability than the target', '`lens.targetRank[l][t]`'),
    topId: doc(grid(nul(int())), "the lens's top-1 token and its probability; `lens.tokenText[id]` gives display text for every id in `topId`", '`lens.topId[l][t]`, `lens.topProb[l][t]`'),
    topProb: grid(nul(num('prob'))),
    tokenText: map(str()),
    lastTopK: doc(grid(obj({ id: int(), text: str(), prob: num('prob') })), 'the 10 most probable tokens (`id`, `text`, `prob`) at the last position, per layer', '`lens.lastTopK[l]`'),
  }),
  attention: obj({
    lastRowMean: doc(grid(num('prob')), 'attention probability from the last position to position t in layer i+1 (i = 0..L-1), mean over query heads', '`attention.lastRowMean[i][t]`'),
    lastRowHeads: doc(list(grid(num('prob'))), 'the same per query head', '`attention.lastRowHeads[i][h][t]`'),
    segmentMass: doc(map(grid(num('prob')), RESULT_SEGMENTS), 'sum of `lastRowHeads[i][h][t]` over the positions of segment s; per head the four segments sum to 1', '`attention.segmentMass[s][i][h]`'),
  }),
  summary: obj({
    answerTopLayer: doc(nul(int()), 'first layer l whose lens top-1 at the last position is the target, or null'),
    questionAttentionPeakLayer: doc(int(), 'layer (1..L) with the largest head-mean attention mass from the last position on the question, resp. the answer span', '`summary.questionAttentionPeakLayer`, `summary.answerAttentionPeakLayer`'),
    answerAttentionPeakLayer: int(),
  }),
  knockout: opt(
    doc(
      obj({ window: int(), sets: list(oneOf(KNOCKOUT_SETS)), baseProb: num(), windows: list(pair(int())), effect: map(list(nul(num('knockoutEffect')))) }),
      'attention knockout sweep (Geva et al. 2023): `window` w, `sets` (`question`, `answer`, `context` = whole context incl. the answer span, `template`), `baseProb` p, `windows[i]` = [lo, hi] layers blocked for the window centred on layer i+1, `effect[set][i]` = 100 (p\' − p) / p',
    ),
  ),
  relevance: opt(
    doc(
      obj({ relevance: grid(num('relevance')), targetLogit: num(), leakBias: list(num('real')), leakSoftmax: list(num('real')), mrd: map(nul(int())), cumulative: map(list(num('prob'))) }),
      'AttnLRP: `relevance[l][t]` = R_l(t) for l = 0..L, `targetLogit` (Σ_t R_L(t) equals it), per-layer `leakBias` and `leakSoftmax` (non-conserved terms), `mrd[group]` Major Relevance Depth and `cumulative[group][l]` = C_l(G) (definition in `src/engine/analyses/relevance.ts`)',
    ),
  ),
  phases: opt(
    doc(
      obj({ questionEncodingKnockout: nul(int()), answerRetrievalKnockout: nul(int()), questionEncodingMrd: nul(int()), answerRetrievalMrd: nul(int()) }),
      '`questionEncodingKnockout` / `answerRetrievalKnockout`: last layer whose window drops p by ≥ 50% when blocking the question / the answer span (null if none); `questionEncodingMrd` / `answerRetrievalMrd`: MRD of those groups',
    ),
  ),
  timings: doc(
    obj({ forwardMs: num(), generateMs: num(), lensMs: opt(num()), knockoutMs: opt(num()), relevanceMs: opt(num()), totalMs: num() }),
    '`forwardMs`, `generateMs`, `totalMs`; `lensMs`, `knockoutMs`, `relevanceMs` when those ran',
  ),
});

/** the analysis sections the doc lists in their own table */
export const OPTIONAL_SECTIONS = ['knockout', 'relevance', 'phases'] as const;

// --- matrix -------------------------------------------------------------------------------------

const metricDoc = (what: string) => `${what}, as \`{ mean, std, n }\` — population standard deviation over the examples that have a value: the phasing stability`;

export const MATRIX_SCHEMA = obj({
  schemaVersion: doc(oneOf(READABLE_SCHEMA_VERSIONS), 'as in an analysis'),
  kind: doc(oneOf(['matrix']), '`"matrix"`'),
  createdAt: doc(str(), 'ISO time of the run'),
  backend: doc(oneOf(BACKENDS), '`"webgpu"` or `"wasm"`'),
  model: doc(model, 'as in an analysis: `id`, `family`, `numLayers`, `numHeads`, `numKvHeads`, `hiddenSize`, `vocabSize`, optional `weights`'),
  template: doc(oneOf(TEMPLATES), '`plain` or `chat`'),
  contextLangs: doc(list(str()), 'the context and the question languages (ISO codes), each listed once', '`contextLangs`, `questionLangs`'),
  questionLangs: list(str()),
  exampleIds: doc(list(str()), 'the examples analysed in every pair'),
  window: doc(nul(int()), 'knockout window used for the phase depths (null when depths were not computed)'),
  cells: doc(
    list(
      obj({
        contextLang: str(),
        questionLang: str(),
        n: int(),
        exactMatch: num('real'),
        f1: num('real'),
        targetProb: num('prob'),
        questionDepth: meanStd,
        answerDepth: meanStd,
        questionMrd: meanStd,
        answerMrd: meanStd,
        items: list(
          obj({
            exampleId: str(),
            exactMatch: num(),
            f1: num('real'),
            targetProb: num('prob'),
            questionDepth: nul(int()),
            answerDepth: nul(int()),
            questionMrd: nul(int()),
            answerMrd: nul(int()),
          }),
        ),
        skippedTooLong: opt(list(str())),
      }),
    ),
    `one per language pair (\`contextLang\`, \`questionLang\`, \`n\` examples): the means of \`exactMatch\`, \`f1\` and \`targetProb\` (final-layer probability of the target at the last position), and ${metricDoc('`questionDepth`, `answerDepth` (knockout) and `questionMrd`, `answerMrd` (relevance)')}. \`items[]\` keeps every example\'s numbers (\`exampleId\`, \`exactMatch\`, \`f1\`, \`targetProb\`, \`questionDepth\`, \`answerDepth\`, \`questionMrd\`, \`answerMrd\`); optional \`skippedTooLong[]\` names the examples not analysed because their prompt is longer than the model accepts (not in \`n\`, not in the means)`,
    '`cells[]`',
  ),
  overall: doc(
    obj({ exactMatch: num('real'), f1: num('real'), questionDepth: meanStd, answerDepth: meanStd, questionMrd: meanStd, answerMrd: meanStd }),
    'every example of every pair pooled: `exactMatch`, `f1`, `questionDepth`, `answerDepth`, `questionMrd`, `answerMrd` (`{ mean, std, n }`)',
  ),
  complete: doc(bool(), 'whether every pair was analysed (a stopped run is saved incomplete)'),
});

export const RESULT_SCHEMAS = { analysis: ANALYSIS_SCHEMA, matrix: MATRIX_SCHEMA } as const;

// --- the types the schema describes -------------------------------------------------------------

type Value<N> = N extends IntNode | NumNode
  ? number
  : N extends StrNode
    ? string
    : N extends BoolNode
      ? boolean
      : N extends EnumNode<infer T>
        ? T
        : N extends ListNode<infer I>
          ? N extends { pair: true }
            ? [Infer<I>, Infer<I>]
            : Infer<I>[]
          : N extends MapNode<infer I, infer K>
            ? Record<K, Infer<I>>
            : N extends ObjNode<infer F>
              ? InferObject<F>
              : never;
type Flat<T> = { [K in keyof T]: T[K] };
type InferObject<F> = Flat<{ [K in keyof F as F[K] extends { opt: true } ? never : K]: Infer<F[K]> } & { [K in keyof F as F[K] extends { opt: true } ? K : never]?: Infer<F[K]> }>;
/** the value a schema node describes */
export type Infer<N> = N extends { nul: true } ? Value<N> | null : Value<N>;

// Compile-time check that the hand-written types in result.ts (kept for their comments) and
// the schema describe the same values: a field in one and not the other, a different kind, an
// optional field required in the other, or a missing null fails `npm run typecheck` here.
type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const analysisAgrees: Agree<Infer<typeof ANALYSIS_SCHEMA>, AnalysisResult> = true;
const matrixAgrees: Agree<Infer<typeof MATRIX_SCHEMA>, MatrixResult> = true;
void analysisAgrees;
void matrixAgrees;
