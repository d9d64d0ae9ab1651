// xlens matrix: EM, F1, target probability and phase depths for every language pair, over
// the tiny set, the parallel set or a reproducible sample of XQuAD.

import { writeFileSync } from 'node:fs';
import { pairMatrix, type MatrixExample } from '../../engine/analyses/matrix';
import { CATALOG } from '../../data/catalog';
import { LANGUAGES } from '../../data/languages';
import { isXquadExampleId, sampleIds } from '../../data/xquad';
import { UsageError, type Args } from '../args';
import { xquadMatrixExamples, xquadSet } from '../examples';
import { DEFAULT_MODEL, loadNodeModel, weightChoice } from '../node-engine';
import { out } from '../output';

/** XQuAD sample size when --count is not given: a full 12 x 12 matrix of 1,190 items would take days */
export const XQUAD_DEFAULT_COUNT = 5;

export async function run(a: Args): Promise<number> {
  const all = a.langs('langs') ?? [...LANGUAGES];
  const cls = a.langs('context-langs') ?? all;
  const qls = a.langs('question-langs') ?? all;
  const set = a.oneOf('set', ['tiny', 'parallel', 'xquad'] as const, 'tiny');
  const count = a.int('count', 1);
  const seed = a.int('seed', 0, 2 ** 32 - 1) ?? 0;
  const template = a.oneOf('template', ['plain', 'chat'] as const, 'plain');
  const window = a.int('window', 1, 1000);
  const weights = weightChoice(a.str('weights'));
  const maxNewTokens = a.int('max-new-tokens', 1, 256);
  if (a.str('seed') !== undefined && set !== 'xquad') throw new UsageError('--seed chooses the XQuAD sample; use it with --set xquad');
  const ids = a.list('examples');
  const langs = [...new Set([...cls, ...qls])];
  let examples: MatrixExample[];
  if (ids) {
    if (a.str('set') !== undefined || count !== undefined) throw new UsageError('--examples names the examples itself; leave out --set and --count');
    const xq = ids.filter(isXquadExampleId);
    const unknown = ids.filter((id) => !isXquadExampleId(id) && !CATALOG.some((e) => e.id === id));
    if (unknown.length) throw new UsageError(`--examples takes example ids (such as tiny-01 or xquad-<question id>); unknown: ${unknown.join(', ')}`);
    const missing = xq.filter((id) => !xquadSet('en').get(id));
    if (missing.length) throw new UsageError(`--examples: no XQuAD item ${missing.join(', ')}`);
    const fromXquad = new Map(xquadMatrixExamples(xq, langs).map((e) => [e.id, e]));
    examples = ids.map((id) => fromXquad.get(id) ?? CATALOG.find((e) => e.id === id)!);
  } else if (set === 'xquad') {
    const chosen = sampleIds(xquadSet('en').ids, count ?? XQUAD_DEFAULT_COUNT, seed);
    examples = xquadMatrixExamples(chosen, langs);
  } else {
    examples = CATALOG.filter((e) => e.set === set).slice(0, count ?? Infinity);
  }
  const model = await loadNodeModel(a.str('model') ?? DEFAULT_MODEL, a.str('hub'), weights);
  const total = cls.length * qls.length;
  process.stderr.write(`${examples.length} examples × ${total} pairs on ${model.id}\n`);
  const result = await pairMatrix(model, examples, cls, qls, {
    template,
    depths: a.bool('depths'),
    mrd: a.bool('mrd'),
    window,
    maxNewTokens,
    onCell: (_, done) => process.stderr.write(`\rpairs ${done}/${total}`),
  });
  process.stderr.write('\n');
  const skipped = result.cells.reduce((n, c) => n + (c.skippedTooLong?.length ?? 0), 0);
  if (skipped) process.stderr.write(`${skipped} of ${examples.length * total} analyses skipped: the prompt is longer than ${model.id} accepts (listed per cell as skippedTooLong)\n`);
  const json = JSON.stringify(result);
  const file = a.str('out');
  if (file) writeFileSync(file, json + '\n');
  else await out(json + '\n');
  await model.dispose();
  return 0;
}
