// The data slice: the bundled models' list (odd names dropped, a failure said) and XQuAD files
// (each language fetched once; a failure is reported and may be retried).
import { describe, expect, it } from 'vitest';
import type { XquadSet } from '../data/xquad';
import { fakePage } from '../../test/state/fake-store';

describe('data slice', () => {
  it('reads the bundled models, dropping names that are not folder names', async () => {
    const models = [{ name: 'xlens-tiny-base', label: 'base' }, { name: '../etc', label: 'x' }, { name: 7, label: 'y' }];
    const p = fakePage({ respond: () => ({ status: 200, body: JSON.stringify({ models }) }) });
    await p.store.getState().loadLocalModels();
    expect(p.fetched).toEqual(['/models/index.json']);
    expect(p.store.getState()).toMatchObject({ localModels: [models[0]], localModelsError: null });

    const down = fakePage({ respond: () => ({ status: 500, body: '' }) });
    await down.store.getState().loadLocalModels();
    expect(down.store.getState().localModelsError).toBe('Could not read the list of bundled models (models/index.json): HTTP 500');
  });

  it('loads XQuAD files once per language and reports the one that failed', async () => {
    const de = { ids: ['a'] } as unknown as XquadSet;
    const p = fakePage({ xquad: { de } });
    expect(await p.store.getState().loadXquad(['de'])).toBe(true);
    expect(p.store.getState().xquad).toEqual({ sets: { de }, loading: [], error: null });
    expect(await p.store.getState().loadXquad(['de', 'th'])).toBe(false);
    expect(p.store.getState().xquad).toMatchObject({ sets: { de }, loading: [], error: expect.stringContaining('th XQuAD data') });
  });
});
