// Data providers and SVG exports of every view, checked against their definitions.
import { describe, expect, it } from 'vitest';
import { attentionColourMax, attentionModel } from './attention-heatmap/data';
import { renderSVG as attentionSVG } from './attention-heatmap/svg';
import { diffModel, layerMapAtoB, sideBySide } from './compare/data';
import { renderSVG as compareSVG } from './compare/svg';
import { FONT_STACK } from './common/svg';
import { knockoutModel } from './knockout-heatmap/data';
import { renderSVG as knockoutSVG } from './knockout-heatmap/svg';
import { cellAt, layoutHeatmap, rowTop, segmentBoundaries } from './layer-heatmap/data';
import { lensGridModel, LOGPROB_FLOOR } from './lens-grid/data';
import { renderSVG as lensSVG } from './lens-grid/svg';
import { mrdChartData, mrdFromCumulative } from './mrd-chart/data';
import { renderSVG as mrdSVG } from './mrd-chart/svg';
import { matrixComputed, metricNeeds, pairMatrixData } from './pair-matrix/data';
import { renderSVG as pairSVG } from './pair-matrix/svg';
import { renderSVG as bandsSVG } from './phase-bands/svg';
import { phaseSummary } from './phase-summary/data';
import { renderSVG as phaseSVG } from './phase-summary/svg';
import { relevanceModel } from './relevance-heatmap/data';
import { renderSVG as relevanceSVG } from './relevance-heatmap/svg';
import { segmentChartData } from './segment-chart/data';
import { renderSVG as segmentSVG } from './segment-chart/svg';
import { fakeMatrix, fakeResult } from '../../test/viz/fake-result';
import { tokenStripData } from './token-strip/data';
import { placeTokens, renderSVG as tokensSVG } from './token-strip/svg';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('lens grid', () => {
  const r = fakeResult({ L: 4 });
  it('has L+1 rows (emb first) and one column per token', () => {
    const m = lensGridModel(r, 'prob');
    expect(m.rows.length).toBe(5);
    expect(m.rows[0].label).toBe('emb');
    expect(m.cols.length).toBe(r.prompt.tokens.length);
    expect(m.values[4][m.cols.length - 1]).toBe(1);
    expect(m.tooltip(4, m.cols.length - 1)).toMatch(/^Layer 4 of 4\n.*\n.*rank 1\ntop-1: “␣Lisbon”/);
  });
  it('log-probability is log10 p, floored; rank is coloured bright at rank 1', () => {
    const m = lensGridModel(r, 'logprob');
    expect(m.values[1][0]).toBeCloseTo(-2);
    expect(m.values[0][m.cols.length - 1]).toBe(LOGPROB_FLOOR);
    const k = lensGridModel(r, 'rank');
    expect(k.values[4][m.cols.length - 1]).toBe(0);
    expect(k.scale.colour(0)).toBe(lensGridModel(r, 'prob').scale.colour(1));
  });
  it('layout maps cells to points and back', () => {
    const m = lensGridModel(r, 'prob');
    const l = layoutHeatmap(m, 700);
    const y = rowTop(l, m.rows.length, 3) + 1;
    expect(cellAt(m, l, l.gridX + 2 * l.cellW + 1, y)).toEqual({ row: 3, col: 2 });
    expect(cellAt(m, l, 0, 0)).toBeNull();
    // over the token labels: the bottom row of that column
    expect(cellAt(m, l, l.gridX + 1, l.gridY + l.gridH + 5)).toEqual({ row: 0, col: 0 });
    expect(segmentBoundaries(m.cols)).toEqual([2, 3, 4, 5, 6, 8]);
  });
});

describe('attention heatmap', () => {
  const r = fakeResult({ L: 3, H: 2 });
  it('has L rows (layers 1..L), mean or one head, and ignores the sink at position 0 for its colour limit', () => {
    const m = attentionModel(r, null);
    expect(m.rows.map((x) => x.layer)).toEqual([1, 2, 3]);
    expect(attentionModel(r, 1).values).toEqual(r.attention.lastRowHeads.map((l) => l[1]));
    expect(attentionColourMax(m.values as number[][])).toBeCloseTo(0.5 / (r.prompt.tokens.length - 1));
    expect(m.scale.label).toMatch(/clipped/);
    expect(attentionModel(r, 99).id).toBe('attention-mean');
  });
});

describe('knockout heatmap', () => {
  it('rows = windows, columns = source sets, diverging scale centred on 0', () => {
    const r = fakeResult({ L: 3, knockout: true });
    const m = knockoutModel(r)!;
    expect(m.rows.length).toBe(3);
    expect(m.cols.map((c) => c.label)).toEqual(['question', 'answer span', 'whole context', 'template']);
    expect(m.values[0]).toEqual([-80, 20, -5, null]);
    expect(m.scale.kind).toBe('diverging');
    expect(m.scale.domain).toEqual([-80, 80]);
    expect(m.scale.position(0)).toBe(0.5);
    expect(m.tooltip(0, 0)).toMatch(/p 0\.5000 → 0\.1000 \(-80\.0%\)/);
    expect(knockoutModel(fakeResult())).toBeNull();
  });
});

describe('relevance and MRD', () => {
  const r = fakeResult({ L: 3, relevance: true });
  it('relevance has L+1 rows, diverging colours, a robust limit below the last-position logit', () => {
    const m = relevanceModel(r)!;
    expect(m.rows.length).toBe(4);
    expect(m.scale.kind).toBe('diverging');
    expect(m.scale.domain[1]).toBeLessThan(5);
    expect(m.scale.domain[0]).toBe(-m.scale.domain[1]);
  });
  it('MRD is the first layer whose cumulative share reaches 95%', () => {
    expect(mrdFromCumulative([0.2, 0.94, 0.96, 1])).toBe(2);
    expect(mrdFromCumulative([0.2, 0.5])).toBeNull();
    const d = mrdChartData(r)!;
    expect(d.series.map((s) => s.group)).toEqual(['question', 'answer', 'context', 'template']);
    for (const s of d.series) expect(s.mrd).toBe(r.relevance!.mrd[s.group]);
    expect(mrdFromCumulative(r.relevance!.cumulative.question)).toBe(1);
  });
});

describe('segment chart', () => {
  it('per layer the four masses (mean over heads) sum to 1 and stack bottom up', () => {
    const d = segmentChartData(fakeResult({ L: 3 }));
    expect(d.layers.length).toBe(3);
    for (const l of d.layers) {
      const sum = Object.values(l.mass).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1);
      expect(l.stack[l.stack.length - 1].y1).toBeCloseTo(1);
      expect(l.stack[0].y0).toBe(0);
    }
  });
});

describe('phase summary', () => {
  it('says where the answer appears and, with knockout, where each phase ends', () => {
    const s = phaseSummary(fakeResult({ L: 3, knockout: true }));
    expect(s.map((x) => x.key)).toEqual(['answer-top', 'attention', 'question-knockout', 'answer-knockout', 'order']);
    expect(s[0].text).toMatch(/“Lisbon” first becomes the model's top guess .* layer 3 of 3/);
    expect(s[4].text).toMatch(/first reads the question \(by layer 1\) and then retrieves the answer \(by layer 3\)/);
    expect(phaseSummary(fakeResult()).length).toBe(2);
  });
});

describe('token strip', () => {
  it('keeps an Arabic passage in one rtl run across the answer span and marks continuations', () => {
    const r = fakeResult({ arabic: true });
    const d = tokenStripData(r);
    expect(d.segments.map((s) => s.block)).toEqual(['template', 'passage', 'template', 'question', 'template']);
    const passage = d.segments[1];
    expect(passage.runs.map((x) => x.dir)).toEqual(['rtl']);
    expect(passage.runs[0].tokens.map((t) => t.display)).toEqual(['␣ف', '·', '␣م', '.']);
    expect(d.tokens[3].continuation).toBe(true);
    expect(d.tokens[6].breakAfter).toBe(true);
  });
  it('places an rtl run from right to left in the export', () => {
    const p = placeTokens(fakeResult({ arabic: true }), 2000);
    const x = (i: number) => p.find((q) => q.tok.index === i)!.x;
    expect(x(2)).toBeGreaterThan(x(4));
    expect(x(0)).toBeLessThan(x(1));
  });
});

describe('pair matrix', () => {
  it('rows = context languages, columns = question languages, missing pairs marked', () => {
    const d = pairMatrixData(fakeMatrix(), 'exactMatch');
    expect(d.cells.length).toBe(2);
    expect(d.cells[0].length).toBe(3);
    expect(d.cells[0][0].value).toBe(1);
    expect(d.cells[0][2].computed).toBe(false);
    expect(d.cells[1][0].computed).toBe(false);
    const q = pairMatrixData(fakeMatrix(), 'questionDepth');
    expect(q.cells[0][1].value).toBeNull();
    expect(q.scale.domain).toEqual([0, 4]);
    expect(pairMatrixData(fakeMatrix(), 'questionDepthStd').cells[0][0].value).toBe(0.5);
    expect(q.overall).toMatch(/question 2\.0 ± 1\.0 \(n=4\)/);
  });
  it('MRD metrics and their spread; a metric the run did not compute says so', () => {
    const m = fakeMatrix();
    expect(matrixComputed(m)).toEqual({ depths: true, mrd: true });
    expect(pairMatrixData(m, 'questionMrd').cells[0][0].value).toBe(1);
    expect(pairMatrixData(m, 'answerMrdStd').cells[0][0].value).toBe(1);
    expect(pairMatrixData(m, 'questionMrd').overall).toMatch(/MRD: question 1\.0 ± 0\.0 \(n=6\)/);
    const none = { ...m, cells: m.cells.map((c) => ({ ...c, questionMrd: { mean: null, std: null, n: 0 }, answerMrd: { mean: null, std: null, n: 0 } })) };
    expect(matrixComputed(none).mrd).toBe(false);
    expect(pairMatrixData(none, 'questionMrd').cells[0][0].tooltip).toMatch(/not computed: run with Major Relevance Depths/);
    expect(pairMatrixData(none, 'f1').overall).not.toMatch(/MRD/);
    expect(metricNeeds('answerMrdStd')).toBe('mrd');
    expect(metricNeeds('questionDepth')).toBe('depths');
    expect(metricNeeds('f1')).toBeNull();
  });
});

describe('compare', () => {
  it('aligns layers by relative depth and diffs B − A on A rows', () => {
    expect([0, 1, 2].map(layerMapAtoB(2, 4))).toEqual([0, 2, 4]);
    const a = fakeResult({ L: 2 });
    const b = fakeResult({ L: 4 });
    const d = diffModel(a, b, 'lens');
    expect(d.model).not.toBeNull();
    const m = d.model!;
    expect(m.rows.length).toBe(3);
    const last = m.cols.length - 1;
    // A layer 1 (p = 0.5) faces B layer 2 (p = 0.5)
    expect(m.values[1][last]).toBeCloseTo(0);
    expect(m.scale.kind).toBe('diverging');
    expect(m.scale.position(0)).toBe(0.5);
    const p = sideBySide(a, b, 'attention')!;
    expect(p.a.scale).toBe(p.b.scale);
  });
  it('refuses a token diff across tokenisers', () => {
    const d = diffModel(fakeResult(), fakeResult({ arabic: true }), 'lens');
    expect(d.model).toBeNull();
  });
});

describe('SVG exports', () => {
  const r = fakeResult({ L: 3, knockout: true, relevance: true, arabic: true });
  const svgs: Record<string, string> = {
    lens: lensSVG(r),
    attention: attentionSVG(r),
    knockout: knockoutSVG(r),
    relevance: relevanceSVG(r),
    mrd: mrdSVG(r),
    segment: segmentSVG(r, 'lines'),
    phase: phaseSVG(r),
    bands: bandsSVG(r),
    tokens: tokensSVG(r),
    pair: pairSVG(fakeMatrix(), 'f1'),
    compare: compareSVG(r, fakeResult({ L: 2, knockout: true, relevance: true, arabic: true }), false),
  };
  it('are standalone SVG documents with the multi-script font stack and escaped text', () => {
    for (const [name, s] of Object.entries(svgs)) {
      expect(s, name).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(s, name).toContain('Noto Sans Arabic');
      expect(s, name).not.toContain('<b>');
    }
    expect(FONT_STACK).toMatch(/Noto Sans Devanagari.*Noto Sans Thai.*Noto Sans CJK SC/);
    expect(svgs.tokens).toContain('&lt;b&gt;?');
  });
  it('draw every cell, row and legend', () => {
    const T = r.prompt.tokens.length;
    expect(count(svgs.lens, /data-layer="/g)).toBe(4);
    expect(count(svgs.lens, /data-token="/g)).toBe(T);
    expect(count(svgs.attention, /data-layer="/g)).toBe(3);
    expect(count(svgs.knockout, /data-col="/g)).toBe(4);
    for (const k of ['lens', 'attention', 'knockout', 'relevance', 'pair']) expect(svgs[k], k).toContain('linearGradient');
    expect(svgs.lens).toContain('Q·KO');
    expect(svgs.tokens).toContain('谁');
  });
});
