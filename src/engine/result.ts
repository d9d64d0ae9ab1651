// The one versioned result schema. Everything an analysis returns, the CLI prints, the UI
// draws, a permalink embeds and a test diffs has this shape. Bump SCHEMA_VERSION on any
// change that an older reader would misread. Documented in docs/result-schema.md.

import type { Segment, TemplateKind } from './text/prompt';

export const SCHEMA_VERSION = 1;

export interface ResultModel {
  id: string;
  family: string;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  hiddenSize: number;
  vocabSize: number;
}

export interface ResultInput {
  contextLang: string | null;
  questionLang: string | null;
  exampleId: string | null;
  context: string;
  question: string;
  answer: string;
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

export interface AnalysisResult {
  schemaVersion: typeof SCHEMA_VERSION;
  createdAt: string;
  backend: 'webgpu' | 'wasm';
  model: ResultModel;
  input: ResultInput;
  prompt: {
    text: string;
    tokens: ResultToken[];
    target: { id: number; text: string };
  };
  generation: {
    ids: number[];
    text: string;
    /** the answer as scored: generated text up to the first newline, trimmed */
    answer: string;
    exactMatch: number;
    f1: number;
  };
  /** logit lens; rows are layers 0..L (0 = embeddings), columns are prompt positions */
  lens: {
    targetProb: number[][];
    /** 1 = the target is the lens's top-1 token */
    targetRank: number[][];
    topId: number[][];
    topProb: number[][];
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
  timings: { forwardMs: number; generateMs: number; totalMs: number };
}
