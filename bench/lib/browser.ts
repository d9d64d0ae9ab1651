// Headless Debian Chromium through playwright-core, on the bench server's page.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';

export const CHROMIUM = process.env.XLENS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface BenchBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** a fresh browser (cold cache, new profile) with the bench page loaded and cross-origin isolated */
export async function openBenchPage(url: string, extraArgs: string[] = []): Promise<BenchBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  page.on('console', (m) => {
    // 404s of optional model files (chat template, shard index) are expected
    if (m.type() === 'error' && !/status of 404/.test(m.text())) console.error(`[page] ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => (document.getElementById('log')?.textContent ?? '').startsWith('ready'), null, { timeout: 60_000 });
  const state = await page.textContent('#log');
  if (!state?.includes('isolated') || state.includes('NOT')) throw new Error(`bench page is not cross-origin isolated: ${state}`);
  return { browser, context, page, close: () => browser.close() };
}

export async function chromiumVersion(): Promise<string> {
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const v = b.version();
  await b.close();
  return v;
}

/** every descendant pid of `root` (for us: the Chromium processes this bench launched) */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* process exited */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** VmHWM (peak resident set) and VmRSS of a process, in bytes, plus its command line */
export function procMemory(pid: number): { hwm: number; rss: number; cmd: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { hwm: kb('VmHWM'), rss: kb('VmRSS'), cmd };
  } catch {
    return null;
  }
}
