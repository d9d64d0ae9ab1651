// SVG export of the phase-band key: every band's tag and its sentence.
import type { AnalysisResult } from '../../engine/result';
import { h, svgDocument, t, type SNode } from '../common/svg';
import { wrapText } from '../common/text-width';
import { bandsExplanation, phaseBands } from './data';

export function renderSVG(result: AnalysisResult, opts: { width?: number } = {}): string {
  const bands = phaseBands(result);
  const width = opts.width ?? 760;
  const nodes: SNode[] = [t('text', { x: 12, y: 20, 'font-size': 13, 'font-weight': 600 }, 'Phase bands')];
  let y = 40;
  if (!bands.length) nodes.push(t('text', { x: 12, y, 'font-size': 11 }, 'No phase depths in this result (run knockout or relevance).'));
  for (const b of bands) {
    nodes.push(h('rect', { x: 12, y: y - 10, width: 40, height: 13, fill: 'none', stroke: b.colour, 'stroke-width': 2, 'stroke-dasharray': b.dashed ? '4 3' : null }));
    nodes.push(t('text', { x: 58, y, 'font-size': 11, 'font-weight': 600, fill: b.colour }, b.tag));
    const lines = wrapText(b.text, width - 110 - 12, 11);
    lines.forEach((line, i) => nodes.push(t('text', { x: 110, y: y + i * 15, 'font-size': 11 }, line)));
    y += 20 + (lines.length - 1) * 15;
  }
  if (bands.length) {
    const lines = wrapText(bandsExplanation(bands), width - 24, 10.5);
    lines.forEach((line, i) => nodes.push(t('text', { x: 12, y: y + 4 + i * 14, 'font-size': 10.5, opacity: 0.8 }, line)));
    y += (lines.length - 1) * 14;
  }
  return svgDocument(width, y + 16, nodes, 'Phase bands');
}
