// xlens dump: raw fp32 outputs of the forward graph, for reference checks.

import { parseArgs } from '../args';
import { loadNodeModel } from '../node-engine';

export const summary = 'print logits [T][V], hidden [L+1][T][d] and attention [L][H][T][T] as JSON';

function rows(a: Float32Array, ...dims: number[]): unknown {
  if (dims.length === 1) return Array.from(a);
  const n = dims.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: dims[0] }, (_, i) => rows(a.subarray(i * n, (i + 1) * n), ...dims.slice(1)));
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['model', 'ids', 'hub']);
  if (!a.model || !a.ids) throw new Error('usage: xlens dump --model <folder|repo id> --ids 1,2,3');
  const ids = a.ids.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`--ids: "${s}" is not a token id`);
    return n;
  });
  const model = await loadNodeModel(a.model, a.hub);
  const bad = ids.find((i) => i >= model.spec.vocabSize);
  if (bad !== undefined) throw new Error(`--ids: ${bad} is outside the vocabulary (size ${model.spec.vocabSize})`);
  const r = await model.forward(ids, { allLogits: true, attention: 'all' });
  const out = {
    logits: rows(r.logits, r.T, r.V),
    hidden: r.hidden.map((h) => rows(h, r.T, r.d)),
    attention: r.attention.map((x) => rows(x, r.H, r.T, r.T)),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  await model.dispose();
  return 0;
}
