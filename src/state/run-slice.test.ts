// The run slice with scripted workers: a run's replies land in its slot; a newer run (or a
// changed page) makes an older run's replies be ignored; cancel stops the run in the worker
// and keeps the shown result; failures say what went wrong; the lens completes on demand.
import { describe, expect, it, vi } from 'vitest';
import type { AnalysisResult } from '../engine/result';
import { defaultPageState } from './page-state';
import { analysisKey } from './run-slice';
import { fakePage, readyMessage } from '../../test/state/fake-store';
import { genAnalysis, seeded } from '../../test/state/result-generators';

/** a complete analysis result (every lens cell), told apart by its model id */
function analysis(id: string, seed = 1): AnalysisResult {
  const r = genAnalysis(seeded(seed), { L: 2, H: 2, T: 10, partial: false, modelId: id });
  return { ...r, lens: { ...r.lens, coverage: 'all' } };
}

/** a result whose lens covers some positions only (what a fast first analysis shows) */
function lensPart(id: string): AnalysisResult {
  const r = analysis(id);
  return { ...r, lens: { ...r.lens, coverage: 'phases', targetProb: r.lens.targetProb.map((row) => row.map((v, t) => (t === 0 ? null : v))) } };
}

const keyOf = (s: ReturnType<ReturnType<typeof fakePage>['store']['getState']>) => analysisKey(s.page, s.page.model, s.runtime);

describe('run slice', () => {
  it('re-runs on what the analysis depends on, not on view options', () => {
    const rt = { hubBase: 'https://huggingface.co', debug: false, maxNewTokens: 16 };
    const s = defaultPageState();
    const k = analysisKey(s, s.model, rt);
    expect(analysisKey({ ...s, view: { ...s.view, lensMetric: 'rank', pinnedLayer: 3 } }, s.model, rt)).toBe(k);
    expect(analysisKey({ ...s, tab: 'matrix' }, s.model, rt)).toBe(k);
    expect(analysisKey({ ...s, contextLang: 'ar' }, s.model, rt)).not.toBe(k);
    expect(analysisKey({ ...s, analyses: { ...s.analyses, knockout: false } }, s.model, rt)).not.toBe(k);
  });

  it('loads the model, shows stage progress and partial results, and ends done with the key it answers', async () => {
    const p = fakePage();
    const run = p.store.getState().runAnalysis();
    expect(p.store.getState().main.status).toBe('loading');
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    expect(p.fetched).toEqual(['http://xlens.test/models/xlens-tiny-instruct/config.json']);
    expect(p.worker().requests('load')[0].source).toEqual({ kind: 'url', url: 'http://xlens.test/models/xlens-tiny-instruct' });
    const { requestId } = p.worker().requests('analyze')[0];
    expect(p.store.getState().main).toMatchObject({ status: 'running', ready: { modelId: 'xlens-tiny-instruct' }, wantKey: keyOf(p.store.getState()) });

    p.worker().emit({ type: 'stage', requestId, stage: 'knockout', done: 1, total: 4 });
    expect(p.store.getState().main.progress).toMatchObject({ phase: 'compute', stage: 'knockout', label: expect.stringContaining('batch 1 of 4') });
    const first = { ...analysis('m'), pending: ['knockout' as const] };
    p.worker().emit({ type: 'analysis', requestId, result: first, partial: true });
    expect(p.store.getState().main).toMatchObject({ status: 'running', partial: true, result: first });
    const done = analysis('m');
    p.worker().emit({ type: 'analysis', requestId, result: done, partial: false });
    await run;
    expect(p.store.getState().main).toMatchObject({ status: 'done', partial: false, progress: null, result: done, resultKey: keyOf(p.store.getState()) });
  });

  it('ignores a stale run: after the page changes, the older run is cancelled and its late replies never show', async () => {
    const p = fakePage();
    const runA = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    const a = p.worker().requests('analyze')[0];
    const keyA = keyOf(p.store.getState());

    p.store.getState().setPage({ questionLang: 'de' });
    const runB = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(2));
    const b = p.worker().requests('analyze')[1];
    const keyB = keyOf(p.store.getState());
    expect(keyB).not.toBe(keyA);
    expect(b.input.questionLang).toBe('de');
    expect(p.worker().cancelled()).toEqual([a.requestId]);
    expect(p.workers.main).toHaveLength(1); // same model: the loaded worker is reused

    // the worker answers the old request late (it finished before the cancel arrived)
    p.worker().emit({ type: 'stage', requestId: a.requestId, stage: 'lens' });
    p.worker().emit({ type: 'analysis', requestId: a.requestId, result: analysis('stale'), partial: false });
    await runA;
    expect(p.store.getState().main).toMatchObject({ status: 'running', result: null, progress: null, wantKey: keyB });

    const fresh = analysis('fresh');
    p.worker().emit({ type: 'analysis', requestId: b.requestId, result: fresh, partial: false });
    await runB;
    expect(p.store.getState().main).toMatchObject({ status: 'done', result: fresh, resultKey: keyB, previous: null });
  });

  it('keeps the shown result as `previous` when the next one arrives', async () => {
    const p = fakePage();
    const one = analysis('one');
    const run1 = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[0].requestId, result: one, partial: false });
    await run1;
    p.store.getState().setPage({ contextLang: 'ar' });
    const run2 = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(2));
    const two = analysis('two', 2);
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[1].requestId, result: two, partial: true });
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[1].requestId, result: two, partial: false });
    await run2;
    expect(p.store.getState().main).toMatchObject({ status: 'done', result: two, previous: one });
  });

  it('cancel stops the analysis in the worker and keeps the result shown before', async () => {
    const p = fakePage();
    const one = analysis('one');
    const run1 = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[0].requestId, result: one, partial: false });
    await run1;

    p.store.getState().setPage({ contextLang: 'zh' });
    const run2 = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(2));
    const { requestId } = p.worker().requests('analyze')[1];
    expect(p.store.getState().main.status).toBe('running');
    p.store.getState().cancel('main');
    expect(p.worker().cancelled()).toEqual([requestId]);
    p.worker().cancel(requestId);
    await run2;
    expect(p.store.getState().main).toMatchObject({ status: 'cancelled', progress: null, result: one, error: null });
    expect(p.worker().terminated).toBe(false); // the model stays loaded
  });

  it('cancel during the load stops the worker', async () => {
    const p = fakePage({ autoLoad: false });
    const run = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('load')).toHaveLength(1));
    p.store.getState().cancel('main');
    await run;
    expect(p.worker().terminated).toBe(true);
    expect(p.store.getState().main).toMatchObject({ status: 'cancelled', progress: null, ready: null });
  });

  it('says what failed: a missing bundled model, an engine error, an input problem', async () => {
    const missing = fakePage({ respond: () => ({ status: 404, body: 'no' }) });
    await missing.store.getState().runAnalysis();
    expect(missing.workers.main).toHaveLength(0);
    expect(missing.store.getState().main).toMatchObject({ status: 'error', error: expect.stringContaining('The model folder "xlens-tiny-instruct" is missing: http://xlens.test/models/xlens-tiny-instruct/config.json answered 404') });
    missing.store.getState().dismissError('main');
    expect(missing.store.getState().main).toMatchObject({ status: 'idle', error: null });

    const p = fakePage();
    const run = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    p.worker().emit({ type: 'error', requestId: p.worker().requests('analyze')[0].requestId, during: 'analyze', name: 'InputTooLongError', message: 'The prompt has 1524 tokens; this model accepts at most 1024.' });
    await run;
    expect(p.store.getState().main).toMatchObject({ status: 'error', error: 'The prompt is too long: it has 1524 tokens; this model accepts at most 1024.', ready: { modelId: 'xlens-tiny-instruct' } });

    p.store.getState().setPage({ example: null, custom: { context: 'Maria lives in Lisbon.', question: 'Where?', answer: 'Porto' } });
    await p.store.getState().runAnalysis();
    expect(p.store.getState().inputProblem).toMatch(/does not occur in the context/);
    expect(p.store.getState().main.status).toBe('idle');
    expect(p.worker().requests('analyze')).toHaveLength(1);
  });

  it('refuses the chat template when the model has none, without asking the worker', async () => {
    const p = fakePage({ autoLoad: false });
    p.store.getState().setPage({ template: 'chat' });
    const run = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('load')).toHaveLength(1));
    p.worker().emit(readyMessage(p.worker().requests('load')[0].requestId, { hasChatTemplate: false }));
    await run;
    expect(p.worker().requests('analyze')).toHaveLength(0);
    expect(p.store.getState().main).toMatchObject({ status: 'error', error: 'The input cannot be analysed: this model has no chat template; choose the plain template.' });
  });

  it('runs the compare model in its own worker, apart from the main run', async () => {
    const p = fakePage();
    p.store.getState().setPage((s) => ({ ...s, compare: { ...s.compare, model: { kind: 'bundled', name: 'xlens-tiny-base' } } }));
    const main = p.store.getState().runAnalysis();
    const cmp = p.store.getState().runCompare();
    await vi.waitFor(() => expect(p.workers.compare.at(-1)?.requests('analyze')).toHaveLength(1));
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    expect(p.worker('compare').requests('load')[0].source).toEqual({ kind: 'url', url: 'http://xlens.test/models/xlens-tiny-base' });
    const base = analysis('base');
    p.worker('compare').emit({ type: 'analysis', requestId: p.worker('compare').requests('analyze')[0].requestId, result: base, partial: false });
    await cmp;
    expect(p.store.getState().compare).toMatchObject({ status: 'done', result: base });
    expect(p.store.getState().main).toMatchObject({ status: 'running', result: null });
    p.store.getState().cancel('main');
    p.worker().cancel(p.worker().requests('analyze')[0].requestId);
    await main;
    expect(p.store.getState().main.status).toBe('cancelled');
    expect(p.store.getState().compare.status).toBe('done');
  });
});

describe('lens completion', () => {
  async function shown(result: AnalysisResult) {
    const p = fakePage();
    const run = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[0].requestId, result, partial: false });
    await run;
    return p;
  }

  it('asks the worker for the positions the lens left out and shows the filled grid', async () => {
    const part = lensPart('m');
    const p = await shown(part);
    const fill = p.store.getState().completeLens();
    expect(p.store.getState().main.status).toBe('running');
    const [req] = p.worker().requests('fill-lens');
    expect(req.input).toEqual(part.input);
    p.worker().emit({ type: 'stage', requestId: req.requestId, stage: 'lens', done: 3, total: 10 });
    expect(p.store.getState().main.progress?.label).toMatch(/3 of 10 layer × position cells/);
    const full = analysis('m');
    p.worker().emit({ type: 'analysis', requestId: req.requestId, result: full, partial: false });
    await fill;
    expect(p.store.getState().main).toMatchObject({ status: 'done', result: full, partial: false, progress: null });
  });

  it('cancelled, it keeps the cells computed so far and nothing stays pending', async () => {
    const p = await shown(lensPart('m'));
    const fill = p.store.getState().completeLens();
    const [req] = p.worker().requests('fill-lens');
    const half = { ...lensPart('m'), pending: ['lens' as const] };
    half.lens.targetProb[0][1] = 0.5;
    p.worker().emit({ type: 'analysis', requestId: req.requestId, result: half, partial: true });
    p.store.getState().cancel('main');
    expect(p.worker().cancelled()).toEqual([req.requestId]);
    p.worker().cancel(req.requestId, 'fill-lens');
    await fill;
    const s = p.store.getState().main;
    expect(s).toMatchObject({ status: 'done', partial: false, progress: null });
    expect(s.result?.pending).toBeUndefined();
    expect(s.result?.lens.targetProb[0][1]).toBe(0.5);
  });

  it('does nothing for a full lens or a result the page has left', async () => {
    const p = await shown(analysis('m'));
    await p.store.getState().completeLens();
    expect(p.worker().requests('fill-lens')).toHaveLength(0);

    const q = await shown(lensPart('m'));
    q.store.getState().setPage({ contextLang: 'th' });
    await q.store.getState().completeLens();
    expect(q.worker().requests('fill-lens')).toHaveLength(0);
    expect(q.store.getState().main.status).toBe('done');
  });
});
