// The recorded slice: a permalinked result opens read-only (nothing runs), a result shown while
// a live run computes stops that run and its late replies never replace it, and "Re-run live"
// drops the result from the address and computes it again.
import { describe, expect, it, vi } from 'vitest';
import type { AnalysisResult } from '../engine/result';
import { defaultPageState } from './page-state';
import { encodeResultPayload, pageAddress, recordedOf } from './permalink';
import { analysisKey } from './run-slice';
import { fakePage } from '../../test/state/fake-store';
import { genAnalysis, seeded } from '../../test/state/result-generators';

const analysis = (id: string, seed = 1): AnalysisResult => genAnalysis(seeded(seed), { L: 2, H: 2, T: 10, partial: false, modelId: id });
const RT = { hubBase: 'https://huggingface.co', debug: false, maxNewTokens: 16 };

describe('recorded slice', () => {
  it('a permalink with a result opens it read-only; "Re-run live" drops it from the address and shows the live one', async () => {
    const page = { ...defaultPageState(), contextLang: 'ar' as const, example: 'tiny-01' };
    const address = await pageAddress(page, RT, await encodeResultPayload(analysis('recorded-model')));
    const p = fakePage({ href: `http://xlens.test/${address}` });
    expect(p.store.getState().booting).toBe(true);
    await p.store.getState().boot();
    const s = p.store.getState();
    expect(s.booting).toBe(false);
    expect(s.resultNotices).toEqual([]);
    expect(s.page.contextLang).toBe('ar');
    expect(s.recorded).toMatchObject({ kind: 'analysis', key: analysisKey(s.page, s.page.model, s.runtime), info: { model: 'recorded-model' } });
    expect(s.main).toMatchObject({ status: 'done', result: { model: { id: 'recorded-model' } }, resultKey: s.recorded!.key });
    expect(p.address.hash).toMatch(/(^#|&)r=/);
    expect(p.workers.main).toHaveLength(0); // nothing was computed
    const shown = s.main.result;

    const rerun = p.store.getState().rerunLive();
    expect(p.store.getState().recorded).toBeNull();
    expect(p.address.hash).not.toMatch(/r=/);
    expect(p.address.search).toBe(`?${new URLSearchParams(address.split('?')[1].split('#')[0])}`);
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    expect(p.worker().requests('analyze')[0].input).toMatchObject({ contextLang: 'ar', exampleId: 'tiny-01' });
    const live = analysis('xlens-tiny-instruct', 2);
    p.worker().emit({ type: 'analysis', requestId: p.worker().requests('analyze')[0].requestId, result: live, partial: false });
    await rerun;
    expect(p.store.getState().main).toMatchObject({ status: 'done', result: live, previous: shown });
  });

  it('a result shown while a run computes stops the run; its late reply is ignored', async () => {
    const p = fakePage();
    const run = p.store.getState().runAnalysis();
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    const { requestId } = p.worker().requests('analyze')[0];
    const imported = analysis('imported');
    const other = { ...p.store.getState().page, questionLang: 'zh' as const };
    p.store.getState().showRecorded(imported, recordedOf(imported), other);
    expect(p.worker().cancelled()).toEqual([requestId]);
    const s = p.store.getState();
    expect(s.page.questionLang).toBe('zh');
    expect(s.recorded).toMatchObject({ kind: 'analysis', key: analysisKey(other, other.model, s.runtime) });
    expect(s.main).toMatchObject({ status: 'done', result: imported, previous: null, error: null });

    p.worker().emit({ type: 'analysis', requestId, result: analysis('late', 3), partial: false });
    await run;
    expect(p.store.getState().main).toMatchObject({ status: 'done', result: imported });
  });

  it('a plain address boots at once; a broken result in the link is reported apart and the page still opens', async () => {
    const plain = fakePage({ href: 'http://xlens.test/?cl=de' });
    expect(plain.store.getState().booting).toBe(false);
    await plain.store.getState().boot();
    expect(plain.address).toMatchObject({ search: '?cl=de', hash: '' });

    const broken = fakePage({ href: 'http://xlens.test/?cl=de#r=1.AAAA' });
    await broken.store.getState().boot();
    const s = broken.store.getState();
    expect(s).toMatchObject({ booting: false, recorded: null, page: { contextLang: 'de' } });
    expect(s.resultNotices.length).toBeGreaterThan(0);
    expect(broken.address.hash).toBe('');
  });

  it('clearRecorded forgets the result but keeps the custom text (#t=) in the address', async () => {
    const p = fakePage({ href: 'http://xlens.test/?cl=en#t=abc&r=xyz' });
    const r = analysis('m');
    p.store.getState().showRecorded(r, recordedOf(r));
    p.store.getState().clearRecorded();
    expect(p.store.getState().recorded).toBeNull();
    expect(p.store.getState().main.result).toBe(r); // the views keep it until a live one arrives
    expect(p.address).toMatchObject({ search: '?cl=en', hash: '#t=abc' });
  });
});
