// With ?debug=1 the last run is exposed on window.__xlensDebug so end-to-end tests can
// compare the browser's numbers with Node's. Never set without ?debug=1.
import type { RunResult } from '../worker/messages';

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
  lens: RunResult['lens'];
  generatedIds: number[];
}

declare global {
  interface Window {
    __xlensDebug?: { lastRun?: XlensDebugRun; runs: number };
  }
}

export function exposeDebugRun(r: RunResult): void {
  if (!r.debug) return;
  const prev = window.__xlensDebug?.runs ?? 0;
  window.__xlensDebug = {
    runs: prev + 1,
    lastRun: {
      modelId: r.modelId,
      backend: r.backend,
      inputIds: r.inputIds,
      T: r.debug.T,
      V: r.debug.V,
      d: r.debug.d,
      logits: Array.from(r.debug.logits),
      hidden: r.debug.hidden.map((h) => Array.from(h)),
      lens: r.lens,
      generatedIds: r.generatedIds,
    },
  };
}
