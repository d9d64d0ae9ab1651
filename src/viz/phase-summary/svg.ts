// SVG export of the phase summary: the same sentences, wrapped.
import type { AnalysisResult } from '../../engine/result';
import { svgDocument, t, type SNode } from '../common/svg';
import { phaseSummary } from './data';

/** greedy word wrap at roughly `chars` characters per line */
function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && (cur + ' ' + w).length > chars) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function renderSVG(result: AnalysisResult, opts: { width?: number } = {}): string {
  const width = opts.width ?? 720;
  const chars = Math.floor((width - 40) / 6.6);
  const nodes: SNode[] = [t('text', { x: 16, y: 22, 'font-size': 14, 'font-weight': 600 }, 'Phases in words')];
  let y = 46;
  for (const s of phaseSummary(result)) {
    wrap(s.text, chars).forEach((line, i) => {
      nodes.push(t('text', { x: i ? 28 : 16, y, 'font-size': 12 }, (i ? '' : '• ') + line));
      y += 17;
    });
    y += 5;
  }
  return svgDocument(width, y + 6, nodes, 'Phase summary');
}
