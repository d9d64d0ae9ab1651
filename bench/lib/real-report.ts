// BENCHMARKS.md's real-shape part: the issue-12 targets judged on a real-shapes report (bench/real-shapes.ts)
// and the stage profiles (bench/stage-profile.ts), and the section with every table.

import { cellFigures, HEADLINE, realShapesTables, type RealCell, type RealShapesReport } from '../real-shapes';
import { stageProfileTables, type StageProfile } from '../stage-profile';
import { realShape } from './real-models';
import { fmt } from './stats';

type Row = [string, string, string, string, string];
const MiB = 2 ** 20;
const x = (v: number) => (Number.isFinite(v) ? `${fmt(v)}x` : '–');
const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'pass' : '**miss**');

/** the cells a "Done when" line names: model key, formats, targets, runtimes */
const REQUIRED: { key: string; formats: string[]; targets: number[] }[] = [
  { key: 'qwen2.5-0.5b', formats: ['fp32', 'int8'], targets: [64, 256, 512, 1024] },
  { key: 'gemma-3-270m', formats: ['fp32'], targets: [1024] },
  { key: 'llama-3.2-1b', formats: ['int8'], targets: [512] },
];

function weightsOf(r: RealShapesReport, c: RealCell): number {
  return r.runs.find((u) => u.model === c.model && u.format === c.format && u.runtime === c.runtime)?.weightBytes ?? NaN;
}

/** a stage profile's biggest stages and op types, in words */
function profileWords(p: StageProfile): string {
  const stages = [...p.stages].sort((a, b) => b.profile.totalMs - a.profile.totalMs);
  const total = stages.reduce((a, s) => a + s.profile.totalMs, 0);
  return (
    `kernel time per stage (onnxruntime profiler, ${p.model} ${p.format}, T=${p.T}, Node): ` +
    stages
      .map((s) => {
        const g = s.profile.groups.slice(0, 2).map((o) => `${o.name} ${fmt(o.share * 100, 2)}%`);
        return `${s.stage} ${fmt((100 * s.profile.totalMs) / total, 2)}% (${x(s.profile.totalMs / p.plain.totalMs)} the plain forward's kernels; ${s.runs} run${s.runs > 1 ? 's' : ''}; ${g.join(', ')})`;
      })
      .join('; ')
  );
}

export function realTargets(r: RealShapesReport, stages: StageProfile[] = []): Row[] {
  const rows: Row[] = [];
  const find = (model: string, format: string, target: number, runtime: string) => r.cells.find((c) => c.model === model && c.format === format && c.target === target && c.runtime === runtime);
  const runtimes = [...new Set(r.runs.map((u) => u.runtime))];

  // 1. completes without running out of memory
  {
    const want: string[] = [];
    const failed: string[] = [];
    let ok = 0;
    for (const q of REQUIRED) {
      const name = realShape(q.key).name;
      for (const f of q.formats)
        for (const t of q.targets)
          for (const rt of runtimes) {
            const label = `${name} ${f} ${rt} T≈${t}`;
            want.push(label);
            const c = find(name, f, t, rt);
            if (c && c.analyses.length && !c.error) ok++;
            else {
              const run = r.runs.find((u) => u.model === name && u.format === f && u.runtime === rt);
              failed.push(`${label}: ${c?.error ?? run?.error ?? 'not run'}`);
            }
          }
    }
    const measured = failed.length < want.length;
    rows.push([
      'full analysis completes, no out-of-memory: Qwen2.5-0.5B shape fp32 and int8 at T ≈ 64/256/512/1024, gemma-3-270m at 1024, Llama-3.2-1B int8 at 512; Chromium WASM and Node',
      'real-shapes',
      `${ok} of ${want.length} cells complete`,
      measured ? verdict(failed.length === 0) : verdict(null),
      failed.length ? `Failed or not run: ${failed.join('; ')}.` : `Every required cell ran to the end (relevance included) in both runtimes; the WASM heap peaks are in the table below.`,
    ]);
  }

  // 2, 3. first heatmap and the default analysis against a plain forward (Qwen, T ≈ 256)
  const head = r.cells.filter((c) => realShape(c.model).key === HEADLINE.model && c.target === HEADLINE.target && c.analyses.length);
  const figs = head.map((c) => ({ c, f: cellFigures(c, weightsOf(r, c)) }));
  const cellName = (c: RealCell) => `${c.runtime} ${c.format}`;
  const prof = stages.find((p) => realShape(p.model).key === HEADLINE.model && p.format === 'fp32') ?? stages[0];
  if (figs.length) {
    const T = head[0].T;
    const fwd = prof?.stages.find((s) => s.stage === 'forward');
    rows.push([
      `first heatmap ≤ 1.5x one plain forward (Qwen2.5-0.5B shape, T ≈ ${HEADLINE.target}, WASM)`,
      'real-shapes',
      figs.map(({ c, f }) => `${cellName(c)}: ${x(f.firstRatio)} (${fmt(f.first)} / ${fmt(f.plain)} ms, n=${f.n})`).join('; ') + ` at T=${T}`,
      verdict(figs.every(({ f }) => f.firstRatio <= 1.5)),
      `The first partial result is the analysis forward (attention of the last position, every residual state, the KV cache, the lens of every layer at the last position) plus its JS: ` +
        figs.map(({ c, f }) => `${cellName(c)} forward ${x(f.forward / f.plain)}, the JS after it ${fmt(f.first - f.forward)} ms`).join('; ') +
        '. ' +
        (fwd && prof ? `Profiled (${prof.format}, T=${prof.T}): its kernels are ${x(fwd.profile.totalMs / prof.plain.totalMs)} the plain forward's; ${fwd.profile.groups.slice(0, 3).map((g) => `${g.name} ${fmt(g.ms)} ms`).join(', ')} against the plain forward's ${prof.plain.groups.slice(0, 3).map((g) => `${g.name} ${fmt(g.ms)} ms`).join(', ')}. ` : '') +
        `CPU time (Node, immune to the other processes' load): ${figs
          .filter(({ c }) => c.plainCpuMs.length && c.analyses[0].cpu)
          .map(({ c }) => `${cellName(c)} ${x(med(c.analyses.map((a) => a.cpu!.firstPartialMs ?? NaN)) / med(c.plainCpuMs))}`)
          .join(', ') || '–'}.`,
    ]);
    rows.push([
      `default full analysis ≤ 5x one plain forward (Qwen2.5-0.5B shape, T ≈ ${HEADLINE.target}, WASM)`,
      'real-shapes',
      figs.map(({ c, f }) => `${cellName(c)}: ${x(f.totalRatio)} (${fmt(f.total)} / ${fmt(f.plain)} ms, n=${f.n})`).join('; '),
      verdict(figs.every(({ f }) => f.totalRatio <= 5)),
      `Stages as plain forwards (lens 'auto' = ${figs[0].f.coverage}: the question, answer span, template and last positions; knockout window L/4 over 4 source sets; AttnLRP relevance; generation to the cap from the gold answer): ` +
        figs
          .map(
            ({ c, f }) =>
              `${cellName(c)} forward ${x(f.forward / f.plain)}, generation ${x(f.generate / f.plain)} (${f.generated} tokens), lens ${x(f.lens / f.plain)}, knockout ${x(f.knockout / f.plain)}, relevance ${x(f.relevance / f.plain)}`,
          )
          .join('; ') +
        '. ' +
        (prof ? `Profile — ${profileWords(prof)}.` : ''),
    ]);
  }

  // 4. peak heap at T ≈ 1024
  const long = r.cells.filter((c) => c.target === 1024 && c.analyses.length);
  if (long.length) {
    const over = long.map((c) => ({ c, f: cellFigures(c, weightsOf(r, c)) }));
    const worst = over.reduce((w, o) => (o.f.overWeights > w.f.overWeights ? o : w));
    const runOf = (c: RealCell) => r.runs.find((u) => u.model === c.model && u.format === c.format && u.runtime === c.runtime)!;
    rows.push([
      'peak WASM heap during an analysis ≤ the session\'s weights + 256 MiB at T ≈ 1024',
      'real-shapes',
      over.map(({ c, f }) => `${c.model} ${c.format} ${c.runtime}: +${fmt(f.overWeights / MiB, 4)} MiB`).join('; '),
      verdict(over.every(({ f }) => f.overWeights <= 256 * MiB)),
      `Heap − weights right after loading (the session's own arena, before any analysis): ${over
        .map(({ c }) => {
          const l = runOf(c).engineLoad;
          return `${c.model} ${c.format} ${c.runtime} ${l ? `+${fmt((l.heapAfterLoad - runOf(c).weightBytes) / MiB, 4)} MiB` : '–'}`;
        })
        .join('; ')}; so the analyses at every length up to T=${worst.c.T} added the rest (worst: ${worst.c.model} ${worst.c.format} ${worst.c.runtime}). The weights are the graph's initializers (fp32: 4 bytes per parameter; int8: 1 byte per matrix element and a 4-byte scale per row, fp32 for the rest).`,
    ]);
  }

  // 5. the quantised format's plain forward against fp32's (measured in the same run, not alternated with each other)
  const qf = (f: string, rt: string) => find(realShape(HEADLINE.model).name, f, HEADLINE.target, rt);
  const pairs = runtimes.map((rt) => ({ rt, a: qf('fp32', rt), b: qf('int8', rt) })).filter((p) => p.a?.plainMs.length && p.b?.plainMs.length);
  if (pairs.length) {
    const heap = (f: string, rt: string) => r.runs.find((u) => realShape(u.model).key === HEADLINE.model && u.format === f && u.runtime === rt);
    rows.push([
      `quantised forward ≥ 1.5x faster than fp32 on WASM at T ≈ ${HEADLINE.target}, session memory ≤ 0.35x fp32's (Qwen2.5-0.5B shape; the format is another branch's work, reported here as measured)`,
      'real-shapes',
      pairs
        .map(({ rt, a, b }) => {
          const ha = heap('fp32', rt)?.plainLoad?.heapAfterLoad;
          const hb = heap('int8', rt)?.plainLoad?.heapAfterLoad;
          return `${rt}: fp32 / int8 time ${x(med(a!.plainMs) / med(b!.plainMs))} (${fmt(med(a!.plainMs))} / ${fmt(med(b!.plainMs))} ms); int8 / fp32 session heap ${ha && hb ? x(hb / ha) : '–'}`;
        })
        .join('; '),
      verdict(pairs.every(({ rt, a, b }) => {
        const ha = heap('fp32', rt)?.plainLoad?.heapAfterLoad;
        const hb = heap('int8', rt)?.plainLoad?.heapAfterLoad;
        return med(a!.plainMs) / med(b!.plainMs) >= 1.5 && !!ha && !!hb && hb / ha <= 0.35;
      })),
      `The plain graph's forward in each format (its own process, the same prompt), measured in the same run but minutes apart, so the time ratio carries the load's drift; bench/int8.ts compares the formats alternately. The heap is the plain session's WASM heap after loading.`,
    ]);
  }
  return rows;
}

const med = (xs: number[]) => {
  const s = xs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function realSection(r: RealShapesReport, stages: StageProfile[], command: string): string[] {
  const L: string[] = [];
  const t = realShapesTables(r);
  L.push('## Real shapes: the curated models on XQuAD paragraphs', '');
  L.push(
    `\`${command}\` — random-weight checkpoints with the exact configs of the curated models (bench/lib/real-models.ts, written under bench/out/ as bf16, never committed), their real tokenizers and chat templates, XQuAD prompts at T ≈ 64, 256, 512, 1024 (over all 12 context languages and 240 paragraphs, the one closest to each length; the question in English, or Chinese for an English context). ` +
      `Per model, weight format and runtime two processes hold the model, the engine (app graph) and the plain graph (${'`{ taps: false, knockout: false, logits: last, kvCache: none }`'}, same checkpoint, format and session options), and per prompt the default analysis (analyze(): lens 'auto', knockout and relevance on, generation capped from the gold answer) alternates with one plain forward of the same ids. ` +
      `Node: onnxruntime-web, ${r.threads.node} thread; Chromium: the bench page, ${r.threads.chromium} threads, cross-origin isolated. Times are medians (n shown); "× plain" is the stage's time over the plain forward's. The heap is onnxruntime-web's WebAssembly.Memory, which only grows (prompts run shortest first, so its size after a prompt is the peak up to it).`,
    '',
  );
  L.push(`Load average (1 min) while it ran: ${fmt(r.load.min)} … ${fmt(r.load.max)}, mean ${fmt(r.load.mean)} (${r.load.samples} samples, every 30 s) on 2 cores.`, '');
  L.push('Tokenizers: ' + r.prompts.map((p) => `${p.model}: ${p.tokenizer}`).join('; ') + '.', '');
  L.push(t.prompts, '');
  if (r.prompts.some((p) => p.prompts.some((q) => q.joined))) L.push('Where a prompt names two paragraphs (¶n + ¶n+1), no single XQuAD paragraph came within 10% of the length with that tokenizer: two consecutive paragraphs of the same article are joined, the question and answer from the first.', '');
  L.push('Loading (the engine: read the checkpoint, build the app graph, create the session):', '', t.loads, '');
  L.push('One default analysis against one plain forward of the same prompt:', '', t.cells, '');
  if (t.cpu.split('\n').length > 2) L.push('The same in CPU time (Node: the process\'s own user + system time, which the other processes\' load disturbs far less than wall time; a stage runs from its start to the next one\'s):', '', t.cpu, '');
  for (const p of stages) {
    L.push(`Where the time goes (\`npx tsx bench/stage-profile.ts --model ${realShape(p.model).key} --format ${p.format} --T ${HEADLINE.target}\`): ${p.model} ${p.format}, T=${p.T} (${p.prompt}), onnxruntime's profiler on the engine's own session in Node, kernel time of every session.run summed under the analyze() stage that made it, against one plain forward of the same prompt:`, '');
    L.push(stageProfileTables(p), '');
  }
  for (const n of r.notes) L.push(`Note: ${n}`, '');
  return L;
}
