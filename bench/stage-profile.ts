// stage-profile: where one default analysis spends its kernel time, stage by stage and op type by op
// type, against one plain forward of the same prompt: onnxruntime's own profiler (enableProfiling) on the
// engine's session in Node (onnxruntime-web, the browser's WASM kernels, 1 thread). The session is the
// one loadModel makes (its create is wrapped only to switch profiling on), and every session.run is
// labelled with the analyze() stage that made it, so each run's kernel events are summed under its stage.
//
//   npx tsx bench/stage-profile.ts [--model qwen2.5-0.5b] [--format fp32] [--T 256] [--json bench/out/stage-profile.json]
//
// A child process runs the model (onnxruntime-web prints its profile to stdout, where the parent reads
// it); the parent prints, per stage, the runs, kernel time and the op types that carry it.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WeightFormat } from '../src/engine/arch/size';
import { argNum, fmt, isMain, log, parseArgs, table, writeJSON } from './lib/stats';
import { groupProfile, parseProfileLines, type OpProfile, type ProfEvent } from './lib/profile';
import { ensureRealShape, realShape, realShapeDir, realShapeSpec, realShapeTokenizer } from './lib/real-models';
import { xquadPrompts } from './lib/xquad-prompts';

export interface StageProfile {
  model: string;
  format: WeightFormat;
  T: number;
  prompt: string;
  /** analyze()'s own timings (ms, wall, with profiling on) */
  timings: Record<string, number>;
  stages: { stage: string; runs: number; profile: OpProfile }[];
  plain: OpProfile;
}

type Ev = ProfEvent & { ts: number; dur: number };

/** child: load with profiling on, one analysis (every run labelled with its stage), one plain forward; print LABELS and RESULT lines */
async function child(dir: string, format: WeightFormat, input: string): Promise<void> {
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.logLevel = 'error';
  const { loadModel } = await import('../src/engine/model');
  const { analyze } = await import('../src/engine/analyses/analyze');
  const { openPlain, plainForwardMs } = await import('./lib/real-runner');
  const labels: string[] = [];
  let stage = 'load';
  const sessions: { endProfiling(): void }[] = [];
  const profiled = {
    ...ortWeb,
    InferenceSession: {
      create: async (m: Uint8Array, o: Record<string, unknown>) => {
        const s = await ortWeb.InferenceSession.create(m, { ...o, enableProfiling: true } as never);
        sessions.push(s);
        return new Proxy(s, {
          get(t, k) {
            if (k === 'run') return (...args: Parameters<typeof t.run>) => (labels.push(stage), t.run(...args));
            const v = Reflect.get(t, k, t);
            return typeof v === 'function' ? v.bind(t) : v;
          },
        });
      },
    },
  } as unknown as typeof ortWeb;
  const model = await loadModel({ kind: 'dir', path: dir }, { ort: profiled, backend: 'wasm', weights: format });
  const inp = JSON.parse(input);
  const r = await analyze(model, inp, { knockout: true, relevance: true, lens: 'auto', onStage: (s) => (stage = s) });
  const ids = r.prompt.tokens.map((t) => t.id);
  process.stdout.write(`\nLABELS ${JSON.stringify(labels)}\nRESULT ${JSON.stringify({ T: ids.length, timings: r.timings })}\n`);
  // each session prints its events when its profiling ends (stdout to a pipe is synchronous on Linux);
  // the engine's session goes before the plain one opens (both would not fit one 4 GiB heap)
  sessions[0].endProfiling();
  process.stdout.write(`\n${SPLIT}\n`);
  await model.dispose();
  stage = 'plain';
  const plain = await openPlain({ kind: 'dir', path: dir }, profiled, format);
  await plainForwardMs(plain, ids); // warm-up
  await plainForwardMs(plain, ids);
  sessions[1].endProfiling();
}

const SPLIT = 'XLENS-PROFILE-END';

export async function runStageProfile(opts: { model?: string; format?: WeightFormat; T?: number }): Promise<StageProfile> {
  const shape = realShape(opts.model ?? 'qwen2.5-0.5b');
  ensureRealShape(shape, log);
  const format = opts.format ?? 'fp32';
  const [p] = xquadPrompts(realShapeTokenizer(shape), [opts.T ?? 256]);
  log(`${shape.name} ${format}: T=${p.T}, ${p.label}`);
  const script = fileURLToPath(import.meta.url);
  // the child's stdout goes to a file: a full pipe stalled onnxruntime-web's synchronous profile writes
  mkdirSync('bench/out/profiles', { recursive: true });
  const file = `bench/out/profiles/stage-${shape.key}-${format}-${p.T}.out`;
  const fd = openSync(file, 'w');
  await new Promise<void>((ok, fail) => {
    const c = spawn(process.execPath, [...process.execArgv, script, '--child', realShapeDir(shape), '--format', format, '--input', JSON.stringify(p.input)], { stdio: ['ignore', fd, 'inherit'] });
    c.on('close', (code) => (code === 0 ? ok() : fail(new Error(`stage-profile child exited with ${code}`))));
  });
  closeSync(fd);
  const out = readFileSync(file, 'utf8');
  rmSync(file);
  const lines = out.split('\n');
  const labels: string[] = JSON.parse(lines.find((l) => l.startsWith('LABELS '))!.slice(7));
  const result = JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice(7));
  // the engine's session printed its events first, then the plain graph's (each clock starts with its session)
  const at = lines.indexOf(SPLIT);
  const engineEvents = parseProfileLines(lines.slice(0, at)) as Ev[];
  const plainEvents = parseProfileLines(lines.slice(at + 1)) as Ev[];
  const runsOf = (evs: Ev[]) => evs.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const inRun = (evs: Ev[], r: Ev) => evs.filter((e) => e.cat === 'Node' && e.ts >= r.ts && e.ts <= r.ts + r.dur);
  const engineLabels = labels.filter((l) => l !== 'plain');
  const engineRuns = runsOf(engineEvents);
  if (engineRuns.length !== engineLabels.length) log(`note: ${engineRuns.length} profiled runs for ${engineLabels.length} session.run calls`);
  const byStage = new Map<string, Ev[]>();
  const runCount = new Map<string, number>();
  engineRuns.forEach((r, i) => {
    const st = engineLabels[i] ?? '?';
    byStage.set(st, [...(byStage.get(st) ?? []), ...inRun(engineEvents, r)]);
    runCount.set(st, (runCount.get(st) ?? 0) + 1);
  });
  const vocab = realShapeSpec(shape).vocabSize;
  const pr = runsOf(plainEvents);
  return {
    model: shape.name,
    format,
    T: result.T,
    prompt: p.label,
    timings: result.timings,
    stages: [...byStage.entries()].map(([stage, evs]) => ({ stage, runs: runCount.get(stage)!, profile: groupProfile(evs, vocab) })),
    // the second plain run (the first warms up)
    plain: groupProfile(pr.length ? inRun(plainEvents, pr[pr.length - 1]) : [], vocab),
  };
}

export function stageProfileTables(p: StageProfile, top = 6): string {
  const head = table(
    ['stage', 'runs', 'kernel ms', '× plain forward kernels', 'wall ms (analyze timings)', 'op types carrying it (ms, share)'],
    [
      ['plain forward', 1, p.plain.totalMs, '1x', '–', p.plain.groups.slice(0, top).map((g) => `${g.name} ${fmt(g.ms)} (${fmt(g.share * 100, 2)}%)`).join('; ')],
      ...p.stages.map((s) => [
        s.stage,
        s.runs,
        s.profile.totalMs,
        `${fmt(s.profile.totalMs / p.plain.totalMs)}x`,
        fmt(p.timings[`${s.stage === 'generate' ? 'generate' : s.stage}Ms`]),
        s.profile.groups.slice(0, top).map((g) => `${g.name} ${fmt(g.ms)} (${fmt(g.share * 100, 2)}%)`).join('; '),
      ]),
    ],
  );
  return head;
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  if (a.values.has('child')) {
    await child(a.values.get('child')!, a.values.get('format') as WeightFormat, a.values.get('input')!);
  } else {
    const r = await runStageProfile({ model: a.values.get('model'), format: a.values.get('format') as WeightFormat | undefined, T: argNum(a, 'T', 256) });
    log(`\n${r.model} ${r.format}, T=${r.T} (${r.prompt}): kernel time per stage (onnxruntime profiler, Node, WASM, 1 thread)\n`);
    log(stageProfileTables(r));
    writeJSON(a.values.get('json') ?? `bench/out/stage-profile-${realShape(r.model).key}-${r.format}-${r.T}.json`, r);
  }
}

