// store.ts: importing it reads nothing from the page (and its modules nothing from viz/ or app/);
// the app's store is built from the browser's address the first time something uses it.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the app store', () => {
  it('importing the store reads nothing from window', async () => {
    vi.resetModules();
    const reads: string[] = [];
    vi.stubGlobal('window', new Proxy({}, { get: (_t, k) => void reads.push(String(k)) }));
    const { useAppStore } = await import('./store');
    expect(typeof useAppStore.getState).toBe('function');
    expect(reads).toEqual([]);
  });

  it('is built from the address on first use, and kept', async () => {
    vi.resetModules();
    const href = 'http://xlens.test/?cl=ar&ql=zh';
    const replaced: string[] = [];
    vi.stubGlobal('window', {
      location: { href, origin: 'http://xlens.test', pathname: '/', search: '?cl=ar&ql=zh', hash: '' },
      history: { state: null, replaceState: (_s: unknown, _t: string, u: string) => replaced.push(u) },
    });
    const { useAppStore } = await import('./store');
    const s = useAppStore.getState();
    expect(s.page).toMatchObject({ contextLang: 'ar', questionLang: 'zh' });
    expect(s.booting).toBe(false);
    useAppStore.setState({ inputProblem: 'x' });
    expect(useAppStore.getState().inputProblem).toBe('x');
    expect(useAppStore.getState().page).toBe(s.page);
    expect(replaced).toEqual([]);
  });

  it('its modules import nothing from the views (viz/) or the components (app/)', () => {
    const dir = new URL('.', import.meta.url);
    const files = readdirSync(dir).filter((f) => /^(store.*|.*-slice|run-.*|view-choices)\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files).toEqual(expect.arrayContaining(['store.ts', 'run-slice.ts', 'matrix-slice.ts', 'recorded-slice.ts', 'store-types.ts']));
    const upward = files.flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/from '(\.\.\/(?:viz|app)\/[^']*)'/g)].map((m) => `${f}: ${m[1]}`));
    expect(upward).toEqual([]);
  });
});
