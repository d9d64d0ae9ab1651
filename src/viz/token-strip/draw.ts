// Drawing of the token strip (HTML via d3: the browser's bidi algorithm lays out Arabic runs,
// each direction run isolated with <bdi dir=…>; the context and its answer span form one block
// so an Arabic passage keeps its right-to-left order across the answer span). Text goes in with .text(), never as markup.
import { select } from 'd3';
import { SEGMENT_COLOUR, SEGMENT_LABEL, SEGMENT_TINT } from '../common/segments';
import type { TokenStripData } from './data';

export function drawTokenStrip(container: HTMLElement, data: TokenStripData): void {
  const root = select(container);
  root.selectAll('*').remove();
  for (const seg of data.segments) {
    const segEl = root.append('span').attr('class', `xv-block block-${seg.block}`).attr('data-block', seg.block);
    for (const run of seg.runs) {
      const runEl = segEl.append('bdi').attr('class', 'xv-run').attr('dir', run.dir);
      for (const tok of run.tokens) {
        runEl
          .append('span')
          .attr('class', `xv-tok seg-${tok.segment}${tok.continuation ? ' cont' : ''}${tok.whitespace ? ' ws' : ''}${tok.last ? ' last' : ''}`)
          .attr('data-token', tok.index)
          .attr('data-segment', tok.segment)
          .style('background', SEGMENT_TINT[tok.segment])
          .style('box-shadow', `inset 0 -3px 0 ${SEGMENT_COLOUR[tok.segment]}`)
          .attr('aria-label', `${SEGMENT_LABEL[tok.segment]} token ${tok.index}`)
          .text(tok.display);
        if (tok.breakAfter) runEl.append('br');
      }
    }
  }
}

/** mark the highlighted token (class "hl") */
export function markToken(container: HTMLElement, token: number | null): void {
  container.querySelectorAll('.xv-tok.hl').forEach((el) => el.classList.remove('hl'));
  if (token === null) return;
  container.querySelector(`.xv-tok[data-token="${token}"]`)?.classList.add('hl');
}
