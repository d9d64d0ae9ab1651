// Glue between the store, the URL and the engine: the URL mirrors the PageState (replaceState,
// so typing does not flood the history), back/forward restores it, and any change of what an
// analysis depends on re-runs it after a short pause.
import { useEffect, useRef } from 'react';
import { analysisKey, useAppStore } from '../state/store';
import { decodeUrl, encodeUrl } from '../state/url-state';

export const DEBOUNCE_MS = 400;

export function useUrlSync(): void {
  const page = useAppStore((s) => s.page);
  const runtime = useAppStore((s) => s.runtime);
  useEffect(() => {
    const q = encodeUrl(page, runtime);
    if (q !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${q}${window.location.hash}`);
  }, [page, runtime]);
  useEffect(() => {
    const onPop = () => {
      const d = decodeUrl(window.location.search);
      useAppStore.setState({ page: d.state, notices: d.errors });
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
}

/** re-runs the main analysis (and the compare model's, on the compare tab) when their inputs change */
export function useAutoRun(): void {
  const key = useAppStore((s) => analysisKey(s.page, s.page.model, s.runtime));
  const compareKey = useAppStore((s) => (s.page.tab === 'compare' && s.page.compare.model ? analysisKey(s.page, s.page.compare.model, s.runtime) : null));
  const first = useRef(true);
  useEffect(() => {
    const delay = first.current ? 0 : DEBOUNCE_MS;
    first.current = false;
    const t = setTimeout(() => void useAppStore.getState().runAnalysis(), delay);
    return () => clearTimeout(t);
  }, [key]);
  useEffect(() => {
    if (!compareKey) return;
    // skip when this exact comparison is already shown or computing
    const c = useAppStore.getState().compare;
    if (c.wantKey === compareKey && c.status !== 'error' && c.status !== 'cancelled') return;
    const t = setTimeout(() => void useAppStore.getState().runCompare(), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [compareKey]);
}
