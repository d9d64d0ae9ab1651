// What the store's slices share: the page around them (injected, so importing the store reads
// nothing global and tests drive it with fake workers, a fake fetch and a fake address bar) and
// the bookkeeping of runs in flight.
import type { StoreApi } from 'zustand';
import type { LangCode } from '../data/languages';
import type { XquadSet } from '../data/xquad';
import { EngineSlot } from '../worker/client';
import { parseExtraHubs, rememberedHubs, rememberHub } from './hub-policy';
import type { AppState, RunKind, RunSlotName, RunSlotState } from './store-types';
import { fetchXquad } from './xquad-loader';

export interface StoreEnv {
  /** the address the page was opened with (read before anything rewrites it) */
  bootHref: string;
  origin: string;
  /** the app's base path: models/ and data/ live under it */
  base: string;
  /** the main model's worker and, in compare mode, a second worker for the other model */
  slots: Record<RunSlotName, EngineSlot>;
  fetch: typeof fetch;
  /** the XQuAD file of one language */
  fetchXquad(lang: LangCode): Promise<XquadSet>;
  /** https hubs this build's security policy allows besides the default */
  extraHubs: string[];
  rememberedHubs(): string[];
  rememberHub(origin: string): void;
  /** the address bar now */
  address(): { pathname: string; search: string; hash: string };
  /** rewrite the address bar without a history entry */
  replaceAddress(url: string): void;
}

declare const __XLENS_HUBS__: string | undefined;

/** the browser page: read when the store is first used, not when its module is imported */
export function browserStoreEnv(): StoreEnv {
  const origin = window.location.origin;
  const base = typeof import.meta !== 'undefined' && import.meta.env ? import.meta.env.BASE_URL : '/';
  return {
    bootHref: window.location.href,
    origin,
    base,
    slots: { main: new EngineSlot(), compare: new EngineSlot() },
    fetch: (input, init) => fetch(input, init),
    fetchXquad: (lang) => fetchXquad(lang, base, origin),
    extraHubs: parseExtraHubs(typeof __XLENS_HUBS__ === 'string' ? __XLENS_HUBS__ : undefined),
    rememberedHubs: () => rememberedHubs(),
    rememberHub: (o) => rememberHub(o),
    address: () => ({ pathname: window.location.pathname, search: window.location.search, hash: window.location.hash }),
    replaceAddress: (url) => window.history.replaceState(window.history.state, '', url),
  };
}

export interface StoreContext {
  set: StoreApi<AppState>['setState'];
  get: StoreApi<AppState>['getState'];
  env: StoreEnv;
  /** the newest request per kind; replies for older ones are ignored */
  generation: Record<RunKind, number>;
  /** runs that wait for the user's answer about a hub */
  waitingForHub: Set<RunKind>;
  patchSlot(which: RunSlotName, patch: Partial<RunSlotState>): void;
}

export function storeContext(set: StoreContext['set'], get: StoreContext['get'], env: StoreEnv): StoreContext {
  return {
    set,
    get,
    env,
    generation: { main: 0, compare: 0, matrix: 0 },
    waitingForHub: new Set(),
    patchSlot: (which, patch) => set((s) => ({ [which]: { ...s[which], ...patch } }) as Partial<AppState>),
  };
}
