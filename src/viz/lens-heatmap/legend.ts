// Colour legend: a viridis gradient from p = 0 to 1 with a small axis.
import { axisBottom, scaleLinear, type ScaleSequential, type Selection } from 'd3';

export const LEGEND_HEIGHT = 44;
let gradientCounter = 0;

export function drawLegend(g: Selection<SVGGElement, unknown, null, undefined>, width: number, colour: ScaleSequential<string>): void {
  const id = `xlens-viridis-${++gradientCounter}`;
  const grad = g.append('defs').append('linearGradient').attr('id', id).attr('x1', '0%').attr('x2', '100%');
  for (let i = 0; i <= 10; i++) {
    grad.append('stop').attr('offset', `${i * 10}%`).attr('stop-color', colour(i / 10));
  }
  g.append('text').attr('x', 0).attr('y', -2).attr('font-size', 11).attr('fill', 'currentColor').attr('opacity', 0.75).text('probability of the top-1 token');
  g.append('rect').attr('y', 4).attr('width', width).attr('height', 10).attr('fill', `url(#${id})`);
  const axis = axisBottom(scaleLinear().domain([0, 1]).range([0, width])).ticks(5).tickSize(3);
  g.append('g').attr('transform', 'translate(0,14)').call(axis).attr('font-size', 10);
}
