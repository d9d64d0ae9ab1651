// Relevance analysis: AttnLRP relevance of every token's residual state at every layer
// (graph/relevance.ts builds the graph; rules and conservation are documented there), and the
// Major Relevance Depth (MRD) of token groups.
//
// Definition used here (Gao et al. 2025, arXiv 2504.10906 name the quantity "the layer where the
// group's cumulative relevance reaches 95%"; their exact formula could not be found, so this is
// ours, stated precisely):
//   group mass     m_l(G) = Σ_{t∈G} |R_l(t)|                 for l = 0..L
//                  (absolute values per token, so positive and negative evidence both count
//                   and cannot cancel; R_l(t) from the relevance graph)
//   cumulative     C_l(G) = Σ_{l'≤l} m_{l'}(G) / Σ_{l'=0..L} m_{l'}(G)      (C_L = 1)
//   MRD(G)         = min { l : C_l(G) ≥ threshold }, threshold 0.95 by default;
//                   null when the group is empty or its total mass is 0.
// Reading: relevance sits on a token's own residual stream until attention has moved it to
// later positions; in a causal LM R_L(t) = 0 for every t but the last. So MRD(G) is the depth
// by which 95% of everything the group's residual states ever contributed (summed over depth)
// has been seen: a shallow MRD means the group's information left its own positions early.

import type { ModelSpec } from '../arch/spec';

export interface RelevanceResult {
  L: number;
  T: number;
  target: number;
  /** the explained logit (target token, last position) */
  targetLogit: number;
  /** L+1 rows of T: relevance[l][t] = R_l(t); row 0 = embeddings, row L = before the final norm */
  relevance: Float32Array[];
  /** per layer: relevance absorbed by biases (0 for bias-free models) */
  leakBias: Float32Array;
  /** per layer: relevance created (+) or absorbed (−) by AttnLRP's non-conservative softmax rule */
  leakSoftmax: Float32Array;
  ms: number;
}

export interface GroupDepth {
  /** Major Relevance Depth: min l with C_l ≥ threshold; null for an empty group or zero mass */
  mrd: number | null;
  /** m_l(G) = Σ_{t∈G} |R_l(t)|, l = 0..L */
  mass: number[];
  /** C_l(G), l = 0..L (all 0 when the total mass is 0) */
  cumulative: number[];
}

/** group mass, cumulative share and MRD of one set of token positions (definition at the top) */
export function groupDepth(relevance: ArrayLike<number>[], positions: number[], threshold = 0.95): GroupDepth {
  const mass = relevance.map((row) => positions.reduce((s, t) => s + Math.abs(row[t]), 0));
  const total = mass.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  let mrd: number | null = null;
  for (let l = 0; l < mass.length; l++) {
    acc += mass[l];
    const c = total > 0 ? acc / total : 0;
    cumulative.push(c);
    // tolerate summation rounding: the last layer always reaches 1
    if (mrd === null && total > 0 && (c >= threshold || l === mass.length - 1)) mrd = l;
  }
  return { mrd, mass, cumulative };
}

/**
 * MRD per group from a token -> group labelling (one label per position; null/undefined =
 * in no group), e.g. ['template', 'context', ..., 'answer', ..., 'question', ..., 'template'].
 * Groups are returned in order of first appearance.
 */
export function majorRelevanceDepth(
  relevance: ArrayLike<number>[],
  labels: (string | null | undefined)[],
  threshold = 0.95,
): Map<string, GroupDepth> {
  const T = relevance[0]?.length ?? 0;
  if (labels.length !== T) throw new Error(`${labels.length} labels for ${T} tokens`);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`threshold ${threshold} must be in (0, 1]`);
  const groups = new Map<string, number[]>();
  labels.forEach((g, t) => {
    if (g == null) return;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(t);
  });
  const out = new Map<string, GroupDepth>();
  for (const [g, pos] of groups) out.set(g, groupDepth(relevance, pos, threshold));
  return out;
}
