// first paint: from page open (fresh browser, cold cache) to the first logit-lens heatmap on
// the tiny model, in the production build (`npm run build`, into bench/out/app-dist so the
// shared dist/ is left alone) served by `vite preview --port 4173 --strictPort`.
// The clock is the page's own: performance.now() (0 = navigation start) when the element
// `[data-testid="lens-heatmap"] [data-layer]` first exists, seen by a MutationObserver
// installed before any page script runs. If the app does not start a run by itself, the
// bench clicks Run as soon as it is enabled (that is counted in the time, and reported).
//
//   npx tsx bench/first-paint.ts [--reps 3] [--no-build] [--timeout-s 120] [--port 4173] [--json bench/out/first-paint.json]
// (if the port is taken, e.g. by an e2e run, port + 100 is used and the report says so)
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './lib/browser';
import { argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';
import { tinyModel } from './lib/models';
import { startServer } from './lib/server';

// XLENS_BENCH_PORT: a port of your own on a machine shared with other developers' servers
const DEFAULT_PORT = Number(process.env.XLENS_BENCH_PORT ?? 4173);
const APP_DIR = 'bench/out/app-dist';
const HEATMAP = '[data-testid="lens-heatmap"] [data-layer]';
const HEATMAP_BOX = '[data-testid="lens-heatmap"]';
/** once the heatmap's container is on the page, how long to wait for its rows */
const ROWS_GRACE_MS = 15_000;
/** the views filled last: once both have rows the analysis is complete */
const DONE = ['[data-testid="knockout-heatmap"] [data-layer]', '[data-testid="relevance-heatmap"] [data-layer]'];
const DONE_WAIT_MS = 60_000;

export interface PaintRun {
  firstHeatmapMs: number | null;
  /** when the heatmap's container (data-testid="lens-heatmap") first existed, rows or not */
  heatmapBoxMs: number | null;
  clickedRun: boolean;
  clickAtMs: number | null;
  domContentLoadedMs: number;
  /** responseEnd of the last model / runtime file, from Resource Timing */
  runtimeFetchedMs: number | null;
  modelFetchedMs: number | null;
  error?: string;
  /** the app's own timing lines (RunInfo), when present */
  runTimings?: string;
  loadTimings?: string;
  /** main-thread responsiveness while the rest of the analysis (knockout, relevance) streams in after the first heatmap */
  mainThread?: MainThread;
}

export interface MainThread {
  /** ms from the first heatmap until the relevance and knockout heatmaps both had rows (null: not within the wait) */
  completeAfterMs: number | null;
  /** longest gap between animation frames in that window, ms (one frame at 60 Hz = 16.7 ms) */
  maxFrameGapMs: number;
  /** frames in that window, and how many gaps were longer than two frames (33.4 ms) */
  frames: number;
  gapsOver2Frames: number;
  /** Long Tasks API (tasks > 50 ms) in that window: count and longest, ms; and before the first heatmap (app start) */
  longTasks: number;
  longestTaskMs: number;
  longestTaskBeforeMs: number;
}

/** "forward 280 ms · generate 625 ms" -> { forward: 280, generate: 625 } */
export function parseStages(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of (text ?? '').matchAll(/([A-Za-z][\w-]*)\s+([\d.]+)\s*ms/g)) out[m[1]] = Number(m[2]);
  return out;
}

export interface PaintReport {
  status: 'measured' | 'not measured';
  reason?: string;
  model: string;
  note?: string;
  url?: string;
  buildMs?: number;
  portNote?: string;
  runs: PaintRun[];
  medianMs: number | null;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (out += b));
    const t = setTimeout(() => stop(p), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      ok({ code, out });
    });
  });
}

/** stop a child we started, and its own children, by its process group id */
function stop(p: ChildProcess): void {
  if (p.pid === undefined || p.exitCode !== null) return;
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}

async function startPreview(PORT: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('npx', ['vite', 'preview', '--outDir', APP_DIR, '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const t0 = Date.now();
  while (Date.now() - t0 < 30_000) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}): ${out.trim().slice(-400)}`);
    if (await portOpen(PORT)) return { child, output: () => out };
    await new Promise((r) => setTimeout(r, 200));
  }
  stop(child);
  throw new Error(`vite preview did not listen on ${PORT} within 30 s: ${out.trim().slice(-400)}`);
}

async function onePaint(url: string, timeoutMs: number): Promise<PaintRun> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // (page-side code is passed as strings: tsx would wrap named functions in a __name helper the page lacks)
    await page.addInitScript(`(() => {
      const sel = ${JSON.stringify(HEATMAP)};
      const box = ${JSON.stringify(HEATMAP_BOX)};
      const done = ${JSON.stringify(DONE)};
      new MutationObserver(() => {
        if (window.__lensBox === undefined && document.querySelector(box)) window.__lensBox = performance.now();
        if (window.__firstHeatmap === undefined && document.querySelector(sel)) window.__firstHeatmap = performance.now();
        if (window.__done === undefined && done.every((d) => document.querySelector(d))) window.__done = performance.now();
      }).observe(document, { childList: true, subtree: true, attributes: true });
      // main-thread responsiveness: every animation frame's time, and the Long Tasks API
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      window.__long = [];
      try {
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
      } catch {}
    })()`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('crash', () => errors.push('the page crashed'));
    // an uncaught page error usually means the app is stuck: give it 5 s more, not the whole timeout
    const fatal = new Promise<'fatal'>((ok) => {
      const on = () => setTimeout(() => ok('fatal'), 5000);
      page.once('pageerror', on);
      page.once('crash', on);
    });
    // network timeline (worker requests included): end of each response, epoch ms
    const finished: { url: string; endEpoch: number }[] = [];
    page.on('requestfinished', (req) => {
      const t = req.timing();
      if (t.startTime > 0 && t.responseEnd >= 0) finished.push({ url: req.url(), endEpoch: t.startTime + t.responseEnd });
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const deadline = Date.now() + timeoutMs;
    let clickedRun = false;
    let clickAtMs: number | null = null;
    // the app may run by itself; if not, press Run as soon as it can be pressed
    const runButton = page.locator('[data-testid="run"]');
    const first = await Promise.race([
      page.waitForSelector(HEATMAP, { timeout: timeoutMs }).then(() => 'heatmap' as const),
      runButton.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'button' as const),
      fatal,
    ]).catch(() => 'timeout' as const);
    if (first === 'button' && !(await page.$(HEATMAP))) {
      await page.waitForTimeout(50); // give an auto-run the chance to start (the button is then disabled)
      if (!(await page.$(HEATMAP)) && (await runButton.isEnabled())) {
        await runButton.click();
        clickedRun = true;
        clickAtMs = await page.evaluate(() => performance.now());
      }
    }
    let error: string | undefined;
    try {
      if (first === 'fatal') throw new Error('fatal');
      // the container without rows for ROWS_GRACE_MS means the view does not draw rows (yet)
      const boxOnly = page
        .waitForSelector(HEATMAP_BOX, { timeout: Math.max(1000, deadline - Date.now()) })
        .then(() => page.waitForTimeout(ROWS_GRACE_MS))
        .then(() => 'box-only' as const)
        .catch(() => 'timeout' as const);
      const done = await Promise.race([page.waitForSelector(HEATMAP, { timeout: Math.max(1000, deadline - Date.now()) }).then(() => 'ok' as const), fatal, boxOnly]);
      if (done !== 'ok' && !(await page.$(HEATMAP).catch(() => null))) throw new Error(done);
    } catch {
      const err = await page.locator('[data-testid="error"]').textContent({ timeout: 2000 }).catch(() => null);
      const box = await page.$(HEATMAP_BOX).catch(() => null);
      error = `no heatmap${box ? ` rows: the ${HEATMAP_BOX} element is on the page but has no [data-layer] rows ${ROWS_GRACE_MS / 1000} s later` : errors.length ? '' : ` within ${timeoutMs / 1000} s`}${err ? `; the app says: ${err.trim().slice(0, 300)}` : ''}${errors.length ? `; page errors: ${errors.join(' | ').slice(0, 300)}` : ''}`;
    }
    let m: { heat: number | null; box: number | null; dcl: number; origin: number };
    try {
      m = (await page.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return { heat: window.__firstHeatmap ?? null, box: window.__lensBox ?? null, dcl: nav ? nav.domContentLoadedEventEnd : 0, origin: performance.timeOrigin };
      })()`)) as { heat: number | null; box: number | null; dcl: number; origin: number };
    } catch (e) {
      const why = `the page is gone (${(e as Error).message.split('\n')[0]})${errors.length ? `; page errors: ${errors.join(' | ').slice(0, 300)}` : ''}`;
      return { firstHeatmapMs: null, heatmapBoxMs: null, clickedRun, clickAtMs, domContentLoadedMs: 0, runtimeFetchedMs: null, modelFetchedMs: null, error: why };
    }
    const last = (re: RegExp) => {
      const xs = finished.filter((f) => re.test(f.url)).map((f) => f.endEpoch - m.origin);
      return xs.length ? Math.max(...xs) : null;
    };
    let mainThread: MainThread | undefined;
    if (!error && m.heat !== null) {
      await page.waitForFunction('window.__done !== undefined', undefined, { timeout: DONE_WAIT_MS }).catch(() => null);
      await page.waitForTimeout(500); // frames after the last view was drawn
      mainThread = (await page.evaluate(`(() => {
        const from = window.__firstHeatmap, to = window.__done ?? performance.now();
        const fr = window.__frames.filter((t) => t >= from && t <= to + 500);
        let gap = 0, over = 0;
        for (let i = 1; i < fr.length; i++) { const g = fr[i] - fr[i - 1]; gap = Math.max(gap, g); if (g > 33.4) over++; }
        const inWin = window.__long.filter(([s]) => s >= from && s <= to + 500);
        const before = window.__long.filter(([s]) => s < from);
        return {
          completeAfterMs: window.__done === undefined ? null : window.__done - from,
          maxFrameGapMs: gap, frames: fr.length, gapsOver2Frames: over,
          longTasks: inWin.length, longestTaskMs: Math.max(0, ...inWin.map(([, d]) => d)), longestTaskBeforeMs: Math.max(0, ...before.map(([, d]) => d)),
        };
      })()`)) as MainThread;
    }
    const runTimings = (await page.locator('[data-testid="run-timings"]').textContent({ timeout: 2000 }).catch(() => null)) ?? undefined;
    const loadTimings = (await page.locator('[data-testid="load-timings"]').textContent({ timeout: 2000 }).catch(() => null)) ?? undefined;
    return {
      firstHeatmapMs: error ? null : m.heat,
      heatmapBoxMs: m.box,
      clickedRun,
      clickAtMs,
      domContentLoadedMs: m.dcl,
      runtimeFetchedMs: last(/ort-wasm[^/]*\.wasm/),
      modelFetchedMs: last(/\.safetensors|config\.json|tokenizer/),
      error,
      runTimings: runTimings?.replace(/\s+/g, ' ').trim(),
      loadTimings: loadTimings?.replace(/\s+/g, ' ').trim(),
      mainThread,
    };
  } finally {
    await browser.close();
  }
}

export async function runFirstPaint(opts: { reps?: number; build?: boolean; timeoutMs?: number; port?: number }): Promise<PaintReport> {
  const tiny = tinyModel();
  const report: PaintReport = { status: 'not measured', model: tiny.name, note: tiny.note, runs: [], medianMs: null };
  if (opts.build !== false) {
    const t0 = performance.now();
    const b = await run('npm', ['run', 'build', '--', '--outDir', APP_DIR, '--emptyOutDir'], 240_000);
    report.buildMs = performance.now() - t0;
    log(`app built into ${APP_DIR} in ${fmt(report.buildMs / 1000)} s`);
    if (b.code !== 0) {
      // the first error lines, without colours and stack frames
      // eslint-disable-next-line no-control-regex
      const lines = b.out.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !/^[│╭╰─ ]*$/.test(l));
      const at = lines.findIndex((l) => /error/i.test(l));
      report.reason = `npm run build failed (exit ${b.code}): ${lines.slice(Math.max(0, at), Math.max(0, at) + 4).join(' / ').slice(0, 400)}`;
      log(report.reason);
      return report;
    }
  }
  let PORT = opts.port ?? DEFAULT_PORT;
  if (await portOpen(PORT)) {
    // an e2e run (or someone's preview) holds it: use a neighbour rather than not measuring
    const alt = PORT + 100;
    if (await portOpen(alt)) {
      report.reason = `ports ${PORT} and ${alt} are in use; not measured`;
      log(report.reason);
      return report;
    }
    report.portNote = `port ${PORT} was in use (another vite preview or e2e run); served on ${alt} instead`;
    log(`note: ${report.portNote}`);
    PORT = alt;
  }
  let preview: Awaited<ReturnType<typeof startPreview>> | null = null;
  const hub = tiny.real ? null : await startServer();
  try {
    preview = await startPreview(PORT);
    // the real tiny model is the app's offline default; a stand-in is served in the hub's URL layout
    const q = tiny.real ? '' : `?${new URLSearchParams({ hub: `${hub!.url}/hub`, model: `xlens-bench/${tiny.dir.split('/').pop()}` })}`;
    report.url = `http://127.0.0.1:${PORT}/${q}`;
    for (let r = 0; r < (opts.reps ?? 3); r++) {
      const p = await onePaint(report.url, opts.timeoutMs ?? 120_000);
      report.runs.push(p);
      log(
        p.error
          ? `run ${r + 1}: ${p.error}${p.heatmapBoxMs !== null ? ` (the heatmap container appeared at ${fmt(p.heatmapBoxMs)} ms; model fetched by ${fmt(p.modelFetchedMs)}, runtime by ${fmt(p.runtimeFetchedMs)})` : ''}`
          : `run ${r + 1}: first heatmap at ${fmt(p.firstHeatmapMs)} ms after navigation start (DOMContentLoaded ${fmt(p.domContentLoadedMs)}, runtime wasm fetched ${fmt(p.runtimeFetchedMs)}, model fetched ${fmt(p.modelFetchedMs)}${p.clickedRun ? `, Run clicked at ${fmt(p.clickAtMs)}` : ', no click needed'})${p.loadTimings || p.runTimings ? `; the app reports: ${[p.loadTimings, p.runTimings].filter(Boolean).join('; ')}` : ''}`,
      );
      if (p.error && r === 0) break; // the app does not get there yet: one try is enough
    }
    const ok = report.runs.filter((x) => x.firstHeatmapMs !== null).map((x) => x.firstHeatmapMs!);
    if (ok.length) {
      report.status = 'measured';
      report.medianMs = median(ok);
    } else report.reason = report.runs[0]?.error ?? 'no run';
  } catch (e) {
    report.reason = (e as Error).message;
    log(report.reason);
  } finally {
    if (preview) stop(preview.child);
    await hub?.close();
  }
  return report;
}

export function paintTable(r: PaintReport): string {
  return table(
    ['run', 'first heatmap ms', 'heatmap container ms', 'DOMContentLoaded ms', 'runtime wasm fetched ms', 'model fetched ms', 'Run clicked at ms'],
    r.runs.map((x, i) => [i + 1, x.firstHeatmapMs ?? `– (${x.error})`, x.heatmapBoxMs ?? '–', x.domContentLoadedMs, x.runtimeFetchedMs ?? '–', x.modelFetchedMs ?? '–', x.clickedRun ? (x.clickAtMs ?? '–') : 'no click (the app ran by itself)']),
  );
}

/** main-thread responsiveness per run, after the first heatmap until the analysis is complete */
export function mainThreadTable(r: PaintReport): string {
  return table(
    ['run', 'analysis complete after first heatmap, ms', 'frames', 'longest frame gap ms', 'gaps > 2 frames', 'long tasks (> 50 ms)', 'longest task ms', 'longest task before the first heatmap ms'],
    r.runs
      .filter((x) => x.mainThread)
      .map((x, i) => {
        const m = x.mainThread!;
        return [i + 1, m.completeAfterMs === null ? `– (not within ${DONE_WAIT_MS / 1000} s)` : fmt(m.completeAfterMs), m.frames, fmt(m.maxFrameGapMs), m.gapsOver2Frames, m.longTasks, fmt(m.longestTaskMs), fmt(m.longestTaskBeforeMs)];
      }),
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const r = await runFirstPaint({ reps: argNum(a, 'reps', 3), build: !a.flags.has('no-build'), timeoutMs: argNum(a, 'timeout-s', 120) * 1000, port: argNum(a, 'port', DEFAULT_PORT) });
  log('');
  log(r.status === 'measured' ? `first heatmap: median ${fmt(r.medianMs)} ms (${r.model})` : `first heatmap: not measured: ${r.reason}`);
  if (r.runs.length) log(paintTable(r));
  if (r.runs.some((x) => x.mainThread)) log(mainThreadTable(r));
  writeJSON(a.values.get('json'), r);
}
