// Make a view's SVG string a standalone, self-contained file: XML declaration, SVG namespace,
// explicit width/height (from the viewBox when missing), a font-family stack that renders
// every script of the 12 languages, and nothing that reaches outside the file (no scripts,
// event handlers, foreignObject, external hrefs or url()s, @import). The views build their
// SVG with escaped text (src/viz/common/svg.ts), so this is defence in depth, done with
// string rules that also run in Node (no DOMParser there). Attribute rules apply inside tags
// only, so text content is never altered.
import { visibleControls } from '../../state/text-safety';
import { FONT_STACK } from '../common/svg';

export { FONT_STACK };

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface SvgSize {
  width: number;
  height: number;
}

/** the root <svg ...> start tag: [start index, end index (after '>'), tag text] */
function rootTag(svg: string): [number, number, string] | null {
  const start = svg.search(/<svg[\s>]/i);
  if (start < 0) return null;
  const end = svg.indexOf('>', start);
  if (end < 0) return null;
  return [start, end + 1, svg.slice(start, end + 1)];
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? (m[2] ?? m[3]) : null;
}

function setAttr(tag: string, name: string, value: string): string {
  const esc = value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const re = new RegExp(`\\s${name}\\s*=\\s*("[^"]*"|'[^']*')`, 'i');
  if (re.test(tag)) return tag.replace(re, ` ${name}="${esc}"`);
  return tag.replace(/^<svg/i, `<svg ${name}="${esc}"`);
}

/** size from width/height attributes (px or unitless), else from the viewBox */
export function svgSize(svg: string): SvgSize | null {
  const r = rootTag(svg);
  if (!r) return null;
  const num = (v: string | null) => (v && /^\s*[\d.]+\s*(px)?\s*$/.test(v) ? parseFloat(v) : NaN);
  let width = num(attr(r[2], 'width'));
  let height = num(attr(r[2], 'height'));
  const vb = attr(r[2], 'viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (vb && vb.length === 4 && vb.every(Number.isFinite)) {
    if (!(width > 0)) width = vb[2];
    if (!(height > 0)) height = vb[3];
  }
  return width > 0 && height > 0 ? { width, height } : null;
}

const isInternalRef = (v: string) => /^\s*#/.test(v) || /^\s*data:image\/(png|jpeg|gif|webp);base64,/i.test(v);
const EXTERNAL_URL = /url\(\s*(['"]?)(?!#)[^)]*\)/gi;

const cleanCss = (css: string) => css.replace(/@import[^;]*;?/gi, '').replace(EXTERNAL_URL, 'none');

function cleanTag(tag: string): string {
  return tag
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+(xlink:href|href|src)\s*=\s*("([^"]*)"|'([^']*)')/gi, (m: string, _n: string, _q: string, d?: string, s?: string) => (isInternalRef(d ?? s ?? '') ? m : ''))
    .replace(EXTERNAL_URL, 'none');
}

/** Standalone, self-contained SVG document text. Throws only when the input has no <svg> root. */
export function prepareSVG(input: string, fallback: SvgSize = { width: 800, height: 400 }): string {
  // well-formed UTF-8 and XML: a lone surrogate (half a byte-level token) or a raw control
  // character would make the file unreadable and the PNG's data: URI fail ("URI malformed")
  let svg = visibleControls(input).replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>\s*/gi, '').replace(/<!DOCTYPE[^>]*>\s*/gi, '');
  svg = svg
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<script\b[^>]*\/>/gi, '')
    .replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/<foreignObject\b[^>]*\/>/gi, '')
    .replace(/<[A-Za-z][^>]*>/g, cleanTag)
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)/gi, (_m: string, open: string, css: string, close: string) => open + cleanCss(css) + close);
  const r = rootTag(svg);
  if (!r) throw new Error('not an SVG document (no <svg> element)');
  let tag = r[2];
  if (!attr(tag, 'xmlns')) tag = setAttr(tag, 'xmlns', SVG_NS);
  const size = svgSize(svg) ?? fallback;
  if (!(parseFloat(attr(tag, 'width') ?? '') > 0)) tag = setAttr(tag, 'width', String(size.width));
  if (!(parseFloat(attr(tag, 'height') ?? '') > 0)) tag = setAttr(tag, 'height', String(size.height));
  if (!attr(tag, 'viewBox')) tag = setAttr(tag, 'viewBox', `0 0 ${size.width} ${size.height}`);
  if (!attr(tag, 'font-family')) tag = setAttr(tag, 'font-family', FONT_STACK);
  svg = svg.slice(0, r[0]) + tag + svg.slice(r[1]);
  return `${XML_DECL}\n${svg.trim()}\n`;
}
