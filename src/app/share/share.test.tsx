import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../engine/result';
import { defaultPageState } from '../../state/page-state';
import { readResultFile } from './ImportResult';
import { RecordedBanner } from './RecordedBanner';
import { ShareMenu } from './ShareMenu';

const text = readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8');

describe('share components (static render)', () => {
  it('RecordedBanner shows hostile model ids as text', () => {
    const html = renderToStaticMarkup(<RecordedBanner recorded={{ model: '<img src=x onerror=alert(1)>', backend: 'wasm', date: '2025-11-06T10:00:00Z' }} onRerun={() => {}} />);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('data-testid="recorded-rerun"');
    expect(html).toContain('WASM, 2025-11-06 10:00 UTC');
  });

  it('ShareMenu renders its toggle closed', () => {
    const html = renderToStaticMarkup(<ShareMenu state={defaultPageState()} result={null} views={[]} onImport={() => {}} base="http://x/" />);
    expect(html).toContain('data-testid="share-toggle"');
    expect(html).toContain('aria-expanded="false"');
  });
});

describe('readResultFile', () => {
  const file = (body: string, name = 'r.json') => new File([body], name, { type: 'application/json' });
  it('accepts a result file and derives the page', async () => {
    const r = await readResultFile(file(text), defaultPageState());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.state.custom?.question).toBe((JSON.parse(text) as AnalysisResult).input.question);
  });
  it('reports a truncated or hostile file', async () => {
    const r = await readResultFile(file(text.slice(0, 500)), defaultPageState());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/not valid JSON/);
    const h = await readResultFile(file('{"__proto__":{"x":1},"kind":"analysis"}'), defaultPageState());
    expect(h.ok).toBe(false);
  });
  it('refuses a file with two byte-order marks and one that is not UTF-8; accepts one mark', async () => {
    const two = await readResultFile(file(`\uFEFF\uFEFF${text}`), defaultPageState());
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.errors[0]).toMatch(/two byte-order marks/);
    expect((await readResultFile(file(`\uFEFF${text}`), defaultPageState())).ok).toBe(true);
    const latin1 = new File([new Uint8Array([0x7b, 0xe9, 0x7d])], 'x.json');
    const bad = await readResultFile(latin1, defaultPageState());
    expect(!bad.ok && bad.errors[0]).toMatch(/not UTF-8 text/);
  });
});
