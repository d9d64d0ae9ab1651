// xlens matrix: EM, F1, target probability and phase depths for every language pair.

import { writeFileSync } from 'node:fs';
import { pairMatrix } from '../../engine/analyses/matrix';
import { CATALOG } from '../../data/catalog';
import { parseArgs } from '../args';
import { loadNodeModel } from '../node-engine';

export const summary = 'run a model over examples for every language pair; --out file.json';

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['model', 'langs', 'context-langs', 'question-langs', 'examples', 'set', 'template', 'depths', 'mrd', 'window', 'out', 'hub']);
  if (!a.model) throw new Error('usage: xlens matrix --model <m> [--langs ar,en,zh | --context-langs .. --question-langs ..] [--set tiny|parallel] [--examples id1,id2] [--depths true] [--mrd true] [--window w] [--out file.json]');
  const langs = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
  const all = langs(a.langs) ?? ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'];
  const cls = langs(a['context-langs']) ?? all;
  const qls = langs(a['question-langs']) ?? all;
  let examples = CATALOG.filter((e) => !a.set || e.set === a.set);
  const ids = langs(a.examples);
  if (ids) {
    const unknown = ids.filter((id) => !CATALOG.some((e) => e.id === id));
    if (unknown.length) throw new Error(`unknown example(s): ${unknown.join(', ')}`);
    examples = CATALOG.filter((e) => ids.includes(e.id));
  }
  const model = await loadNodeModel(a.model, a.hub);
  const total = cls.length * qls.length;
  const result = await pairMatrix(model, examples, cls, qls, {
    template: (a.template as 'plain' | 'chat') ?? 'plain',
    depths: a.depths === 'true' || a.depths === '1',
    mrd: a.mrd === 'true' || a.mrd === '1',
    window: a.window ? Number(a.window) : undefined,
    onCell: (_, done) => process.stderr.write(`\rpairs ${done}/${total}`),
  });
  process.stderr.write('\n');
  const json = JSON.stringify(result);
  if (a.out) writeFileSync(a.out, json + '\n');
  else process.stdout.write(json + '\n');
  await model.dispose();
  return 0;
}
