// The matrix slice with a scripted worker: cells arrive with their progress, cancel keeps the
// cells done so far, failures say so, and a run the page has moved past is ignored.
import { describe, expect, it, vi } from 'vitest';
import { CATALOG } from '../data/catalog';
import type { MatrixResult } from '../engine/result';
import { recordedOf } from './permalink';
import { fakePage, readyMessage } from '../../test/state/fake-store';
import { genMatrix, seeded } from '../../test/state/result-generators';

const LANGS = ['ar', 'en', 'zh'];
const full = (seed = 1): MatrixResult => genMatrix(seeded(seed), { contextLangs: LANGS, questionLangs: LANGS, N: 2, L: 2, complete: true });
/** the first n cells of a matrix, as the worker sends them while it runs */
const firstCells = (m: MatrixResult, n: number): MatrixResult => ({ ...m, cells: m.cells.slice(0, n), complete: false });

async function started(opts: Parameters<typeof fakePage>[0] = {}) {
  const p = fakePage(opts);
  const run = p.store.getState().runMatrix();
  await vi.waitFor(() => expect(p.worker().requests('matrix')).toHaveLength(1));
  return { p, run, req: p.worker().requests('matrix')[0] };
}

describe('matrix slice', () => {
  it('asks for the chosen examples and language pairs and shows cells as they arrive', async () => {
    const p = fakePage();
    const run = p.store.getState().runMatrix();
    expect(p.store.getState().matrix).toMatchObject({ status: 'loading', done: 0, total: 9, result: null });
    await vi.waitFor(() => expect(p.worker().requests('matrix')).toHaveLength(1));
    const req = p.worker().requests('matrix')[0];
    const tiny = CATALOG.filter((e) => e.set === 'tiny').slice(0, 2);
    expect(req.examples.map((e) => e.id)).toEqual(tiny.map((e) => e.id));
    expect(req).toMatchObject({ contextLangs: LANGS, questionLangs: LANGS, depths: true, mrd: true, template: 'plain', window: null });
    expect(p.store.getState().matrix.status).toBe('running');
    expect(p.store.getState().main.ready?.modelId).toBe('xlens-tiny-instruct');

    const m = full();
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: firstCells(m, 1), done: 1, total: 9, final: false });
    expect(p.store.getState().matrix).toMatchObject({ status: 'running', done: 1, total: 9, result: { cells: [m.cells[0]] } });
    // a second `ready` mid-run (GPU lost, now WASM) is what the main slot shows as loaded
    p.worker().emit(readyMessage(req.requestId, { backend: 'wasm', modelId: 'after-device-loss' }));
    expect(p.store.getState().main.ready?.modelId).toBe('after-device-loss');
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: m, done: 9, total: 9, final: true });
    await run;
    expect(p.store.getState().matrix).toMatchObject({ status: 'done', done: 9, result: m, progress: null, error: null });
  });

  it('cancel stops the matrix in the worker and keeps the cells done so far', async () => {
    const { p, run, req } = await started();
    const m = full();
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: firstCells(m, 2), done: 2, total: 9, final: false });
    p.store.getState().cancel('matrix');
    expect(p.worker().cancelled()).toEqual([req.requestId]);
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: firstCells(m, 3), done: 3, total: 9, final: true });
    p.worker().cancel(req.requestId, 'matrix');
    await run;
    expect(p.store.getState().matrix).toMatchObject({ status: 'cancelled', done: 3, progress: null, result: { complete: false } });
    expect(p.store.getState().matrix.result?.cells).toHaveLength(3);
    expect(p.worker().terminated).toBe(false);
  });

  it('a failure says so and keeps the cells', async () => {
    const { p, run, req } = await started();
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: firstCells(full(), 1), done: 1, total: 9, final: false });
    p.worker().emit({ type: 'error', requestId: req.requestId, during: 'matrix', name: 'Error', message: 'session exploded' });
    await run;
    expect(p.store.getState().matrix).toMatchObject({ status: 'error', error: 'The analysis failed: session exploded', done: 1 });
    p.store.getState().dismissError('matrix');
    expect(p.store.getState().matrix.error).toBeNull();

    const missing = fakePage({ respond: () => ({ status: 404, body: '' }) });
    await missing.store.getState().runMatrix();
    expect(missing.store.getState().matrix).toMatchObject({ status: 'error', error: expect.stringMatching(/^The model folder "xlens-tiny-instruct" is missing/) });
    expect(missing.workers.main).toHaveLength(0);
  });

  it('an empty example set or XQuAD data that does not load is an error before any worker starts', async () => {
    const p = fakePage();
    p.store.getState().setMatrixOptions({ count: 0 });
    await p.store.getState().runMatrix();
    expect(p.store.getState().matrix).toMatchObject({ status: 'error', error: 'The tiny example set is empty.' });

    p.store.getState().setMatrixOptions({ set: 'xquad', count: 2 });
    await p.store.getState().runMatrix();
    expect(p.store.getState().matrix).toMatchObject({ status: 'error', progress: null, error: expect.stringContaining('XQuAD data') });
    expect(p.store.getState().xquad.loading).toEqual([]);
    expect(p.workers.main).toHaveLength(0);
  });

  it('a recorded matrix shown meanwhile stops the run, and its late cells never replace it', async () => {
    const { p, run, req } = await started();
    const recorded = full(2);
    p.store.getState().showRecorded(recorded, recordedOf(recorded));
    expect(p.worker().cancelled()).toEqual([req.requestId]);
    p.worker().emit({ type: 'matrix', requestId: req.requestId, result: firstCells(full(), 1), done: 1, total: 9, final: true });
    p.worker().cancel(req.requestId, 'matrix');
    await run;
    expect(p.store.getState().recorded?.kind).toBe('matrix');
    expect(p.store.getState().matrix).toMatchObject({ status: 'done', result: recorded, done: recorded.cells.length, total: 9 });
  });
});
