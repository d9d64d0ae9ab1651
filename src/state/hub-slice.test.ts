// The hub slice: a model on a hub other than the default waits for the user's answer; allowing
// runs what waited (and may remember the hub), refusing falls back to the default hub.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_HUB } from './hub-policy';
import type { ModelRef } from './page-state';
import { fakePage } from '../../test/state/fake-store';

const HUB = 'https://hub.example.org';
const onHub: ModelRef = { kind: 'hub', repo: 'org/tiny', hub: HUB };

describe('hub slice', () => {
  it('asks before contacting another hub; allowing (remembered) runs the analysis that waited', async () => {
    const p = fakePage({ extraHubs: [HUB] });
    p.store.getState().setPage({ model: onHub });
    await p.store.getState().runAnalysis();
    expect(p.store.getState().hubQuestion).toEqual({ base: HUB, origin: HUB, host: 'hub.example.org', repo: 'org/tiny', allowedByPolicy: true });
    expect(p.store.getState().main.status).toBe('idle');
    expect(p.workers.main).toHaveLength(0);

    p.store.getState().approveHub(true);
    expect(p.store.getState()).toMatchObject({ hubQuestion: null, approvedHubs: [HUB] });
    expect(p.remembered).toEqual([HUB]);
    await vi.waitFor(() => expect(p.worker().requests('analyze')).toHaveLength(1));
    expect(p.worker().requests('load')[0].source).toMatchObject({ kind: 'hub', repo: 'org/tiny', baseUrl: HUB });
  });

  it('a hub the policy forbids cannot be approved; declining loads hub models from the default hub', async () => {
    const p = fakePage();
    p.store.getState().setPage({ model: onHub });
    await p.store.getState().runAnalysis();
    expect(p.store.getState().hubQuestion).toMatchObject({ origin: HUB, allowedByPolicy: false });
    p.store.getState().approveHub(false);
    expect(p.store.getState().hubQuestion).not.toBeNull();
    expect(p.workers.main).toHaveLength(0);

    p.store.getState().declineHub();
    const s = p.store.getState();
    expect(s.hubQuestion).toBeNull();
    expect(s.page.model).toEqual({ kind: 'hub', repo: 'org/tiny' });
    expect(s.runtime.hubBase).toBe(DEFAULT_HUB);
    expect(s.notices.at(-1)).toMatch(/you chose not to\. Hub models load from https:\/\/huggingface\.co instead\./);
  });

  it('the matrix waits for the answer too, and runs when the hub is declined', async () => {
    const p = fakePage();
    p.store.getState().setPage({ model: onHub });
    await p.store.getState().runMatrix();
    expect(p.store.getState().matrix.status).toBe('idle');
    expect(p.store.getState().hubQuestion?.origin).toBe(HUB);
    p.store.getState().declineHub();
    await vi.waitFor(() => expect(p.worker().requests('matrix')).toHaveLength(1));
    expect(p.worker().requests('load')[0].source).toMatchObject({ kind: 'hub', repo: 'org/tiny', baseUrl: DEFAULT_HUB });
  });
});
