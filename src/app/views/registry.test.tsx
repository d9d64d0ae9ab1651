// The view registry is the only list of views: every view component, every src/viz SVG builder,
// every panel view of the Explore tab and every export name must come from it, so a view added
// in one place only fails here.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../../engine/result';
import { defaultPageState } from '../../state/page-state';
import { tokenGroups } from '../../viz/common/token-groups';
import { useAppStore } from '../../state/store';
import { ExploreTab } from '../ExploreTab';
import { exportableViews, VIEWS, type ViewSource } from './registry';

const analysis = (): AnalysisResult => JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8'));
const matrix = (): MatrixResult => JSON.parse(readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8'));

function source(over: Partial<ViewSource> = {}): ViewSource {
  const r = analysis();
  return { page: defaultPageState(), main: r, compare: r, matrix: matrix(), metric: 'exactMatch', groups: undefined, ...over };
}

/** the data-testids a file writes literally (`data-testid="x"`, `testId="x"`) */
function literalTestIds(text: string): string[] {
  return [...text.matchAll(/(?:data-testid|testId)="([a-z0-9-]+)"/g)].map((m) => m[1]);
}

/** controls and notes beside the views, not views themselves */
const WIDGETS = new Set(['lens-coverage', 'lens-complete']);

describe('view registry', () => {
  it('names each view, test id and export once', () => {
    expect(new Set(VIEWS.map((v) => v.name)).size).toBe(VIEWS.length);
    expect(new Set(VIEWS.map((v) => v.testId)).size).toBe(VIEWS.length);
    for (const v of VIEWS) expect(v.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('has an entry for every SVG builder in src/viz', () => {
    const builders = readdirSync('src/viz').filter((d) => existsSync(`src/viz/${d}/svg.ts`) && /export function renderSVG/.test(readFileSync(`src/viz/${d}/svg.ts`, 'utf8')));
    expect(builders.length).toBeGreaterThan(5);
    expect(VIEWS.map((v) => v.viz).sort()).toEqual([...builders].sort());
  });

  it('has an entry for every view component in src/app/views', () => {
    const ids = new Set<string>();
    for (const f of readdirSync('src/app/views').filter((f) => f.endsWith('.tsx') && !f.includes('.test.'))) {
      for (const id of literalTestIds(readFileSync(`src/app/views/${f}`, 'utf8'))) ids.add(id);
    }
    const views = [...ids].filter((id) => !WIDGETS.has(id)).sort();
    expect(views).toEqual(VIEWS.map((v) => v.testId).sort());
  });

  it('draws every Explore view in a panel of the Explore tab, in registry order, and nothing else', () => {
    const explore = VIEWS.filter((v) => v.tab === 'explore');
    for (const v of explore) expect(v.explore, v.name).toBeDefined();
    const r = analysis();
    expect(r.knockout && r.relevance).toBeTruthy();
    // a server render reads the store's initial state (zustand's server snapshot): set it for this render;
    // the app's store is built from the browser's address on first use, so give it one
    vi.stubGlobal('window', { location: new URL('http://127.0.0.1/'), history: { state: null, replaceState() {} } });
    const init = useAppStore.getInitialState();
    const saved = { page: init.page, main: init.main };
    Object.assign(init, { page: defaultPageState(), main: { ...init.main, status: 'done', result: r, partial: false } });
    let html: string;
    try {
      html = renderToStaticMarkup(<ExploreTab />);
    } finally {
      Object.assign(init, saved);
      vi.unstubAllGlobals();
    }
    const viewIds = new Set(VIEWS.map((v) => v.testId));
    const shown = [...new Set([...html.matchAll(/data-testid="([a-z0-9-]+)"/g)].map((m) => m[1]).filter((id) => viewIds.has(id)))];
    expect(shown).toEqual(explore.map((v) => v.testId));
    // each panel the registry names is on the page
    for (const v of explore) expect(html, v.name).toContain(`data-panel="${v.explore!.panel}"`);
  });

  it('exports what each tab shows, by the names and titles the menu has always had', () => {
    const s = source();
    expect(exportableViews('explore', s).map((v) => [v.name, v.title])).toEqual([
      ['phase-summary', 'Phases in words'],
      ['phase-bands', 'Phase bands'],
      ['token-strip', 'Prompt tokens'],
      ['lens', 'Logit lens'],
      ['attention', 'Attention of the last token'],
      ['segment-chart', 'Attention mass per segment'],
      ['knockout', 'Attention knockout'],
      ['relevance', 'Relevance (AttnLRP)'],
      ['mrd-chart', 'Cumulative relevance and MRD'],
    ]);
    expect(exportableViews('explore', s).map((v) => v.name)).toEqual(VIEWS.filter((v) => v.tab === 'explore').map((v) => v.name));
    expect(exportableViews('matrix', s).map((v) => [v.name, v.title])).toEqual([['pair-matrix', 'Language-pair matrix']]);
    expect(exportableViews('compare', s).map((v) => [v.name, v.title])).toEqual([['compare', 'Compare models']]);
    const diff = source();
    diff.page.compare = { ...diff.page.compare, diff: true };
    expect(exportableViews('compare', diff).map((v) => v.title)).toEqual(['Compare models (B − A)']);
    // every entry is exported from some tab
    const all = (['explore', 'matrix', 'compare'] as const).flatMap((t) => exportableViews(t, s).map((v) => v.name));
    expect(all.sort()).toEqual(VIEWS.map((v) => v.name).sort());
  });

  it('offers only what the page has: no analysis, no sweep switched off, no missing sweep', () => {
    expect(exportableViews('explore', source({ main: null }))).toEqual([]);
    expect(exportableViews('matrix', source({ matrix: null }))).toEqual([]);
    expect(exportableViews('compare', source({ compare: null }))).toEqual([]);
    const off = source();
    off.page.analyses = { ...off.page.analyses, knockout: false, relevance: false };
    expect(exportableViews('explore', off).map((v) => v.name)).not.toEqual(expect.arrayContaining(['knockout']));
    expect(exportableViews('explore', off).map((v) => v.name)).toEqual(['phase-summary', 'phase-bands', 'token-strip', 'lens', 'attention', 'segment-chart']);
    const bare = analysis();
    delete bare.knockout;
    delete bare.relevance;
    expect(exportableViews('explore', source({ main: bare })).map((v) => v.name)).toHaveLength(6);
  });

  it('exports the view as the page draws it: metric, head, mode and sentence groups', () => {
    const s = source();
    const lens = VIEWS.find((v) => v.name === 'lens')!;
    s.page.view = { ...s.page.view, lensMetric: 'rank' };
    const rank = lens.svg(s);
    s.page.view = { ...s.page.view, lensMetric: 'prob' };
    expect(rank).not.toBe(lens.svg(s));
    const att = VIEWS.find((v) => v.name === 'attention')!;
    const mean = att.svg(s);
    // a head the result does not have falls back to the mean, as on the page
    s.page.view = { ...s.page.view, head: 999 };
    expect(att.svg(s)).toBe(mean);
    s.page.view = { ...s.page.view, head: 0 };
    expect(att.svg(s)).not.toBe(mean);
    const seg = VIEWS.find((v) => v.name === 'segment-chart')!;
    const stacked = seg.svg(s);
    s.page.view = { ...s.page.view, segmentChart: 'lines' };
    expect(seg.svg(s)).not.toBe(stacked);
    const strip = VIEWS.find((v) => v.name === 'token-strip')!;
    const every = strip.svg(s);
    const groups = tokenGroups(s.main!, 'sentences');
    expect(groups.length).toBeLessThan(s.main!.prompt.tokens.length);
    expect(strip.svg({ ...s, groups })).not.toBe(every);
  });
});
