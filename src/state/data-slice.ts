// The data slice: what the page fetches on demand besides models: the list of bundled models
// and XQuAD's files (one per language, kept for the session).
import type { LangCode } from '../data/languages';
import type { XquadSet } from '../data/xquad';
import type { StoreContext } from './store-context';
import type { DataSlice, LocalModel } from './store-types';

export function dataSlice({ set, get, env }: StoreContext): DataSlice {
  return {
    localModels: [],
    localModelsError: null,
    xquad: { sets: {}, loading: [], error: null },

    async loadLocalModels() {
      try {
        const res = await env.fetch(`${env.base}models/index.json`, { cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data = (await res.json()) as { models?: LocalModel[] };
        const models = (data.models ?? []).filter((m) => typeof m?.name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.test(m.name));
        set({ localModels: models, localModelsError: null });
      } catch (e) {
        set({ localModelsError: `Could not read the list of bundled models (models/index.json): ${(e as Error).message}` });
      }
    },

    async loadXquad(langs) {
      const want = langs.filter((l) => !get().xquad.sets[l]);
      if (!want.length) return true;
      set((s) => ({ xquad: { ...s.xquad, loading: [...new Set([...s.xquad.loading, ...want])], error: null } }));
      const results = await Promise.allSettled(want.map((l) => env.fetchXquad(l)));
      const sets: Partial<Record<LangCode, XquadSet>> = {};
      let error: string | null = null;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') sets[want[i]] = r.value;
        else error ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      });
      set((s) => ({ xquad: { sets: { ...s.xquad.sets, ...sets }, loading: s.xquad.loading.filter((l) => !want.includes(l)), error } }));
      return error === null;
    },
  };
}
