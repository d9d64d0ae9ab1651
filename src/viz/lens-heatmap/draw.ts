// Drawing for the logit-lens heatmap (SVG via d3). One <g data-layer> per layer, the final
// layer at the top and the embeddings at the bottom, as the residual stream flows upward.
import { select } from 'd3';
import { probabilityScale, textColourOn } from '../colour';
import { displayToken } from '../tokenText';
import type { LensCell, LensHeatmapData } from './data';
import { drawLegend, LEGEND_HEIGHT } from './legend';

export interface LensLayout {
  width: number;
  height: number;
  rowHeight: number;
  cellX: number;
  cellWidth: number;
  /** top y of a layer's row */
  rowY(layer: number): number;
}

const MARGIN = { top: 40, right: 16, bottom: 16 + LEGEND_HEIGHT, left: 64 };
const PROB_WIDTH = 56;

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function drawLensHeatmap(svgEl: SVGSVGElement, data: LensHeatmapData, width: number): LensLayout {
  const n = data.cells.length;
  const rowHeight = n > 40 ? 14 : n > 24 ? 18 : 24;
  const cellX = MARGIN.left;
  const cellWidth = Math.max(160, width - MARGIN.left - MARGIN.right - PROB_WIDTH);
  const height = MARGIN.top + n * rowHeight + MARGIN.bottom;
  const rowY = (layer: number) => MARGIN.top + (n - 1 - layer) * rowHeight;
  const colour = probabilityScale();
  const fontSize = Math.min(13, rowHeight - 6);
  const maxChars = Math.max(8, Math.floor(cellWidth / (fontSize * 0.62)) - 2);

  const svg = select(svgEl);
  svg.selectAll('*').remove();
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);

  // Column header: the position whose next token is predicted.
  svg
    .append('text')
    .attr('class', 'lens-title')
    .attr('x', cellX)
    .attr('y', 16)
    .attr('font-size', 13)
    .attr('font-weight', 600)
    .text(`Top next token after “${clip(displayToken(data.positionToken), 40)}”`);
  svg
    .append('text')
    .attr('x', cellX + cellWidth + PROB_WIDTH)
    .attr('y', 32)
    .attr('text-anchor', 'end')
    .attr('font-size', 11)
    .attr('fill', 'currentColor')
    .attr('opacity', 0.75)
    .text('p(top-1)');
  svg
    .append('text')
    .attr('x', 8)
    .attr('y', 32)
    .attr('font-size', 11)
    .attr('opacity', 0.75)
    .attr('fill', 'currentColor')
    .text('layer ↑');

  const rows = svg
    .append('g')
    .attr('class', 'lens-rows')
    .selectAll<SVGGElement, LensCell>('g')
    .data(data.cells)
    .join('g')
    .attr('class', 'lens-row')
    .attr('data-layer', (d) => d.layer)
    .attr('transform', (d) => `translate(0,${rowY(d.layer)})`);

  rows
    .append('text')
    .attr('class', 'lens-layer')
    .attr('x', cellX - 8)
    .attr('y', rowHeight / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('font-size', fontSize)
    .attr('fill', 'currentColor')
    .text((d) => d.layerLabel);

  rows
    .append('rect')
    .attr('class', 'lens-cell')
    .attr('x', cellX)
    .attr('y', 0.5)
    .attr('width', cellWidth)
    .attr('height', rowHeight - 1)
    .attr('fill', (d) => colour(d.prob));

  rows
    .append('text')
    .attr('class', 'lens-token')
    .attr('x', cellX + 8)
    .attr('y', rowHeight / 2)
    .attr('dy', '0.35em')
    .attr('font-size', fontSize)
    .attr('fill', (d) => textColourOn(colour(d.prob)))
    .attr('direction', 'ltr')
    .attr('unicode-bidi', 'plaintext')
    .text((d) => clip(d.tokenDisplay, maxChars));

  rows
    .append('text')
    .attr('class', 'lens-prob')
    .attr('x', cellX + cellWidth + PROB_WIDTH)
    .attr('y', rowHeight / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('font-size', fontSize)
    .attr('font-variant-numeric', 'tabular-nums')
    .attr('fill', 'currentColor')
    .text((d) => d.prob.toFixed(3));

  // Hover / focus outline, moved by hover.ts.
  svg
    .append('rect')
    .attr('class', 'lens-highlight')
    .attr('x', cellX - 1)
    .attr('width', cellWidth + 2)
    .attr('height', rowHeight)
    .attr('fill', 'none')
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 2)
    .attr('pointer-events', 'none')
    .attr('visibility', 'hidden');

  drawLegend(svg.append('g').attr('transform', `translate(${cellX},${MARGIN.top + n * rowHeight + 14})`), Math.min(cellWidth, 320), colour);

  return { width, height, rowHeight, cellX, cellWidth, rowY };
}
