// What a weight format does to every analysis of one input: the same analyze() run with fp32 weights
// (`ref`) and with another format (`got`), compared section by section (graph/int8.test.ts).

import type { AnalysisResult } from '../../src/engine/result';

export interface AnalysisEffect {
  /** the generated token ids agree */
  sameGeneration: boolean;
  /**
   * lens: max |Δ p_l(target)| over every layer and position; share of the cells where fp32 ranks the
   * target in its top 10 whose rank agrees (lower ranks order near-equal tail probabilities); share of
   * cells whose top-1 token agrees
   */
  lensProb: number;
  lensRankAgree: number;
  lensTopAgree: number;
  /** the counts behind the two shares: cells with the target in fp32's top 10 (and of those, agreeing), all cells (agreeing top-1) */
  counts: { ranked: number; rankAgreed: number; cells: number; topAgreed: number };
  /** the first layer where the target is the lens's top-1 at the last position agrees */
  sameAnswerTopLayer: boolean;
  /** knockout: max |Δ effect| (percentage points of p); max |Δ phase depth| (layers; Infinity when one is null and the other not) */
  knockoutEffect: number;
  knockoutDepth: number;
  /** knockout: max |Δ log p'| (nats) of the target's probability p' = p (1 + effect / 100) under each knockout */
  knockoutLogp: number;
  /**
   * relevance: max |ΔR| over the [L+1, T] map (in the explained logit's units, nats), and that over
   * max |R_fp32| (large where the explained logit is near 0); |Δ target logit| (nats)
   */
  relevanceAbs: number;
  relevance: number;
  targetLogit: number;
  /** Major Relevance Depth: max |Δ| over the token groups (layers; Infinity when one is null and the other not) */
  mrd: number;
}

const layerDiff = (a: number | null, b: number | null) => (a === null && b === null ? 0 : a === null || b === null ? Infinity : Math.abs(a - b));

export function analysisEffect(ref: AnalysisResult, got: AnalysisResult): AnalysisEffect {
  let lensProb = 0;
  let rank = 0;
  let ranked = 0;
  let top = 0;
  let cells = 0;
  ref.lens.targetProb.forEach((row, l) =>
    row.forEach((p, t) => {
      const q = got.lens.targetProb[l][t];
      // cells the lens did not compute (null) must be the same in both
      if (p === null || q === null) {
        if (p !== q) throw new Error(`lens cell (${l}, ${t}) computed in one result only`);
        return;
      }
      lensProb = Math.max(lensProb, Math.abs(p - q));
      const r = ref.lens.targetRank[l][t]!;
      if (r <= 10) {
        ranked++;
        if (r === got.lens.targetRank[l][t]) rank++;
      }
      if (ref.lens.topId[l][t] === got.lens.topId[l][t]) top++;
      cells++;
    }),
  );
  let knockoutEffect = 0;
  let knockoutLogp = 0;
  const logp = (base: number, e: number) => Math.log(Math.max(base * (1 + e / 100), 1e-30));
  for (const [set, effects] of Object.entries(ref.knockout?.effect ?? {})) {
    effects.forEach((e, i) => {
      const o = got.knockout!.effect[set][i];
      knockoutEffect = Math.max(knockoutEffect, e === null && o === null ? 0 : e === null || o === null ? Infinity : Math.abs(e - o));
      if (e !== null && o !== null) knockoutLogp = Math.max(knockoutLogp, Math.abs(logp(ref.knockout!.baseProb, e) - logp(got.knockout!.baseProb, o)));
    });
  }
  const knockoutDepth = ref.phases
    ? Math.max(layerDiff(ref.phases.questionEncodingKnockout, got.phases!.questionEncodingKnockout), layerDiff(ref.phases.answerRetrievalKnockout, got.phases!.answerRetrievalKnockout))
    : 0;
  let relevance = 0;
  let relevanceAbs = 0;
  let targetLogit = 0;
  let mrd = 0;
  if (ref.relevance) {
    const a = ref.relevance.relevance.flat();
    const b = got.relevance!.relevance.flat();
    const scale = Math.max(...a.map(Math.abs));
    relevanceAbs = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    relevance = relevanceAbs / scale;
    targetLogit = Math.abs(ref.relevance.targetLogit - got.relevance!.targetLogit);
    for (const g of Object.keys(ref.relevance.mrd)) mrd = Math.max(mrd, layerDiff(ref.relevance.mrd[g], got.relevance!.mrd[g]));
  }
  return {
    sameGeneration: (ref.generation?.ids ?? []).join() === (got.generation?.ids ?? []).join(),
    lensProb,
    lensRankAgree: ranked ? rank / ranked : 1,
    counts: { ranked, rankAgreed: rank, cells, topAgreed: top },
    lensTopAgree: top / cells,
    sameAnswerTopLayer: ref.summary.answerTopLayer === got.summary.answerTopLayer,
    knockoutEffect,
    knockoutDepth,
    knockoutLogp,
    relevanceAbs,
    relevance,
    targetLogit,
    mrd,
  };
}

/** the worst of several inputs' effects (max of differences, all of the booleans); agreement shares pooled over the inputs' cells */
export function worstEffect(es: AnalysisEffect[]): AnalysisEffect & { inputs: number; sameGenerations: number; knockoutDepthDiffers: number; mrdDiffers: number } {
  const max = (k: keyof AnalysisEffect) => Math.max(...es.map((e) => e[k] as number));
  const sum = (k: keyof AnalysisEffect['counts']) => es.reduce((a, e) => a + e.counts[k], 0);
  const counts = { ranked: sum('ranked'), rankAgreed: sum('rankAgreed'), cells: sum('cells'), topAgreed: sum('topAgreed') };
  return {
    inputs: es.length,
    sameGenerations: es.filter((e) => e.sameGeneration).length,
    knockoutDepthDiffers: es.filter((e) => e.knockoutDepth !== 0).length,
    mrdDiffers: es.filter((e) => e.mrd !== 0).length,
    sameGeneration: es.every((e) => e.sameGeneration),
    lensProb: max('lensProb'),
    lensRankAgree: counts.ranked ? counts.rankAgreed / counts.ranked : 1,
    lensTopAgree: counts.topAgreed / counts.cells,
    counts,
    sameAnswerTopLayer: es.every((e) => e.sameAnswerTopLayer),
    knockoutEffect: max('knockoutEffect'),
    knockoutDepth: max('knockoutDepth'),
    knockoutLogp: max('knockoutLogp'),
    relevanceAbs: max('relevanceAbs'),
    relevance: max('relevance'),
    targetLogit: max('targetLogit'),
    mrd: max('mrd'),
  };
}

export function formatAnalysisEffect(e: ReturnType<typeof worstEffect>): string {
  const f = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(2)).toString() : String(x));
  return [
    `${e.inputs} inputs, generations identical ${e.sameGenerations}/${e.inputs}`,
    `lens |Δp| ${f(e.lensProb)}, top-10 rank agrees ${f(e.lensRankAgree)} (of ${e.counts.ranked} cells), top-1 agrees ${f(e.lensTopAgree)}, answer-top layer ${e.sameAnswerTopLayer ? 'same' : 'differs'}`,
    `knockout |Δeffect| ${f(e.knockoutEffect)} pp, |Δlog p'| ${f(e.knockoutLogp)}, depths differ on ${e.knockoutDepthDiffers} (max Δ ${f(e.knockoutDepth)})`,
    `relevance max |ΔR| ${f(e.relevanceAbs)} (rel ${f(e.relevance)}), |Δ logit| ${f(e.targetLogit)}, MRD differs on ${e.mrdDiffers} (max Δ ${f(e.mrd)})`,
  ].join('; ');
}
