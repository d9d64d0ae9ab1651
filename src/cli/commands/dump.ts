// xlens dump: raw fp32 outputs of the forward graph, for reference checks.

import { UsageError, type Args } from '../args';
import { DEFAULT_MODEL, loadNodeModel } from '../node-engine';
import { out } from '../output';

function rows(a: Float32Array, ...dims: number[]): unknown {
  if (dims.length === 1) return Array.from(a);
  const n = dims.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: dims[0] }, (_, i) => rows(a.subarray(i * n, (i + 1) * n), ...dims.slice(1)));
}

export async function run(a: Args): Promise<number> {
  const ids = a.need('ids').split(',').map((s) => {
    const n = Number(s.trim());
    if (!s.trim() || !Number.isInteger(n) || n < 0) throw new UsageError(`--ids: "${s}" is not a token id (a whole number ≥ 0)`);
    return n;
  });
  const model = await loadNodeModel(a.str('model') ?? DEFAULT_MODEL, a.str('hub'));
  const bad = ids.find((i) => i >= model.spec.vocabSize);
  if (bad !== undefined) throw new UsageError(`--ids: ${bad} is outside the vocabulary (size ${model.spec.vocabSize})`);
  const r = await model.forward(ids, { allLogits: true, attention: 'all' });
  const result = {
    logits: rows(r.logits, r.T, r.V),
    hidden: r.hidden.map((h) => rows(h, r.T, r.d)),
    attention: r.attention.map((x) => rows(x, r.H, r.T, r.T)),
  };
  await out(JSON.stringify(result) + '\n');
  await model.dispose();
  return 0;
}
