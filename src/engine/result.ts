// The one versioned result schema. Everything an analysis returns, the CLI prints, the UI
// draws, a permalink embeds and a test diffs has this shape. Bump SCHEMA_VERSION on any
// change that an older reader would misread. The field list, value lists and doc words live in
// result-schema.ts, which checks these types against itself at compile time; docs/result-schema.md
// is generated from it.

import type { Segment, TemplateKind } from './text/prompt';
import type { ANALYSIS_SECTIONS, BACKENDS, KNOCKOUT_SETS, LENS_COVERAGES, WEIGHT_FORMATS } from './result-schema';

export const SCHEMA_VERSION = 2;
/** versions this build reads: 1 (every lens cell computed, no pending sections) and 2 */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

/** sections of an analysis that arrive after the first heatmap; a partial result lists those still running */
export type AnalysisSection = (typeof ANALYSIS_SECTIONS)[number];

/** which prompt positions the lens grid covers (the rest of its cells are null) */
export type LensCoverage = (typeof LENS_COVERAGES)[number];

export interface ResultModel {
  id: string;
  family: string;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  hiddenSize: number;
  vocabSize: number;
  /** the format the weights ran in (docs/weights.md); absent in results made before it was recorded, which ran fp32 */
  weights?: ResultWeights;
}

export type ResultWeights = (typeof WEIGHT_FORMATS)[number];
export type ResultBackend = (typeof BACKENDS)[number];

export interface ResultInput {
  contextLang: string | null;
  questionLang: string | null;
  exampleId: string | null;
  context: string;
  question: string;
  answer: string;
  /** where the answer span starts in `context` when it is not the answer's first occurrence (XQuAD's answer_start) */
  answerStart?: number;
  template: TemplateKind;
}

export interface ResultToken {
  id: number;
  text: string;
  segment: Segment;
  start: number;
  end: number;
}

export interface TopToken {
  id: number;
  text: string;
  prob: number;
}

export interface KnockoutResult {
  /** window width w (layers) */
  window: number;
  sets: (typeof KNOCKOUT_SETS)[number][];
  baseProb: number;
  /** windows[i] = [lo, hi], the layers blocked for the window centred on layer i+1 */
  windows: [number, number][];
  /** effect[set][i] = 100 (p' - p) / p, null when the set has no tokens */
  effect: Record<string, (number | null)[]>;
}

export interface RelevanceSection {
  /** AttnLRP relevance R_l(t) of every token's residual state, [L+1][T] (row 0 = embeddings) */
  relevance: number[][];
  /** the explained logit (target token at the last position); Σ_t R_L(t) equals it */
  targetLogit: number;
  /** per layer l = 0..L-1: relevance absorbed by biases, and created/absorbed by the softmax rule */
  leakBias: number[];
  leakSoftmax: number[];
  /** Major Relevance Depth per token group (question, answer, context = rest of the context, template) */
  mrd: Record<string, number | null>;
  /** cumulative relevance share per group and layer, C_l(G) */
  cumulative: Record<string, number[]>;
}

export interface PhaseDepths {
  /** last layer whose knockout window drops p by >= 50% when blocking the question (null: none) */
  questionEncodingKnockout: number | null;
  /** the same for the answer span */
  answerRetrievalKnockout: number | null;
  /** Major Relevance Depth of the question tokens, when relevance was computed */
  questionEncodingMrd: number | null;
  answerRetrievalMrd: number | null;
}

export interface AnalysisResult {
  schemaVersion: (typeof READABLE_SCHEMA_VERSIONS)[number];
  kind: 'analysis';
  createdAt: string;
  backend: ResultBackend;
  model: ResultModel;
  input: ResultInput;
  prompt: {
    text: string;
    tokens: ResultToken[];
    /**
     * The target every analysis follows: the first token of the gold answer's content as the model
     * would emit it after the prompt, never a whitespace-only token (docs/result-schema.md).
     */
    target: {
      id: number;
      text: string;
      /** whitespace-only tokens the tokenizer would emit before the target; present only when there are any */
      leadingWhitespace?: { id: number; text: string }[];
      /**
       * the other way of writing the answer after the prompt (with or without a leading space) when its
       * first content token differs, with both tokens' final-layer probability at the last position: the
       * target is the one the model finds more probable (docs/result-schema.md)
       */
      alternative?: { id: number; text: string; prob: number; targetProb: number };
    };
  };
  /** sections still being computed: present only in the partial results the engine streams while it runs */
  pending?: AnalysisSection[];
  /** absent only in a partial result while it is still being generated */
  generation?: {
    ids: number[];
    text: string;
    /** the answer as scored: generated text up to the first newline, trimmed */
    answer: string;
    exactMatch: number;
    f1: number;
  };
  /**
   * logit lens; rows are layers 0..L (0 = embeddings), columns are prompt positions. A cell is null where
   * its position's lens was not computed: `coverage` says which positions were (absent = 'all', schema 1)
   */
  lens: {
    coverage?: LensCoverage;
    targetProb: (number | null)[][];
    /** 1 = the target is the lens's top-1 token */
    targetRank: (number | null)[][];
    topId: (number | null)[][];
    topProb: (number | null)[][];
    /** display text of every id in topId */
    tokenText: Record<string, string>;
    /** top-10 at the last position, per layer */
    lastTopK: TopToken[][];
  };
  /** attention of the last position; rows are layers 1..L (index 0 = layer 1) */
  attention: {
    /** [L][T] mean over heads */
    lastRowMean: number[][];
    /** [L][H][T] */
    lastRowHeads: number[][][];
    /** [L][H] attention mass on each segment (segments are disjoint: context excludes the answer span) */
    segmentMass: Record<Segment, number[][]>;
  };
  summary: {
    /** first layer whose lens top-1 at the last position is the target (null if none) */
    answerTopLayer: number | null;
    /** layer (1..L) with the largest mean-head attention mass on the question, and on the answer span */
    questionAttentionPeakLayer: number;
    answerAttentionPeakLayer: number;
  };
  knockout?: KnockoutResult;
  relevance?: RelevanceSection;
  phases?: PhaseDepths;
  timings: { forwardMs: number; generateMs: number; lensMs?: number; knockoutMs?: number; relevanceMs?: number; totalMs: number };
}

export interface MeanStd {
  mean: number | null;
  std: number | null;
  /** examples with a defined value */
  n: number;
}

export interface MatrixItem {
  exampleId: string;
  exactMatch: number;
  f1: number;
  targetProb: number;
  /** knockout phase depths */
  questionDepth: number | null;
  answerDepth: number | null;
  /** Major Relevance Depths (when relevance was computed) */
  questionMrd: number | null;
  answerMrd: number | null;
}

export interface MatrixCell {
  contextLang: string;
  questionLang: string;
  n: number;
  exactMatch: number;
  f1: number;
  targetProb: number;
  questionDepth: MeanStd;
  answerDepth: MeanStd;
  questionMrd: MeanStd;
  answerMrd: MeanStd;
  items: MatrixItem[];
  /** examples not analysed because their prompt is longer than the model accepts (absent: none) */
  skippedTooLong?: string[];
}

/** a model over an example set for every (context language, question language) pair */
export interface MatrixResult {
  schemaVersion: (typeof READABLE_SCHEMA_VERSIONS)[number];
  kind: 'matrix';
  createdAt: string;
  backend: ResultBackend;
  model: ResultModel;
  template: TemplateKind;
  contextLangs: string[];
  questionLangs: string[];
  exampleIds: string[];
  /** knockout window used for the phase depths (null when depths were not computed) */
  window: number | null;
  cells: MatrixCell[];
  /** phasing stability over every example of every pair */
  overall: { exactMatch: number; f1: number; questionDepth: MeanStd; answerDepth: MeanStd; questionMrd: MeanStd; answerMrd: MeanStd };
  complete: boolean;
}

export type XlensResult = AnalysisResult | MatrixResult;
