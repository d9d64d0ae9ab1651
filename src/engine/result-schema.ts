// The result schema as data: every field of an AnalysisResult and a MatrixResult, with its
// kind, whether it is optional or nullable, and which of the permalink's quantisation rules
// applies to it. The types in result.ts are checked against it at compile time (the assertions
// at the end of this file); the validator (state/result-file.ts) refuses fields it does not
// list, takes its value lists from here and copies fields in its order; the permalink quantiser
// and the matrix CSV's columns walk it; docs/result-schema.md's field tables are generated from
// it with the words in result-schema-docs.ts (kept apart so they stay out of the app bundle).
// A new field is one entry here, its range check in the validator, and its words.

import { READABLE_SCHEMA_VERSIONS, type AnalysisResult, type MatrixResult } from './result';

/**
 * How the permalink rounds a real number (state/permalink.ts): `prob` a probability or share
 * (also shown as ln p and with 4 decimals), `real` any other real, `relevance` a relevance cell
 * (4 decimals in tooltips; a row is rounded only if its sum shows the same), `knockoutEffect` a
 * knockout effect (rounded only if p' = base·(1 + e/100) shows the same). Absent: kept exact.
 */
export type Quant = 'prob' | 'real' | 'relevance' | 'knockoutEffect';

interface Meta {
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

const model = obj({ id: str(), family: str(), numLayers: int(), numHeads: int(), numKvHeads: int(), hiddenSize: int(), vocabSize: int(), weights: opt(oneOf(WEIGHT_FORMATS)) });

const idText = obj({ id: int(), text: str() });
const meanStd = obj({ mean: nul(num('real')), std: nul(num('real')), n: int() });

export const ANALYSIS_SCHEMA = obj({
  schemaVersion: oneOf(READABLE_SCHEMA_VERSIONS),
  kind: oneOf(['analysis']),
  createdAt: str(),
  backend: oneOf(BACKENDS),
  model,
  input: obj({
    contextLang: nul(str()),
    questionLang: nul(str()),
    exampleId: nul(str()),
    context: str(),
    question: str(),
    answer: str(),
    answerStart: opt(int()),
    template: oneOf(TEMPLATES),
  }),
  prompt: obj({
    text: str(),
    tokens: list(obj({ id: int(), text: str(), segment: oneOf(RESULT_SEGMENTS), start: int(), end: int() })),
    target: obj({ id: int(), text: str(), leadingWhitespace: opt(list(idText)), alternative: opt(obj({ id: int(), text: str(), prob: num(), targetProb: num() })) }),
  }),
  pending: opt(list(oneOf(ANALYSIS_SECTIONS))),
  generation: opt(obj({ ids: list(int()), text: str(), answer: str(), exactMatch: num(), f1: num() })),
  lens: obj({
    coverage: opt(oneOf(LENS_COVERAGES)),
    targetProb: grid(nul(num('prob'))),
    targetRank: grid(nul(int())),
    topId: grid(nul(int())),
    topProb: grid(nul(num('prob'))),
    tokenText: map(str()),
    lastTopK: grid(obj({ id: int(), text: str(), prob: num('prob') })),
  }),
  attention: obj({
    lastRowMean: grid(num('prob')),
    lastRowHeads: list(grid(num('prob'))),
    segmentMass: map(grid(num('prob')), RESULT_SEGMENTS),
  }),
  summary: obj({
    answerTopLayer: nul(int()),
    questionAttentionPeakLayer: int(),
    answerAttentionPeakLayer: int(),
  }),
  knockout: opt(obj({ window: int(), sets: list(oneOf(KNOCKOUT_SETS)), baseProb: num(), windows: list(pair(int())), effect: map(list(nul(num('knockoutEffect')))) })),
  relevance: opt(obj({ relevance: grid(num('relevance')), targetLogit: num(), leakBias: list(num('real')), leakSoftmax: list(num('real')), mrd: map(nul(int())), cumulative: map(list(num('prob'))) })),
  phases: opt(obj({ questionEncodingKnockout: nul(int()), answerRetrievalKnockout: nul(int()), questionEncodingMrd: nul(int()), answerRetrievalMrd: nul(int()) })),
  timings: obj({ forwardMs: num(), generateMs: num(), lensMs: opt(num()), knockoutMs: opt(num()), relevanceMs: opt(num()), totalMs: num() }),
});

/** the analysis sections the doc lists in their own table */
export const OPTIONAL_SECTIONS = ['knockout', 'relevance', 'phases'] as const;

// --- matrix -------------------------------------------------------------------------------------

export const MATRIX_SCHEMA = obj({
  schemaVersion: oneOf(READABLE_SCHEMA_VERSIONS),
  kind: oneOf(['matrix']),
  createdAt: str(),
  backend: oneOf(BACKENDS),
  model,
  template: oneOf(TEMPLATES),
  contextLangs: list(str()),
  questionLangs: list(str()),
  exampleIds: list(str()),
  window: nul(int()),
  cells: list(
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
  overall: obj({ exactMatch: num('real'), f1: num('real'), questionDepth: meanStd, answerDepth: meanStd, questionMrd: meanStd, answerMrd: meanStd }),
  complete: bool(),
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
