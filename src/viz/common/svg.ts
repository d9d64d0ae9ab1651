// A tiny scene description shared by the live views and the SVG export: a view builds a tree
// of SNodes once (pure, testable in Node); `toSVGString` serialises it for export with every
// text and attribute XML-escaped, `mount` (./mount.ts) creates DOM nodes with textContent.
// One description, two outputs, so what is exported is what is seen.

export type AttrValue = string | number | boolean | null | undefined;

export interface SNode {
  tag: string;
  attrs: Record<string, AttrValue>;
  children: SNode[];
  /** text content (escaped on output, never parsed as markup) */
  text?: string;
}

/** font stack that renders Latin, Greek, Cyrillic, Arabic, Devanagari, Thai and Chinese */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export function h(tag: string, attrs: Record<string, AttrValue> = {}, ...children: (SNode | null | undefined | false | SNode[])[]): SNode {
  const flat: SNode[] = [];
  for (const c of children) {
    if (!c) continue;
    if (Array.isArray(c)) flat.push(...c);
    else flat.push(c);
  }
  return { tag, attrs, children: flat };
}

/** a <text> (or <tspan>, <title>) node with text content */
export function t(tag: string, attrs: Record<string, AttrValue>, text: string): SNode {
  return { tag, attrs, children: [], text };
}

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function attrString(attrs: Record<string, AttrValue>): string {
  let s = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    s += ` ${k}="${xmlEscape(v === true ? '' : typeof v === 'number' ? fmtNum(v) : v)}"`;
  }
  return s;
}

function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}

export function toSVGString(node: SNode): string {
  const open = `<${node.tag}${attrString(node.attrs)}`;
  if (node.text !== undefined) return `${open}>${xmlEscape(node.text)}</${node.tag}>`;
  if (!node.children.length) return `${open}/>`;
  return `${open}>${node.children.map(toSVGString).join('')}</${node.tag}>`;
}

/** a standalone SVG document around a scene of the given size */
export function svgDocument(width: number, height: number, body: SNode[], title: string): string {
  const root = h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': FONT_STACK,
      'font-size': 11,
      fill: '#1b1f24',
      role: 'img',
      'aria-label': title,
    },
    t('title', {}, title),
    h('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    body,
  );
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + toSVGString(root) + '\n';
}

/** find nodes whose attribute matches (used by tests) */
function findAll(node: SNode, pred: (n: SNode) => boolean, out: SNode[] = []): SNode[] {
  if (pred(node)) out.push(node);
  for (const c of node.children) findAll(c, pred, out);
  return out;
}
