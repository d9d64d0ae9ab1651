// With ?debug=1 the last analysis is exposed on window.__xlensDebug so end-to-end tests can
// compare the browser's numbers with Node's: `lastAnalysis` is the AnalysisResult the views
// draw; `lastRun` holds the forward pass's logits and hidden states of the analysed prompt.
// Never set without ?debug=1.
import type { AnalysisResult } from '../engine/result';
import type { DebugTensors } from '../worker/messages';

export interface XlensDebugRun {
  modelId: string;
  backend: string;
  inputIds: number[];
  T: number;
  V: number;
  d: number;
  /** logits [T*V], row-major */
  logits: number[];
  /** hidden states: L+1 arrays of [T*d] (0 = embeddings, L = before the final norm) */
  hidden: number[][];
}

declare global {
  interface Window {
    __xlensDebug?: {
      lastRun?: XlensDebugRun;
      lastAnalysis?: AnalysisResult;
      runs: number;
      analyses: number;
      /** per analysis message in order: the sections it still lacked and the lens cells it had (tests of the stages) */
      stages?: { pending: string[]; answered: boolean; lensCells: number }[];
    };
  }
}

export function exposeDebug(result: AnalysisResult, t?: DebugTensors): void {
  const prev = window.__xlensDebug ?? { runs: 0, analyses: 0 };
  const lensCells = result.lens.targetProb.reduce((n, row) => n + row.filter((p) => p !== null).length, 0);
  const stages = [...(prev.stages ?? []), { pending: result.pending ?? [], answered: result.generation !== undefined, lensCells }].slice(-200);
  const next = { ...prev, analyses: prev.analyses + 1, lastAnalysis: result, stages };
  if (t) {
    next.runs = prev.runs + 1;
    next.lastRun = {
      modelId: result.model.id,
      backend: result.backend,
      inputIds: t.inputIds,
      T: t.T,
      V: t.V,
      d: t.d,
      logits: Array.from(t.logits),
      hidden: t.hidden.map((h) => Array.from(h)),
    };
  }
  window.__xlensDebug = next;
}
