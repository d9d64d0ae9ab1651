// Glue between the store, the URL and the engine: the URL mirrors the PageState (replaceState,
// so typing does not flood the history), back/forward restores it, and any change of what an
// analysis depends on re-runs it after a short pause. A recorded result (permalink with
// results, imported file) is shown instead of a run until the page's inputs change or the user
// asks for a live run.
import { useEffect, useRef } from 'react';
import { clampStep, LESSON } from '../state/lesson';
import type { PageState } from '../state/page-state';
import { analysisKey, useAppStore } from '../state/store';
import { decodePermalink, pageAddress, resultPayloadOf } from '../state/permalink';

const DEBOUNCE_MS = 400;

export function useUrlSync(): void {
  const page = useAppStore((s) => s.page);
  const runtime = useAppStore((s) => s.runtime);
  const booting = useAppStore((s) => s.booting);
  useEffect(() => {
    void useAppStore.getState().boot();
  }, []);
  useEffect(() => {
    // the start-up permalink is read from the address first
    if (booting) return;
    let live = true;
    // custom text is compressed into #t= (asynchronously); a newer page state wins
    void pageAddress(page, runtime).then((address) => {
      if (!live) return;
      // a recorded result's r= stays in the fragment until clearRecorded drops it
      const r = resultPayloadOf(window.location.hash);
      const next = r ? `${address}${address.includes('#') ? '&' : '#'}r=${r}` : address;
      if (next !== `${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', `${window.location.pathname}${next}`);
    });
    return () => {
      live = false;
    };
  }, [page, runtime, booting]);
  useEffect(() => {
    const onPop = () => {
      void decodePermalink(window.location.href).then((d) => useAppStore.setState({ page: d.state, notices: d.errors }));
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
}

/** the compare tab's views are on screen (the compare tab, or a lesson step showing them) */
function showsCompare(p: PageState): boolean {
  return p.tab === 'compare' || (p.tab === 'lesson' && LESSON[clampStep(p.lessonStep)].show === 'compare');
}

/** re-runs the main analysis (and the compare model's, on the compare tab) when their inputs change */
export function useAutoRun(): void {
  const key = useAppStore((s) => analysisKey(s.page, s.page.model, s.runtime));
  const compareKey = useAppStore((s) => (showsCompare(s.page) && s.page.compare.model ? analysisKey(s.page, s.page.compare.model, s.runtime) : null));
  const booting = useAppStore((s) => s.booting);
  const first = useRef(true);
  useEffect(() => {
    if (booting) return;
    const st = useAppStore.getState();
    if (st.recorded) {
      // the recorded result answers this page: nothing to run until "Re-run live"
      if (st.recorded.key === key) return;
      st.clearRecorded();
    }
    const delay = first.current ? 0 : DEBOUNCE_MS;
    first.current = false;
    const t = setTimeout(() => void useAppStore.getState().runAnalysis(), delay);
    return () => clearTimeout(t);
  }, [key, booting]);
  useEffect(() => {
    if (!compareKey || booting) return;
    // skip when this exact comparison is already shown or computing
    const c = useAppStore.getState().compare;
    if (c.wantKey === compareKey && c.status !== 'error' && c.status !== 'cancelled') return;
    const t = setTimeout(() => void useAppStore.getState().runCompare(), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [compareKey, booting]);
}
