// App state (zustand). Data flows one way: UI -> store -> worker request -> engine ->
// progress / results -> store -> views. One store, built from slices by concern:
//   page-slice      what the page shows (mirrored in the URL), lesson, hover, context view
//   hub-slice       hubs the user allowed, and the question about one not yet allowed
//   data-slice      the bundled models' list and XQuAD files, fetched on demand
//   run-slice       the main and compare analyses: generation ids, cancellation, lens completion
//   matrix-slice    the pair matrix (partial results kept)
//   recorded-slice  a permalinked or imported result shown read-only, and the start-up permalink
// One store rather than several small ones because actions cross slices and must land at once:
// showing a recorded result sets the page, the main slot and the matrix in one update (no view
// ever sees the result with the previous page), and allowing a hub starts the runs that waited.
// The slices get the page around them injected (store-context.ts): `createAppStore(env)` is what
// tests call with fake workers; the app's store is built on first use, so importing this module
// reads nothing from `window`.
import { createStore, useStore, type StoreApi } from 'zustand';
import { dataSlice } from './data-slice';
import { hubSlice } from './hub-slice';
import { matrixSlice } from './matrix-slice';
import { normaliseExample, pageSlice } from './page-slice';
import { recordedSlice } from './recorded-slice';
import { runSlice } from './run-slice';
import { browserStoreEnv, storeContext, type StoreEnv } from './store-context';
import type { AppState, Highlight } from './store-types';
import { decodeUrl } from './url-state';

export type * from './store-types';
export type { StoreEnv } from './store-context';
export { analysisKey } from './run-slice';

export { xquadMatrixExamples, XQUAD_MATRIX_SEED } from './matrix-slice';
export { xquadTooLongMessage } from './run-errors';
export { ProgressTracker } from './run-progress';

function searchOf(href: string): string {
  try {
    return new URL(href).search;
  } catch {
    return '';
  }
}

/** a store for the page `env` describes, starting from the page its address names */
export function createAppStore(env: StoreEnv): StoreApi<AppState> {
  return createStore<AppState>()((set, get) => {
    const ctx = storeContext(set, get, env);
    const initial = decodeUrl(searchOf(env.bootHref));
    normaliseExample(initial.state, initial.errors);
    return { ...pageSlice(ctx, initial), ...hubSlice(ctx), ...dataSlice(ctx), ...runSlice(ctx), ...matrixSlice(ctx), ...recordedSlice(ctx) };
  });
}

let appStore: StoreApi<AppState> | null = null;
/** the page's store, built from the browser's address the first time anything uses it */
function theStore(): StoreApi<AppState> {
  return (appStore ??= createAppStore(browserStoreEnv()));
}

/** the app's store as a React hook (`useAppStore(selector)`), with getState / setState / subscribe / getInitialState */
export const useAppStore = Object.assign(<T>(selector: (s: AppState) => T): T => useStore(theStore(), selector), {
  getState: (): AppState => theStore().getState(),
  /** the state a server render reads (zustand's server snapshot) */
  getInitialState: (): AppState => theStore().getInitialState(),
  setState: ((partial, replace) => theStore().setState(partial as AppState, replace as false)) as StoreApi<AppState>['setState'],
  subscribe: (listener: Parameters<StoreApi<AppState>['subscribe']>[0]) => theStore().subscribe(listener),
});

/** pinned layer/token from the page, overridden by the hover */
export function effectiveHighlight(s: Pick<AppState, 'hover' | 'page'>): Highlight {
  return {
    layer: s.hover.layer ?? s.page.view.pinnedLayer,
    token: s.hover.token ?? s.page.view.pinnedToken,
  };
}
