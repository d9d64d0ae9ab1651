// Rasterise an SVG document to PNG in the browser: wait for web fonts, load the SVG into an
// Image from a data: URL (same origin, so the canvas stays readable), draw at `scale` (2x for
// sharp slides) on a white background, encode as PNG.
import { prepareSVG, svgSize } from './svg';

const PNG_SCALE = 2;
/** canvas limits: Chromium refuses canvases above ~16k px a side or 268M pixels */
const MAX_SIDE = 16384;

export async function svgToPngBlob(svgText: string, scale = PNG_SCALE): Promise<Blob> {
  const svg = prepareSVG(svgText);
  const size = svgSize(svg) ?? { width: 800, height: 400 };
  const s = Math.min(scale, MAX_SIDE / size.width, MAX_SIDE / size.height);
  if (typeof document !== 'undefined' && document.fonts?.ready) await document.fonts.ready;
  const img = new Image();
  img.decoding = 'async';
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(size.width * s));
  canvas.height = Math.max(1, Math.round(size.height * s));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('the PNG could not be encoded'))), 'image/png'));
}
