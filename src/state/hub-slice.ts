// The hub slice: a model from a hub other than the default waits until the user allows that
// hub (the dialog asks); refusing loads hub models from the default hub instead.
import { checkHubBase, DEFAULT_HUB, policyAllows } from './hub-policy';
import type { ModelRef } from './page-state';
import type { StoreContext } from './store-context';
import type { HubSlice, RunKind } from './store-types';
import { isolateName } from './text-safety';
import type { UrlRuntime } from './url-state';

/** the hub a model's files would come from; null for bundled models */
function hubFor(m: ModelRef, rt: UrlRuntime): string | null {
  return m.kind === 'hub' ? (m.hub ?? rt.hubBase) : null;
}

/**
 * Whether `model`'s hub may be contacted now: the default hub, or one the user allowed and the
 * security policy permits. Otherwise the question goes to the dialog, the run waits, and false.
 */
export function hubCleared({ set, get, env, waitingForHub, patchSlot }: StoreContext, which: RunKind, model: ModelRef, rt: UrlRuntime): boolean {
  const base = hubFor(model, rt);
  if (!base || base === DEFAULT_HUB) return true;
  const c = checkHubBase(base, env.origin);
  if (!c.ok) {
    // decodeUrl refuses these already; a hub that reaches here anyway is not contacted
    const msg = `Did not contact the hub ${isolateName(base)}: ${c.reason}`;
    if (which === 'matrix') set((st) => ({ matrix: { ...st.matrix, status: 'error', error: msg } }));
    else patchSlot(which, { status: 'error', error: msg });
    return false;
  }
  const allowedByPolicy = policyAllows(c.origin, env.origin, env.extraHubs);
  if (allowedByPolicy && get().approvedHubs.includes(c.origin)) return true;
  waitingForHub.add(which);
  set({ hubQuestion: { base: c.base, origin: c.origin, host: c.host, repo: model.kind === 'hub' ? model.repo : '', allowedByPolicy } });
  return false;
}

export function hubSlice({ set, get, env, waitingForHub }: StoreContext): HubSlice {
  return {
    approvedHubs: env.rememberedHubs(),
    hubQuestion: null,

    approveHub(remember) {
      const q = get().hubQuestion;
      if (!q || !q.allowedByPolicy) return;
      if (remember) env.rememberHub(q.origin);
      set((st) => ({ hubQuestion: null, approvedHubs: st.approvedHubs.includes(q.origin) ? st.approvedHubs : [...st.approvedHubs, q.origin] }));
      const waiting = [...waitingForHub];
      waitingForHub.clear();
      for (const w of waiting) void (w === 'main' ? get().runAnalysis() : w === 'compare' ? get().runCompare() : get().runMatrix());
    },

    declineHub() {
      const q = get().hubQuestion;
      if (!q) return;
      const local = (m: ModelRef | null): ModelRef | null => (m && m.kind === 'hub' && m.hub ? { kind: 'hub', repo: m.repo, ...(m.revision ? { revision: m.revision } : {}) } : m);
      const waiting = [...waitingForHub];
      waitingForHub.clear();
      // the page's inputs change (model and runtime lose the hub): the analyses re-run by themselves
      set((st) => ({
        hubQuestion: null,
        runtime: { ...st.runtime, hubBase: DEFAULT_HUB },
        page: { ...st.page, model: local(st.page.model)!, compare: { ...st.page.compare, model: local(st.page.compare.model) } },
        notices: [...st.notices, `Did not contact ${isolateName(q.host)}: you chose not to. Hub models load from ${DEFAULT_HUB} instead.`],
      }));
      if (waiting.includes('matrix')) void get().runMatrix();
    },
  };
}
