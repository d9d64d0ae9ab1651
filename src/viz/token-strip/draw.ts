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
          .attr('class', `xv-tok seg-${tok.segment}${tok.continuation ? ' cont' : ''}${tok.whitespace ? ' ws' : ''}${tok.last ? ' last' : ''}${tok.group ? ' xv-group' : ''}`)
          .attr('data-token', tok.index)
          .attr('data-last', tok.group ? tok.lastIndex : null)
          .attr('data-segment', tok.segment)
          .style('background', SEGMENT_TINT[tok.segment])
          .style('box-shadow', `inset 0 -3px 0 ${SEGMENT_COLOUR[tok.segment]}`)
          .attr('aria-label', tok.group ? `${SEGMENT_LABEL[tok.segment]} tokens ${tok.index} to ${tok.lastIndex}` : `${SEGMENT_LABEL[tok.segment]} token ${tok.index}`)
          .text(tok.display);
        if (tok.breakAfter) runEl.append('br');
      }
    }
  }
}

/** the element showing prompt position `token`: its own, or the group chip that holds it */
export function tokenElement(container: HTMLElement, token: number): HTMLElement | null {
  const own = container.querySelector<HTMLElement>(`.xv-tok[data-token="${token}"]`);
  if (own) return own;
  for (const el of container.querySelectorAll<HTMLElement>('.xv-tok.xv-group')) {
    if (Number(el.dataset.token) <= token && token <= Number(el.dataset.last)) return el;
  }
  return null;
}

/** mark the highlighted token (class "hl") */
export function markToken(container: HTMLElement, token: number | null): void {
  container.querySelectorAll('.xv-tok.hl').forEach((el) => el.classList.remove('hl'));
  if (token === null) return;
  tokenElement(container, token)?.classList.add('hl');
}
