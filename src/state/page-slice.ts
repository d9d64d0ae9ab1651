// The page slice: what the page shows (mirrored in the URL), the lesson's way in and out, and
// the viewer's transient choices (hover, long-context view).
import { CATALOG } from '../data/catalog';
import { afterLesson, lessonState } from './lesson';
import { isXquadExampleId } from '../data/xquad';
import type { PageState } from './page-state';
import type { StoreContext } from './store-context';
import type { PageSlice } from './store-types';
import type { UrlRuntime } from './url-state';

/** an unknown example id is reported and replaced; no example and no custom text means the first example */
export function normaliseExample(state: PageState, errors: string[]): void {
  // an XQuAD id is checked once its data has loaded (resolveInput says if it is unknown)
  if (state.example && !state.custom && !isXquadExampleId(state.example) && !CATALOG.some((e) => e.id === state.example)) {
    errors.push(`Ignored ?ex=${JSON.stringify(state.example)}: there is no such example; the first one is shown.`);
    state.example = null;
  }
  if (!state.example && !state.custom) state.example = (CATALOG.find((e) => e.set === 'tiny') ?? CATALOG[0])?.id ?? null;
}

export function pageSlice({ set, get }: StoreContext, initial: { state: PageState; runtime: UrlRuntime; errors: string[] }): PageSlice {
  return {
    page: initial.state,
    runtime: initial.runtime,
    notices: initial.errors,
    hover: { layer: null, token: null },
    beforeLesson: null,
    contextView: 'auto',

    setPage(patch) {
      set((s) => ({ page: typeof patch === 'function' ? patch(s.page) : { ...s.page, ...patch } }));
    },
    startLesson(step = 0) {
      set((s) => ({ beforeLesson: s.page.tab === 'lesson' ? s.beforeLesson : s.page, page: lessonState(s.page, step) }));
    },
    leaveLesson() {
      set((s) => ({ page: afterLesson(s.beforeLesson, s.page), beforeLesson: null }));
    },
    setView(patch) {
      set((s) => ({ page: { ...s.page, view: { ...s.page.view, ...patch } } }));
    },
    setHover(h) {
      const cur = get().hover;
      if (cur.layer !== h.layer || cur.token !== h.token) set({ hover: h });
    },
    // the result notices belong to the recorded slice; one action dismisses either list
    dismissNotices: (which = 'settings') => set(which === 'settings' ? { notices: [] } : { resultNotices: [] }),
    setContextView(v) {
      set({ contextView: v });
    },
  };
}
