// Shared Playwright fixtures: the backend a project tests, where the servers listen, and two
// things every test gets:
// - the local hub server approved, as a user who allowed it before would have it (the app's
//   approved list in localStorage); a link alone never chooses the server. Tests of the
//   approval itself turn this off with test.use({ approveTestHub: false }).
// - a CSP guard: the page runs under the app's Content-Security-Policy (vite preview sends it),
//   and any violation, in the page or its workers (reported to the preview server's
//   /__csp-report), or a "Content Security Policy" console error fails the test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { APPROVED_HUBS_KEY, CSP_REPORT_PATH } from '../src/state/hub-policy';

export type BackendName = 'wasm' | 'webgpu';

export const APP_PORT = Number(process.env.XLENS_APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.XLENS_HUB_PORT ?? 4174);
export const HUB_URL = `http://127.0.0.1:${HUB_PORT}`;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

/** console errors naming the policy, from every guarded context (pages and their workers) */
const consoleViolations: string[] = [];

/**
 * Approve the local hub server and watch for CSP messages in a context. The specs' own
 * contexts (browser.newContext()) call this too.
 */
export async function guardContext(context: BrowserContext, opts: { approveTestHub?: boolean } = {}): Promise<void> {
  if (opts.approveTestHub ?? true) {
    await context.addInitScript(
      ([key, origin]) => {
        // about:blank and data: pages have no storage
        if (!/^https?:$/.test(location.protocol)) return;
        try {
          let list: unknown = [];
          try {
            list = JSON.parse(localStorage.getItem(key) ?? '[]');
          } catch {
            list = [];
          }
          const l = Array.isArray(list) ? list : [];
          if (!l.includes(origin)) localStorage.setItem(key, JSON.stringify([...l, origin]));
        } catch {
          // storage blocked: the test will meet the approval dialog
        }
      },
      [APPROVED_HUBS_KEY, HUB_URL] as const,
    );
  }
  context.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Content-Security-Policy/i.test(m.text())) consoleViolations.push(m.text().slice(0, 300));
  });
}

/** a new context guarded like the tests' own (local hub approved, CSP messages watched) */
export async function guardedContext(browser: Browser, opts: { approveTestHub?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext();
  await guardContext(context, opts);
  return context;
}

/** a page in a new guarded context; close it with page.context().close() */
export async function guardedPage(browser: Browser): Promise<Page> {
  return (await guardedContext(browser)).newPage();
}

/** the violation reports the preview server has received so far */
export async function cspReports(request: APIRequestContext): Promise<Record<string, unknown>[]> {
  const res = await request.get(`${APP_URL}${CSP_REPORT_PATH}`);
  if (!res.ok()) throw new Error(`the app server has no CSP report endpoint (HTTP ${res.status()}): is it vite preview with the app's vite.config.ts?`);
  return ((await res.json()) as Record<string, unknown>[]).map((r) => (r['csp-report'] ?? r) as Record<string, unknown>);
}

export const test = base.extend<{ backend: BackendName; approveTestHub: boolean; cspAllowed: RegExp | null; guarded: void; cspGuard: void }>({
  backend: ['wasm', { option: true }],
  approveTestHub: [true, { option: true }],
  /** blocked URLs a test provokes on purpose (the CSP's own test); null = none */
  cspAllowed: [null, { option: true }],
  guarded: [
    async ({ context, approveTestHub }, use) => {
      await guardContext(context, { approveTestHub });
      await use();
    },
    { auto: true },
  ],
  cspGuard: [
    async ({ request, cspAllowed }, use) => {
      const before = (await cspReports(request)).length;
      const consoleBefore = consoleViolations.length;
      await use();
      // reports are sent by the browser shortly after the violation
      await new Promise((r) => setTimeout(r, 300));
      const allowed = (s: string) => cspAllowed !== null && cspAllowed.test(s);
      const reports = (await cspReports(request)).slice(before).filter((r) => !allowed(String(r['blocked-uri'] ?? '')));
      const consoleErrors = consoleViolations.slice(consoleBefore).filter((m) => !allowed(m));
      expect(consoleErrors, 'Content-Security-Policy errors in the console').toEqual([]);
      expect(
        reports.map((r) => `${r['violated-directive']} blocked ${r['blocked-uri']} in ${r['document-uri']}`),
        'Content-Security-Policy violations reported by the browser',
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** the first example the tiny models answer, or the first parallel example when there are none */
export function firstExample(): string {
  const tinyFile = join(ROOT, 'src/data/tiny-examples.json');
  const tiny = existsSync(tinyFile) ? JSON.parse(readFileSync(tinyFile, 'utf8')) : { items: [] };
  const items = Array.isArray(tiny) ? tiny : tiny.items;
  if (items.length) return items[0].id;
  return JSON.parse(readFileSync(join(ROOT, 'src/data/examples/xquad-style.json'), 'utf8')).items[0].id;
}
