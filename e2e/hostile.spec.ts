// Hostile links and files, end to end, from the generators by class (test/state/result-generators.ts):
// - crash: every class of cross-field inconsistency, as a file and as a link, ends in a message
//   and a usable page; valid results full of bidi controls, lone surrogates, formulas and markup
//   draw, and every view exports as SVG and PNG;
// - freeze: results past the caps (and a zip bomb) are refused without a long task; opening
//   Share & export builds no SVG;
// - foreign requests (request interception): a hub named by a link, by class, is contacted only
//   after the user allows it, and never when refused;
// - long links: custom text of every script lives compressed in the fragment, the request line
//   stays short, and a reload restores it;
// - messages and bidi isolation.
// The CSP guard of fixtures.ts runs under every test here as everywhere.
import type { BrowserContext, Page } from '@playwright/test';
import { defaultPageState, type PageState } from '../src/state/page-state';
import { deflateRaw, encodeResultPayload, encodeStateLinkCompressed, toBase64url } from '../src/state/permalink';
import { ANALYSIS_BREAKERS, BIDI_CONTROLS, FORMULA_STARTS, genAnalysis, HUB_URLS, INVISIBLES, LONE_SURROGATES, MATRIX_BREAKERS, genMatrix, oversizedShapes, pickOne, randomAnalysis, randomShape, seeded, sprinkle, type Rand } from '../test/state/result-generators';
import type { AnalysisResult, XlensResult } from '../src/engine/result';
import { APP_URL, expect, guardedContext, HUB_URL, test } from './fixtures';

test.describe.configure({ mode: 'serial' });
test.skip(({ backend }) => backend !== 'wasm', 'links, files and requests do not depend on the backend');
test.use({ actionTimeout: 60_000 });

const SAFE_MODEL = 'xlens-fixtures/qwen2-bias-bf16';

/** what a page did: uncaught errors, long tasks (ms), and every request to another origin */
interface Watch {
  errors: string[];
  foreign: string[];
}

async function watch(context: BrowserContext, page: Page): Promise<Watch> {
  const w: Watch = { errors: [], foreign: [] };
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Uncaught|TypeError|RangeError|is not iterable|Cannot read prop/.test(m.text())) w.errors.push(m.text());
  });
  context.on('request', (r) => {
    const u = new URL(r.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== APP_URL) w.foreign.push(r.url());
  });
  // nothing leaves this machine: requests to other origins are counted (above) and answered here
  await context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== APP_URL && url.origin !== HUB_URL,
    (r) => r.abort('connectionrefused'),
  );
  await context.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // no long-task timing in this browser
    }
  });
  return w;
}

const longestTask = (page: Page) => page.evaluate(() => Math.max(0, ...((window as unknown as { __longTasks: number[] }).__longTasks ?? [])));
const resetTasks = (page: Page) => page.evaluate(() => void ((window as unknown as { __longTasks: number[] }).__longTasks = []));

async function linkWithResult(result: unknown, state: PageState = defaultPageState(), recorded?: { model: string; backend: 'wasm'; date: string }): Promise<string> {
  const base = await encodeStateLinkCompressed(state, `${APP_URL}/`);
  const payload = await encodeResultPayload(result as XlensResult, recorded);
  return `${base}${base.includes('#') ? '&' : '#'}r=${payload}`;
}

/** a payload that is not a result at all, compressed as links carry it */
async function rawPayload(text: string): Promise<string> {
  return `1.${toBase64url(await deflateRaw(new TextEncoder().encode(text)))}`;
}

/** RFC 4180, enough to read our own CSV back */
function parseCSV(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && s[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

async function openShare(page: Page) {
  const toggle = page.getByTestId('share-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** import a result file; large ones go through a file on disk (a buffer would be decoded in the page by the test harness) */
async function importFile(page: Page, name: string, text: string) {
  await openShare(page);
  if (text.length < 1024 * 1024) {
    await page.getByTestId('import-json').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
    return;
  }
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const path = join(mkdtempSync(join(tmpdir(), 'xlens-import-')), name);
  writeFileSync(path, text);
  await page.getByTestId('import-json').setInputFiles(path);
}

/** the page still answers: a control can be changed */
async function usable(page: Page) {
  await expect(page.getByLabel('Context language', { exact: true })).toBeEnabled();
  await expect(page.getByTestId('share-toggle')).toBeEnabled();
}

/** a random analysis whose every token and text is hostile: bidi controls, lone surrogates, formulas, markup */
function hostileTextResult(rand: Rand): AnalysisResult {
  const r = genAnalysis(rand, { ...randomShape(rand), L: 3, T: 24, knockout: true, relevance: true });
  const chars = [...BIDI_CONTROLS, ...INVISIBLES, ...LONE_SURROGATES];
  r.prompt.tokens.forEach((t, i) => (t.text = sprinkle(rand, pickOne(rand, ['<img src=x onerror=alert(1)>', t.text, pickOne(rand, FORMULA_STARTS) + 'SUM(1)']) + t.text, chars, 1 + (i % 2))));
  for (const k of Object.keys(r.lens.tokenText)) r.lens.tokenText[k] = sprinkle(rand, `<script>x</script>${k}`, chars, 2);
  r.prompt.target.text = sprinkle(rand, ' Lisbon', LONE_SURROGATES, 1);
  r.model.id = sprinkle(rand, 'owner/model', BIDI_CONTROLS, 2);
  return r;
}

test.describe('crash: inconsistent results are refused, valid ones draw', () => {
  test('every class of cross-field inconsistency, as a file: a message, no error, a usable page', async ({ page, context }) => {
    const w = await watch(context, page);
    await page.goto('/?ko=0&rel=0');
    const rand = seeded(1701);
    const names: string[] = [];
    for (const b of ANALYSIS_BREAKERS) {
      let r: AnalysisResult | null = null;
      for (let k = 0; k < 100 && !r; k++) {
        const c = genAnalysis(rand, { ...randomShape(rand), knockout: true, relevance: true, window: 1 });
        if (b.applies(c)) r = c;
      }
      if (!r) continue;
      b.apply(r, rand);
      await importFile(page, `${names.length}.json`, JSON.stringify(r));
      await expect(page.getByTestId('import-errors'), b.name).toBeVisible();
      await expect(page.getByTestId('recorded-banner')).toHaveCount(0);
      names.push(b.name);
    }
    for (const b of MATRIX_BREAKERS) {
      const m = genMatrix(rand, { contextLangs: ['ar', 'en'], questionLangs: ['zh', 'en'], N: 2, L: 6, depths: true });
      if (!b.applies(m)) continue;
      b.apply(m, rand);
      await importFile(page, 'matrix.json', JSON.stringify(m));
      await expect(page.getByTestId('import-errors'), b.name).toBeVisible();
      names.push(b.name);
    }
    expect(names.length).toBeGreaterThanOrEqual(ANALYSIS_BREAKERS.length);
    await usable(page);
    expect(w.errors).toEqual([]);
    expect(w.foreign).toEqual([]);
  });

  test('as links: the result is refused under its own heading, the page keeps its settings', async ({ page, context }) => {
    const w = await watch(context, page);
    const rand = seeded(1702);
    const classes = ANALYSIS_BREAKERS.filter((_, i) => i % 4 === 0);
    for (const b of classes) {
      let r: AnalysisResult | null = null;
      for (let k = 0; k < 100 && !r; k++) {
        const c = genAnalysis(rand, { ...randomShape(rand), knockout: true, relevance: true, window: 1 });
        if (b.applies(c)) r = c;
      }
      if (!r) continue;
      b.apply(r, rand);
      const state = { ...defaultPageState(), contextLang: 'ar' as const };
      await page.goto('about:blank');
      await page.goto(await linkWithResult(r, state));
      await expect(page.getByTestId('result-notice'), b.name).toContainText('The result in this link was not loaded');
      await expect(page.getByTestId('recorded-banner')).toHaveCount(0);
      await expect(page.getByLabel('Context language', { exact: true })).toHaveValue('ar');
    }
    expect(w.errors).toEqual([]);
  });

  test('valid results full of bidi controls, half characters, formulas and markup draw, and every view exports', async ({ page, context }, testInfo) => {
    const w = await watch(context, page);
    const rand = seeded(1703);
    const r = hostileTextResult(rand);
    await page.goto(await linkWithResult(r));
    await expect(page.getByTestId('recorded-banner')).toBeVisible();
    for (const id of ['lens-heatmap', 'attention-heatmap', 'knockout-heatmap', 'relevance-heatmap', 'token-strip']) await expect(page.getByTestId(id).first()).toBeVisible();
    // the banner shows the model id's bidi controls instead of obeying them
    await expect(page.getByTestId('recorded-text')).toContainText('⟨U+');
    await expect(page.getByTestId('recorded-text')).toHaveText(/^Recorded with model .+ on backend WASM, 2025-11-06 10:20 UTC\.$/);
    expect(await page.locator('img[src="x"], script:text("x")').count()).toBe(0);
    await openShare(page);
    const views = await page.locator('[data-testid^="export-png-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('export-png-'.length)));
    expect(views.length).toBeGreaterThanOrEqual(8);
    for (const v of views) {
      for (const kind of ['svg', 'png']) {
        const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}-${v}`).click()]);
        const path = testInfo.outputPath(`${v}.${kind}`);
        await d.saveAs(path);
        // the export has finished (the panel is no longer busy) before the next one is asked for
        await expect(page.locator('#share-panel')).toHaveAttribute('aria-busy', 'false');
      }
    }
    await expect(page.getByTestId('share-error')).toHaveCount(0);
    // CSV of the same result: formulas neutralised, no raw control characters
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const { readFileSync } = await import('node:fs');
    const csvPath = testInfo.outputPath('r.csv');
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // every text cell a spreadsheet would run as a formula starts with an apostrophe
    const cells = parseCSV(text.replace(/^\uFEFF/, '')).flat();
    expect(cells.length).toBeGreaterThan(100);
    expect(cells.filter((c) => /^[\s\p{Zs}]*[=+@]|^[\s\p{Zs}]*-(?![\d.])/u.test(c))).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test('random valid shapes, imported one after another, draw without an error', async ({ page, context }) => {
    const w = await watch(context, page);
    await page.goto('/?ko=0&rel=0');
    const rand = seeded(1704);
    for (let i = 0; i < 8; i++) {
      await importFile(page, `valid-${i}.json`, JSON.stringify(randomAnalysis(rand)));
      await expect(page.getByTestId('recorded-banner')).toBeVisible();
      await expect(page.getByTestId('lens-heatmap')).toBeVisible();
    }
    expect(w.errors).toEqual([]);
  });
});

test.describe('freeze: nothing past the caps is parsed into views, and Share & export builds nothing until asked', () => {
  test('oversized links and a zip bomb are refused, naming the caps, without a long task', async ({ page, context }) => {
    const w = await watch(context, page);
    const rand = seeded(1801);
    const links: [string, string, RegExp][] = [];
    // the probe's freeze: 32,768 tokens x 21 layers of zeros, 27 KB of fragment
    links.push(['T = 32,768, L = 21', await linkWithResult(genAnalysis(rand, { L: 21, H: 1, T: 32768, constant: 0 })), /unpack to more than 2 MB/]);
    links.push(['1,000 layers', await linkWithResult(genAnalysis(rand, { L: 1000, H: 1, T: 2, constant: 0 })), /64 layers/]);
    for (const { name, shape } of oversizedShapes(1)) links.push([name, await linkWithResult(genAnalysis(rand, shape)), /results are limited to at most 64 layers, 64 attention heads, 8,192 prompt tokens/]);
    links.push(['zip bomb', `${APP_URL}/#r=${await rawPayload(' '.repeat(30 * 1024 * 1024))}`, /unpack to more than 2 MB/]);
    for (const [name, url, why] of links) {
      expect(url.length, name).toBeLessThan(2 * 1024 * 1024);
      await page.goto('about:blank');
      await page.goto(url);
      await expect(page.getByTestId('result-notice'), name).toContainText(why);
      await expect(page.getByTestId('recorded-banner')).toHaveCount(0);
      await usable(page);
      const ms = await longestTask(page);
      console.log(`[freeze] link ${name} (${(url.length / 1024).toFixed(0)} KB): longest task ${Math.round(ms)} ms`);
      expect(ms, name).toBeLessThan(2000);
    }
    expect(w.errors).toEqual([]);
  });

  test('oversized files are refused without a long task', async ({ page, context }) => {
    const w = await watch(context, page);
    await page.goto('/?ko=0&rel=0');
    const rand = seeded(1802);
    for (const { name, shape } of [{ name: 'T = 32,768, L = 21', shape: { L: 21, H: 1, T: 32768, constant: 0 } }, ...oversizedShapes(4)]) {
      const text = JSON.stringify(genAnalysis(rand, shape));
      if (text.length > 20 * 1024 * 1024) continue;
      await resetTasks(page);
      await importFile(page, 'big.json', text);
      await expect(page.getByTestId('import-errors'), name).toContainText(/at most|larger|MB/);
      const ms = await longestTask(page);
      console.log(`[freeze] file ${name} (${(text.length / 1048576).toFixed(1)} MB): longest task ${Math.round(ms)} ms`);
      expect(ms, name).toBeLessThan(2000);
    }
    expect(w.errors).toEqual([]);
  });

  test('opening Share & export on a large result builds no SVG: no long task', async ({ page, context }) => {
    const w = await watch(context, page);
    // T = 1,024 tokens, L = 36 layers, 16 heads, every analysis: the size the probe froze on (5.7 s at L = 21)
    const r = genAnalysis(seeded(1803), { L: 36, H: 16, T: 1024, knockout: true, relevance: true });
    await page.goto('/?ko=0&rel=0');
    await importFile(page, 'large.json', JSON.stringify(r));
    await expect(page.getByTestId('recorded-banner')).toBeVisible({ timeout: 60_000 });
    // the import closed the menu
    await expect(page.getByTestId('share-toggle')).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('lens-heatmap')).toBeVisible();
    // let the views finish drawing, then measure only the opening
    await page.waitForTimeout(3000);
    await resetTasks(page);
    await page.getByTestId('share-toggle').click();
    await expect(page.locator('[data-testid^="export-svg-"]').first()).toBeVisible();
    await page.waitForTimeout(500);
    const ms = await longestTask(page);
    console.log(`[freeze] opening Share & export on T = 1,024, L = 36, H = 16: longest task ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(200);
    // the views are listed by their titles on the page, not by internal ids
    const titles = await page.locator('.share-views li > span').allTextContents();
    expect(titles).toContain('Phases in words');
    expect(titles).toContain('Cumulative relevance and MRD');
    expect(titles.join()).not.toMatch(/phase-summary|mrd-chart|token-strip/);
    expect(w.errors).toEqual([]);
  });
});

test.describe('foreign requests: a link never chooses the server', () => {
  test.use({ approveTestHub: false });

  /** a hub model from the hub a link names (query or fragment) */
  const hubLink = (hub: string, where: 'query' | 'fragment', extra = '') =>
    where === 'query' ? `/?hub=${encodeURIComponent(hub)}&model=${SAFE_MODEL}&ko=0&rel=0${extra}` : `/?model=${SAFE_MODEL}&ko=0&rel=0${extra}#hub=${encodeURIComponent(hub)}`;

  test('refused by class (plain http elsewhere, link-local, credentials, other schemes): a notice, and no request to them', async ({ page, context }) => {
    const w = await watch(context, page);
    for (const cls of ['foreignHttp', 'linkLocal', 'credentials', 'schemes'] as const) {
      for (const hub of HUB_URLS[cls]) {
        for (const where of ['query', 'fragment'] as const) {
          await page.goto('about:blank');
          await page.goto(hubLink(hub, where));
          await expect(page.getByTestId('url-notice'), `${cls} ${hub} ${where}`).toContainText('Did not use the hub');
          await expect(page.getByTestId('hub-approval')).not.toBeVisible();
        }
      }
    }
    // hub models then come from the default hub only (answered here: no network in tests)
    expect(w.foreign.filter((u) => !u.startsWith('https://huggingface.co/'))).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test('https elsewhere: asked by name, and not allowed by this copy\'s security policy: no request', async ({ page, context }) => {
    const w = await watch(context, page);
    for (const hub of HUB_URLS.foreignHttps) {
      await page.goto('about:blank');
      await page.goto(hubLink(hub, 'query'));
      const dialog = page.getByTestId('hub-approval');
      await expect(dialog).toBeVisible();
      await expect(page.getByTestId('hub-approval-host')).toHaveText(new URL(hub).host);
      await expect(page.getByTestId('hub-approval-blocked')).toContainText('security policy');
      await expect(page.getByTestId('hub-approval-allow')).toHaveCount(0);
      await page.waitForTimeout(300);
      expect(w.foreign).toEqual([]);
    }
    expect(w.errors).toEqual([]);
  });

  test('the local hub: nothing is fetched until the user allows it; declined, nothing ever is', async ({ browser }) => {
    for (const where of ['query', 'fragment'] as const) {
      // declined
      let context = await guardedContext(browser, { approveTestHub: false });
      let page = await context.newPage();
      let w = await watch(context, page);
      await page.goto(hubLink(HUB_URL, where));
      await expect(page.getByTestId('hub-approval-host')).toHaveText(new URL(HUB_URL).host);
      await page.waitForTimeout(1500);
      expect(w.foreign, 'before any answer').toEqual([]);
      await page.getByTestId('hub-approval-decline').click();
      await expect(page.getByTestId('url-notice')).toContainText(`Did not contact`);
      await page.waitForTimeout(1000);
      expect(w.foreign.filter((u) => u.startsWith(HUB_URL))).toEqual([]);
      await context.close();

      // allowed: the model loads from it
      context = await guardedContext(browser, { approveTestHub: false });
      page = await context.newPage();
      w = await watch(context, page);
      await page.goto(hubLink(HUB_URL, where));
      await expect(page.getByTestId('hub-approval')).toBeVisible();
      expect(w.foreign).toEqual([]);
      await page.getByTestId('hub-approval-allow').click();
      await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: 120_000 });
      expect(w.foreign.length).toBeGreaterThan(0);
      expect(w.foreign.every((u) => u.startsWith(`${HUB_URL}/${SAFE_MODEL}/resolve/`))).toBe(true);
      // not remembered: a new page asks again
      await page.reload();
      await expect(page.getByTestId('hub-approval')).toBeVisible();
      // remembered when asked to
      await page.getByTestId('hub-approval-remember').check();
      await page.getByTestId('hub-approval-allow').click();
      await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: 120_000 });
      await page.reload();
      await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('hub-approval')).not.toBeVisible();
      expect(w.errors).toEqual([]);
      await context.close();
    }
  });

  test('a closed port on this computer: asked first, declined, never contacted', async ({ page, context }) => {
    const w = await watch(context, page);
    for (const hub of HUB_URLS.loopbackHttp.filter((h) => !h.includes('[::1]'))) {
      await page.goto('about:blank');
      await page.goto(hubLink(hub, 'query'));
      await expect(page.getByTestId('hub-approval-host')).toHaveText(new URL(hub).host);
      await page.getByTestId('hub-approval-decline').click();
      await expect(page.getByTestId('hub-approval')).not.toBeVisible();
    }
    await page.waitForTimeout(500);
    expect(w.foreign.filter((u) => !u.startsWith('https://huggingface.co/'))).toEqual([]);
  });
});

test.describe('long links: custom text lives in the fragment', () => {
  const TEXTS: [string, string, number][] = [
    ['Arabic', 'أحمد يعيش في القاهرة ويعمل في مكتبة كبيرة. ', 2700],
    ['Chinese', '玛丽住在北京，她在一家大图书馆工作。', 4000],
    ['Thai', 'มาลีอาศัยอยู่ที่เชียงใหม่และทำงานที่ห้องสมุด ', 3000],
    ['mixed with invisible characters', 'Ana\u200B lives in \u202ELisbon\u202C. أحمد ', 3500],
  ];

  for (const [name, unit, n] of TEXTS) {
    test(`${name}, ${n} characters typed in the editor: a short query, and a reload restores it`, async ({ page, context }) => {
      const w = await watch(context, page);
      const documents: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'document') documents.push(r.url());
      });
      await page.goto(`/?model=xlens-tiny-instruct&cl=${name === 'Chinese' ? 'zh' : name === 'Thai' ? 'th' : 'ar'}&ql=en&ko=0&rel=0`);
      await page.getByTestId('example').selectOption({ label: 'Custom text…' });
      const text = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      await page.getByTestId('custom-context').fill(text);
      await expect.poll(() => new URL(page.url()).hash).toMatch(/^#t=1\./);
      const u = new URL(page.url());
      expect(u.search.length).toBeLessThan(300);
      expect(u.search).not.toMatch(/ctx=|[?&]q=|ans=/);
      expect(page.url().length).toBeLessThan(32 * 1024);
      await page.reload();
      await expect(page.getByTestId('custom-context')).toHaveValue(text);
      // what reached the server: short request lines only
      for (const d of documents) expect(new URL(d).search.length, d.slice(0, 100)).toBeLessThan(300);
      expect(w.errors).toEqual([]);
    });
  }

  test('an old link with its custom text in the query still opens, and moves the text to the fragment', async ({ page }) => {
    const ctx = 'أحمد يعيش في القاهرة. '.repeat(20);
    await page.goto(`/?model=xlens-tiny-instruct&cl=ar&ql=en&ko=0&rel=0&ctx=${encodeURIComponent(ctx)}&q=${encodeURIComponent('Where does Ahmed live?')}&ans=${encodeURIComponent('القاهرة')}`);
    await expect(page.getByTestId('custom-context')).toHaveValue(ctx);
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#t=1\./);
    expect(new URL(page.url()).search).not.toMatch(/ctx=/);
  });

  test('200,000 pasted characters are cut to 4,000 with a word', async ({ page }) => {
    await page.goto('/?model=xlens-tiny-instruct&ko=0&rel=0');
    await page.getByTestId('example').selectOption({ label: 'Custom text…' });
    await page.getByTestId('custom-context').fill('Ana lives in Lisbon. '.repeat(10_000).slice(0, 200_000));
    await expect(page.getByTestId('text-cut')).toContainText('was 200,000 characters long; it keeps its first 4,000');
    expect((await page.getByTestId('custom-context').inputValue()).length).toBe(4000);
  });
});

test.describe('messages and bidi isolation', () => {
  test('a link\'s broken result and its bad settings are reported apart, in words', async ({ page }) => {
    await page.goto(`/?cl=xx&lm=bogus&rev=..&debug=yes&R=1#r=${await rawPayload('{"result":{"kind":"analysis"}}')}`);
    await expect(page.getByTestId('result-notice')).toContainText('The result in this link was not loaded');
    const settings = page.getByTestId('url-notice');
    await expect(settings).toContainText('Some settings in the page address were ignored');
    await expect(settings).toContainText('(context language)');
    await expect(settings).toContainText('(lens metric)');
    await expect(settings).toContainText('(model revision)');
    await expect(settings).toContainText('(debug mode)');
    await expect(settings).toContainText('did you mean r=');
    await expect(settings).not.toContainText(/contextLang|lensMetric|view\./);
    await expect(settings).not.toContainText('The result in this link');
  });

  test('a file with two byte-order marks is refused', async ({ page }) => {
    await page.goto('/?ko=0&rel=0');
    await importFile(page, 'bom.json', `\uFEFF\uFEFF${JSON.stringify(genAnalysis(seeded(3), { L: 2, H: 1, T: 3 }))}`);
    await expect(page.getByTestId('import-errors')).toContainText('two byte-order marks');
  });

  test('invisible and bidi characters before the answer: the analysis runs on the answer', async ({ page }) => {
    const rand = seeded(1901);
    for (let i = 0; i < 3; i++) {
      const ch = pickOne(rand, [...BIDI_CONTROLS, ...INVISIBLES]);
      const s: PageState = { ...defaultPageState(), example: null, analyses: { knockout: false, relevance: false, window: null }, custom: { context: `Maria lives in ${ch}Lisbon.`, question: 'Where does Maria live?', answer: `${ch}Lisbon` } };
      await page.goto('about:blank');
      await page.goto(await encodeStateLinkCompressed(s, `${APP_URL}/`, { debug: true }));
      await expect(page.getByTestId('lens-heatmap')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('input-problem')).toHaveCount(0);
      await expect(page.getByTestId('error')).toHaveCount(0);
      const target = await page.evaluate(() => (window as unknown as { __xlensDebug: { lastAnalysis: { prompt: { target: { text: string } } } } }).__xlensDebug.lastAnalysis.prompt.target.text);
      expect(target).toMatch(/Lis/);
    }
  });
});
