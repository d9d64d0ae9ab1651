// The recorded slice: a result shown read-only (from a permalink or an imported file) in place
// of a live run. Showing one stops what computes in its place (replies of runs in flight are
// ignored from then on); "Re-run live" forgets it, with its #r= fragment, and runs.
import type { XlensResult } from '../engine/result';
import { normaliseExample } from './page-slice';
import type { PageState } from './page-state';
import { decodePermalink, pageAddress, recordedOf, resultPayloadOf, type Recorded } from './permalink';
import { analysisKey, emptySlot } from './run-slice';
import type { StoreContext } from './store-context';
import type { AppState, RecordedSlice, RunSlotState } from './store-types';
import type { UrlRuntime } from './url-state';

function hashOf(href: string): string {
  try {
    return new URL(href).hash;
  } catch {
    return '';
  }
}

export function recordedSlice({ set, get, env, generation }: StoreContext): RecordedSlice {
  const { slots } = env;
  const bootHash = hashOf(env.bootHref);
  let bootPromise: Promise<void> | null = null;

  /** the store change that shows `result` read-only on `page`; stops whatever computes in its place */
  function recordedPatch(result: XlensResult, info: Recorded, page: PageState, runtime: UrlRuntime): Partial<AppState> {
    const key = analysisKey(page, page.model, runtime);
    const s = get();
    // replies of runs in flight are ignored from now on
    generation.main++;
    if (slots.main.busy('analyze')) slots.main.cancel('analyze');
    if (result.kind === 'analysis') {
      return { page, runtime, recorded: { info, kind: 'analysis', key }, inputProblem: null, main: { ...emptySlot(), status: 'done', result, resultKey: key, wantKey: key } };
    }
    const busy = s.main.status === 'loading' || s.main.status === 'running';
    const main: RunSlotState = { ...s.main, status: busy ? 'idle' : s.main.status, progress: null, error: null };
    generation.matrix++;
    if (slots.main.busy('matrix')) slots.main.cancel('matrix');
    const total = result.contextLangs.length * result.questionLangs.length;
    return {
      page,
      runtime,
      recorded: { info, kind: 'matrix', key },
      inputProblem: null,
      main,
      matrix: { ...s.matrix, status: 'done', result, done: result.cells.length, total, progress: null, error: null },
    };
  }

  /** drop the result (#r=) from the address bar; the custom text (#t=) stays */
  function clearHash(): void {
    const a = env.address();
    if (!a.hash) return;
    const f = new URLSearchParams(a.hash.slice(1));
    if (!f.has('r')) return;
    f.delete('r');
    const rest = f.toString();
    env.replaceAddress(`${a.pathname}${a.search}${rest ? `#${rest}` : ''}`);
  }

  return {
    recorded: null,
    booting: bootHash.length > 1,
    resultNotices: [],

    boot() {
      if (bootPromise) return bootPromise;
      bootPromise = (async () => {
        if (!get().booting) return;
        const d = await decodePermalink(env.bootHref);
        normaliseExample(d.state, d.errors);
        // the address is rewritten in today's form: old links' custom text moves to #t=, and the
        // result stays only when it was loaded
        const payload = d.result ? resultPayloadOf(bootHash) : null;
        env.replaceAddress(`${env.address().pathname}${await pageAddress(d.state, d.runtime, payload)}`);
        const notices = { notices: d.errors, resultNotices: d.resultErrors, booting: false };
        if (d.result) set({ ...recordedPatch(d.result, d.recorded ?? recordedOf(d.result), d.state, d.runtime), ...notices });
        else set({ page: d.state, runtime: d.runtime, ...notices });
      })().catch((e: unknown) => {
        set((s) => ({ booting: false, notices: [...s.notices, `The link could not be read (${e instanceof Error ? e.message : String(e)}); the page from its address is shown.`] }));
      });
      return bootPromise;
    },

    showRecorded(result, info, page) {
      const s = get();
      set(recordedPatch(result, info, page ?? s.page, s.runtime));
    },

    clearRecorded() {
      if (get().recorded) set({ recorded: null });
      clearHash();
    },

    async rerunLive() {
      const r = get().recorded;
      get().clearRecorded();
      if (r?.kind === 'matrix') await get().runMatrix();
      else await get().runAnalysis();
    },
  };
}
