import { describe, expect, it } from 'vitest';
import { textColourOn, probabilityScale } from '../colour';
import { displayToken } from '../tokenText';
import { lensHeatmapData } from './data';

describe('lensHeatmapData', () => {
  const rows = [
    { layer: 2, topId: 7, topToken: ' Cairo', topProb: 0.8 },
    { layer: 0, topId: 3, topToken: ':', topProb: 1 },
    { layer: 1, topId: 5, topToken: '\n', topProb: Number.NaN },
  ];
  it('orders rows by layer, labels the embeddings and makes whitespace visible', () => {
    const d = lensHeatmapData(rows, ':');
    expect(d.numLayers).toBe(2);
    expect(d.cells.map((c) => c.layerLabel)).toEqual(['emb', '1', '2']);
    expect(d.cells[2].tokenDisplay).toBe('␣Cairo');
    expect(d.cells[1].tokenDisplay).toBe('↵');
    expect(d.cells[1].prob).toBe(0);
    expect(d.summary).toContain('" Cairo"');
  });
});

describe('display helpers', () => {
  it('never shows an empty token', () => {
    expect(displayToken('')).toBe('∅');
  });
  it('picks readable text on viridis ends', () => {
    const c = probabilityScale();
    expect(textColourOn(c(0))).toBe('#fff');
    expect(textColourOn(c(1))).toBe('#111');
  });
});
