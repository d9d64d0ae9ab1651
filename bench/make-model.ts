// Writes random-weight Llama checkpoints (HF layout, fp32) into bench/out/ for the benches.
//   npx tsx bench/make-model.ts                      the "100M" model (12 layers, d=768, vocab 32000)
//   npx tsx bench/make-model.ts --preset tiny        the app's tiny shape (4 layers, d=128)
//   npx tsx bench/make-model.ts --layers 8 --d 256 --heads 4 --intermediate 768 --vocab 8000 --out bench/out/custom
import { join } from 'node:path';
import { PRESET_100M, PRESET_TINY, paramCount, type RandomLlamaConfig, writeRandomLlama } from './lib/random-model';
import { argNum, parseArgs } from './lib/stats';

const a = parseArgs();
const preset = a.values.get('preset') ?? '100m';
const base: RandomLlamaConfig = preset === 'tiny' ? PRESET_TINY : PRESET_100M;
const cfg: RandomLlamaConfig = {
  layers: argNum(a, 'layers', base.layers),
  d: argNum(a, 'd', base.d),
  heads: argNum(a, 'heads', base.heads),
  intermediate: argNum(a, 'intermediate', base.intermediate),
  vocab: argNum(a, 'vocab', base.vocab),
  maxPositions: argNum(a, 'max-positions', base.maxPositions),
  tied: a.flags.has('tied') ? true : base.tied,
  seed: argNum(a, 'seed', 1),
};
const custom = ['layers', 'd', 'heads', 'intermediate', 'vocab'].some((k) => a.values.has(k));
const out = a.values.get('out') ?? join('bench/out', custom ? `llama-${cfg.layers}l-${cfg.d}d` : preset === 'tiny' ? 'tiny-random' : 'llama-100m');
const t0 = performance.now();
const r = writeRandomLlama(out, cfg);
console.log(
  `${r.written ? 'wrote' : 'up to date:'} ${out}: ${(paramCount(cfg) / 1e6).toFixed(1)}M parameters, ${(r.bytes / 2 ** 20).toFixed(0)} MiB fp32, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
