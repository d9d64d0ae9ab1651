import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../../engine/result';
import type { ViewSource } from '../../app/views/registry';
import { defaultPageState } from '../../state/page-state';
import { exportFileName, resultFileName } from './filename';
import { FONT_STACK, prepareSVG, svgSize } from './svg';
import { BIDI_CONTROLS, genAnalysis, INVISIBLES, LONE_SURROGATES, pickOne, seeded, sprinkle } from '../../../test/state/result-generators';

const analysis = (): AnalysisResult => JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8'));
const matrix = (): MatrixResult => JSON.parse(readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8'));

/** every view's input: the page's defaults with knockout and relevance on, `r` on screen (and as model A) */
function viewSource(r: AnalysisResult, m: MatrixResult | null): ViewSource {
  const page = defaultPageState();
  page.analyses = { ...page.analyses, knockout: true, relevance: true };
  return { page, main: r, compare: r, matrix: m, metric: 'exactMatch', groups: undefined };
}

describe('prepareSVG', () => {
  it('adds the XML declaration, namespace, size and font stack', () => {
    const out = prepareSVG('<svg viewBox="0 0 320 200"><text x="1" y="2">أحمد</text></svg>');
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(out).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(out).toContain('width="320"');
    expect(out).toContain('height="200"');
    expect(out).toContain('Noto Sans Arabic');
    expect(svgSize(out)).toEqual({ width: 320, height: 200 });
    expect(out).toContain('أحمد');
  });

  it('is idempotent and keeps one declaration', () => {
    const once = prepareSVG('<?xml version="1.0"?><svg width="10" height="5"><rect/></svg>');
    expect(prepareSVG(once)).toBe(once);
    expect(once.match(/<\?xml/g)!.length).toBe(1);
  });

  it('removes scripts, handlers, foreignObject and external references, keeps internal ones and text', () => {
    const hostile =
      '<svg width="10" height="10" onload="alert(1)"><script>alert(1)</script><foreignObject><div>x</div></foreignObject>' +
      '<image href="http://evil/x.png"/><use xlink:href="#g"/><a href="javascript:alert(1)"><text>a</text></a>' +
      '<rect style="fill:url(http://evil/p)" fill="url(#grad)"/><style>@import url(http://evil/c.css); .a{background:url(//evil)}</style>' +
      '<text>onload=x &lt;img src=x onerror=alert(1)&gt; url(http://x)</text></svg>';
    const out = prepareSVG(hostile);
    expect(out).not.toMatch(/<script|foreignObject|onload="|http:\/\/evil|javascript:|@import/);
    expect(out).toContain('xlink:href="#g"');
    expect(out).toContain('fill="url(#grad)"');
    expect(out).toContain('<text>onload=x &lt;img src=x onerror=alert(1)&gt; url(http://x)</text>');
  });

  it('accepts every view of the real fixtures as standalone SVG', async () => {
    const { VIEWS } = await import('../../app/views/registry');
    const a = analysis();
    const source = viewSource(a, matrix());
    expect(VIEWS.every((v) => v.exports(source))).toBe(true);
    const svgs = VIEWS.map((v) => v.svg(source));
    for (const svg of svgs) {
      const out = prepareSVG(svg);
      expect(out.startsWith('<?xml')).toBe(true);
      expect(svgSize(out)).not.toBeNull();
      expect(out).toContain('font-family=');
      expect(out).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('refuses non-SVG text', () => {
    expect(() => prepareSVG('<html></html>')).toThrow(/not an SVG/);
  });

  it('exports the shared font stack', () => {
    expect(FONT_STACK).toMatch(/Noto Sans Thai/);
  });
});

describe('export text by class', () => {
  it('lone surrogates, control and bidi characters in token texts: every view exports as well-formed SVG and as a data: URI', async () => {
    const { VIEWS } = await import('../../app/views/registry');
    const rand = seeded(41);
    const views = VIEWS.filter((v) => v.tab === 'explore');
    for (let i = 0; i < 12; i++) {
      const r = genAnalysis(rand, { L: 2 + (i % 3), H: 2, T: 8 + i, knockout: true, relevance: true, script: pickOne(rand, ['latin', 'arabic', 'bytes'] as const) });
      const chars = [...LONE_SURROGATES, ...INVISIBLES, ...BIDI_CONTROLS];
      for (const t of r.prompt.tokens) t.text = sprinkle(rand, t.text, chars, 1 + (i % 3));
      r.prompt.target.text = sprinkle(rand, ' Lisbon', LONE_SURROGATES, 1);
      for (const k of Object.keys(r.lens.tokenText)) r.lens.tokenText[k] = sprinkle(rand, r.lens.tokenText[k], chars, 2);
      r.model.id = sprinkle(rand, 'owner/model', chars, 2);
      for (const v of views) {
        const source = viewSource(r, null);
        expect(v.exports(source), v.name).toBe(true);
        const out = prepareSVG(v.svg(source));
        // "URI malformed" was the PNG export's failure on a lone surrogate
        expect(() => encodeURIComponent(out), v.name).not.toThrow();
        expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(new TextDecoder().decode(new TextEncoder().encode(out))).toBe(out);
      }
    }
  });
});

describe('file names', () => {
  it('name model, languages, view and date with safe characters', () => {
    expect(exportFileName({ model: 'Qwen/Qwen2.5-0.5B', contextLang: 'th', questionLang: 'en', view: 'lens', date: '2025-03-04T10:00:00Z', ext: 'png' })).toBe('xlens_Qwen-Qwen2.5-0.5B_th-en_lens_2025-03-04.png');
    expect(exportFileName({ model: '../../<script>', ext: 'svg', date: 'nonsense' })).toBe('xlens_script_undated.svg');
    expect(resultFileName(analysis(), 'json')).toMatch(/^xlens_qwen2-bias-bf16_en-en_\d{4}-\d\d-\d\d\.json$/);
    expect(resultFileName(matrix(), 'csv')).toMatch(/^xlens_qwen2-bias-bf16_matrix-3x3_\d{4}-\d\d-\d\d\.csv$/);
  });
});
