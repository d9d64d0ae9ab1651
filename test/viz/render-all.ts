// Everything the page and the exports compute from a result, in Node: every view's data
// provider, every heatmap's tooltip on every cell, every SVG export, and the comparison views.
// A test feeds it whatever the validator accepts; any throw here is a crash on the page.
import type { AnalysisResult, MatrixResult } from '../../src/engine/result';
import { attentionModel } from '../../src/viz/attention-heatmap/data';
import { renderSVG as attentionSVG } from '../../src/viz/attention-heatmap/svg';
import { COMPARE_KINDS, diffModel, sideBySide } from '../../src/viz/compare/data';
import { renderSVG as compareSVG } from '../../src/viz/compare/svg';
import { knockoutModel } from '../../src/viz/knockout-heatmap/data';
import { renderSVG as knockoutSVG } from '../../src/viz/knockout-heatmap/svg';
import type { HeatmapModel } from '../../src/viz/layer-heatmap/data';
import { lensGridModel } from '../../src/viz/lens-grid/data';
import { renderSVG as lensSVG } from '../../src/viz/lens-grid/svg';
import { mrdChartData } from '../../src/viz/mrd-chart/data';
import { renderSVG as mrdSVG } from '../../src/viz/mrd-chart/svg';
import { pairMatrixData, type PairMetric } from '../../src/viz/pair-matrix/data';
import { renderSVG as pairSVG } from '../../src/viz/pair-matrix/svg';
import { bandsExplanation, phaseBands } from '../../src/viz/phase-bands/data';
import { renderSVG as bandsSVG } from '../../src/viz/phase-bands/svg';
import { phaseSummary } from '../../src/viz/phase-summary/data';
import { renderSVG as phaseSVG } from '../../src/viz/phase-summary/svg';
import { renderSVG as relevanceSVG } from '../../src/viz/relevance-heatmap/svg';
import { relevanceModel } from '../../src/viz/relevance-heatmap/data';
import { segmentChartData, segmentTooltip } from '../../src/viz/segment-chart/data';
import { renderSVG as segmentSVG } from '../../src/viz/segment-chart/svg';
import { tokenStripData, tokenTooltip } from '../../src/viz/token-strip/data';
import { renderSVG as tokensSVG } from '../../src/viz/token-strip/svg';

/** the tooltips of a heatmap as the hover and the keyboard reach them: every cell, or the first,
 * middle and last rows and columns when `sample` (the same code on every cell, a fraction of the time) */
let sample = false;
function everyTooltip(m: HeatmapModel | null): number {
  if (!m) return 0;
  const pick = (n: number) => (sample ? [...new Set([0, n >> 1, n - 1])].filter((i) => i >= 0 && i < n) : Array.from({ length: n }, (_, i) => i));
  let n = 0;
  for (const r of pick(m.rows.length)) for (const c of pick(m.cols.length)) n += m.tooltip(r, c).length;
  return n;
}

/** draws every view of an analysis (and of it compared with `other`); returns the characters drawn */
export function renderEveryView(r: AnalysisResult, other: AnalysisResult = r, opts: { sampleTooltips?: boolean } = {}): number {
  sample = opts.sampleTooltips ?? false;
  const bands = phaseBands(r);
  let n = bandsExplanation(bands).length;
  for (const metric of ['prob', 'logprob', 'rank'] as const) {
    n += everyTooltip(lensGridModel(r, metric, bands));
    n += lensSVG(r, metric).length;
  }
  for (const head of [null, 0, r.model.numHeads - 1]) {
    n += everyTooltip(attentionModel(r, head, bands));
    n += attentionSVG(r, head).length;
  }
  n += everyTooltip(knockoutModel(r, bands)) + knockoutSVG(r).length;
  n += everyTooltip(relevanceModel(r, bands)) + relevanceSVG(r).length;
  const mrd = mrdChartData(r);
  n += (mrd?.summary.length ?? 0) + mrdSVG(r).length;
  const seg = segmentChartData(r);
  for (const l of seg.layers) n += segmentTooltip(l, seg.numLayers).length;
  n += segmentSVG(r, 'stacked').length + segmentSVG(r, 'lines').length;
  n += phaseSummary(r).reduce((a, s) => a + s.text.length, 0) + phaseSVG(r).length + bandsSVG(r).length;
  const strip = tokenStripData(r);
  for (const t of strip.tokens) n += tokenTooltip(r, t.index).length;
  n += tokensSVG(r).length;
  for (const kind of COMPARE_KINDS) {
    const pair = sideBySide(other, r, kind);
    if (pair) n += everyTooltip(pair.a) + everyTooltip(pair.b);
    const diff = diffModel(other, r, kind);
    if (diff.model) n += everyTooltip(diff.model);
  }
  n += compareSVG(other, r, false).length + compareSVG(other, r, true).length;
  return n;
}

const METRICS: PairMetric[] = ['exactMatch', 'f1', 'targetProb', 'questionDepth', 'answerDepth', 'questionMrd', 'answerMrd', 'questionDepthStd', 'answerDepthStd'];

/** draws the pair matrix in every metric, with every cell's tooltip */
export function renderMatrix(m: MatrixResult): number {
  let n = 0;
  for (const metric of METRICS) {
    const d = pairMatrixData(m, metric);
    for (const row of d.cells) for (const c of row) n += c.tooltip.length + c.text.length;
    n += d.overall.length + pairSVG(m, metric).length;
  }
  return n;
}
