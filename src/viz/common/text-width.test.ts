// Chart text fits its canvas: wrapping and the layouts that use it (estimated widths in Node).
import { describe, expect, it } from 'vitest';
import { knockoutModel } from '../knockout-heatmap/data';
import { layoutHeatmap } from '../layer-heatmap/data';
import { lensGridModel } from '../lens-grid/data';
import { mrdChartData } from '../mrd-chart/data';
import { mrdScene } from '../mrd-chart/draw';
import { phaseBands } from '../phase-bands/data';
import { fakeResult } from '../../../test/viz/fake-result';
import { estimateWidth, fitText, textWidth, wrapText } from './text-width';

describe('text width and wrapping', () => {
  it('counts CJK as one em and combining marks as nothing', () => {
    expect(estimateWidth('中文', 10)).toBe(20);
    expect(estimateWidth('a\u0301', 10)).toBeCloseTo(estimateWidth('a', 10));
  });
  it('wraps on spaces within the width and cuts a single long word', () => {
    const s = 'Q = where the question is still being read (question encoding); A = where the answer is fetched from the context.';
    const lines = wrapText(s, 200, 10.5);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(s);
    for (const l of lines) expect(textWidth(l, 10.5)).toBeLessThanOrEqual(200);
    expect(fitText('x'.repeat(100), 50, 10)).toMatch(/…$/);
    expect(textWidth(fitText('x'.repeat(100), 50, 10), 10)).toBeLessThanOrEqual(50);
  });
});

describe('chart layouts keep their text inside', () => {
  const r = fakeResult({ L: 4, knockout: true, relevance: true });
  it('a heatmap wraps its title and footnote, and moves the segment key under the legend when narrow', () => {
    const m = { ...lensGridModel(r, 'prob', phaseBands(r)), title: 'A very long title that cannot possibly fit on one line of a narrow heatmap, so it wraps' };
    const l = layoutHeatmap(m, 330);
    expect(l.titleLines.length).toBeGreaterThan(1);
    for (const line of l.titleLines) expect(l.gridX + textWidth(line, 13, 600)).toBeLessThanOrEqual(l.width);
    for (const n of l.noteLines) expect(l.gridX + textWidth(n.text, 10.5)).toBeLessThanOrEqual(l.width);
    expect(l.keyX).toBe(l.gridX);
    expect(l.keyY).toBeGreaterThan(l.legendY + 40);
    expect(l.height).toBeGreaterThan(l.noteY + (l.noteLines.length - 1) * 14);
    const wide = layoutHeatmap(m, 1200);
    expect(wide.keyX).toBeGreaterThan(wide.gridX + wide.legendW);
  });
  it('the knockout export at 560 px wraps a long title instead of cutting it', () => {
    const m = knockoutModel(r, phaseBands(r))!;
    const l = layoutHeatmap({ ...m, title: `${m.title} and a few more words to be sure it is long` }, 560);
    expect(l.titleLines.length).toBe(2);
    expect(l.gridY).toBe(56);
  });
  it('the MRD chart puts its labels above the plot, inside the canvas', () => {
    const d = mrdChartData(r)!;
    const s = mrdScene(d, 330);
    const labels = s.nodes.flatMap((n) => n.children).filter((n) => n.tag === 'text' && /^MRD /.test(n.text ?? ''));
    expect(labels.length).toBe(d.series.filter((x) => x.mrd !== null).length);
    const plot = s.nodes.find((n) => n.attrs.class === 'mrd-plot')!;
    for (const t of labels) {
      expect(Number(t.attrs.y)).toBeLessThan(Number(plot.attrs.y));
      expect(Number(t.attrs.x)).toBeGreaterThanOrEqual(0);
      expect(Number(t.attrs.x) + textWidth(t.text!, 10, 600)).toBeLessThanOrEqual(s.width);
    }
  });
});
