// Per-op profile of native runs (onnxruntime-node `enableProfiling`, median of 3 runs per op
// group): the measured answer to "where does the time go". Gemms whose output has the vocabulary as last dim are put in
// their own group (the lens / logits projections), apart from the layers' Gemms.
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { nativeSession } from './native';
import type { AppFeedSpec } from '../../src/engine/graph/app-io';
import type { IoShape } from './graph-io';

export interface OpProfile {
  totalMs: number;
  /** profiled runs behind the medians */
  runs?: number;
  groups: { name: string; ms: number; share: number; count: number }[];
}

export interface ProfEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; output_type_shape?: Record<string, number[]>[] };
}

export function groupProfile(events: ProfEvent[], vocab: number): OpProfile {
  const groups = new Map<string, { ms: number; count: number }>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    let op = e.args?.op_name ?? 'unknown';
    const outShape = Object.values(e.args?.output_type_shape?.[0] ?? {})[0];
    if ((op === 'Gemm' || op === 'MatMul' || op === 'FusedGemm' || op === 'FusedMatMul') && outShape && outShape[outShape.length - 1] === vocab) op = `${op} (vocab projection)`;
    const g = groups.get(op) ?? { ms: 0, count: 0 };
    g.ms += e.dur / 1000;
    g.count++;
    groups.set(op, g);
    total += e.dur / 1000;
  }
  return {
    totalMs: total,
    groups: [...groups.entries()].map(([name, g]) => ({ name, ms: g.ms, count: g.count, share: g.ms / total })).sort((a, b) => b.ms - a.ms),
  };
}

/** one warm-up run, then `runs` profiled runs; per op group, the median over the runs */
export async function profileNative(bytes: Uint8Array, shape: IoShape, feed: AppFeedSpec, fetches: string[], vocab: number, runs = 3): Promise<OpProfile> {
  const dir = join('bench/out/profiles', `p${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const s = await nativeSession(bytes, undefined, join(dir, 'ort'));
  for (let r = 0; r <= runs; r++) await s.run(shape, feed, fetches);
  s.endProfiling();
  await s.release();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (!files.length) throw new Error(`onnxruntime wrote no profile in ${dir}`);
  const events = JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as ProfEvent[];
  rmSync(dir, { recursive: true, force: true });
  return profileFromEvents(events, vocab);
}

/** onnxruntime-web prints its profile to the console, one JSON event per line */
export function parseProfileLines(lines: string[]): ProfEvent[] {
  const out: ProfEvent[] = [];
  for (const l of lines) {
    const t = l.trim().replace(/,$/, '');
    if (!t.startsWith('{')) continue;
    try {
      out.push(JSON.parse(t));
    } catch {
      /* a partial line */
    }
  }
  return out;
}

export function profileFromEvents(events: ProfEvent[], vocab: number): OpProfile {
  // split by run (model_run events mark them), drop the warm-up, take medians per group
  const marks = (events.filter((e) => e.cat === 'Session' && e.name === 'model_run') as (ProfEvent & { ts: number })[]).map((e) => e.ts).sort((a, b) => a - b);
  const per: OpProfile[] = [];
  for (let i = 1; i < marks.length; i++) {
    const lo = marks[i];
    const hi = i + 1 < marks.length ? marks[i + 1] : Infinity;
    per.push(groupProfile(events.filter((e) => (e as ProfEvent & { ts: number }).ts >= lo && (e as ProfEvent & { ts: number }).ts < hi), vocab));
  }
  if (!per.length) return groupProfile(events, vocab);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const names = new Set(per.flatMap((p) => p.groups.map((g) => g.name)));
  const groups = [...names].map((name) => {
    const gs = per.map((p) => p.groups.find((g) => g.name === name));
    return { name, ms: med(gs.map((g) => g?.ms ?? 0)), count: gs.find((g) => g)?.count ?? 0, share: 0 };
  });
  const totalMs = groups.reduce((a, g) => a + g.ms, 0);
  for (const g of groups) g.share = g.ms / totalMs;
  return { totalMs, runs: per.length, groups: groups.sort((a, b) => b.ms - a.ms) };
}
