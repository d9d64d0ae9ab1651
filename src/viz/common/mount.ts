// Mounts an SNode scene (./svg.ts) into a live SVG element: createElementNS + textContent,
// never innerHTML, so token text can never be parsed as markup.
import type { SNode } from './svg';

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node: SNode): Element {
  const el = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  if (node.text !== undefined) el.textContent = node.text;
  else for (const c of node.children) el.appendChild(build(c));
  return el;
}

/** replace the children of `parent` with the scene nodes */
export function mount(parent: Element, nodes: SNode[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  for (const n of nodes) parent.appendChild(build(n));
}
