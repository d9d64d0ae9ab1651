// xlens analyze: one full analysis, printed as the versioned result JSON (docs/result-schema.md).

import { analyze } from '../../engine/analyses/analyze';
import type { ResultInput } from '../../engine/result';
import { parseArgs } from '../args';
import { loadNodeModel } from '../node-engine';

export const summary = 'run one analysis (example or free text) and print the result JSON';

const USAGE = `usage: xlens analyze --model <folder|repo> (--example <id> --context-lang <l> --question-lang <l> | --context <text> --question <text> --answer <text>) [--template plain|chat] [--hub <url>]`;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['model', 'example', 'context-lang', 'question-lang', 'context', 'question', 'answer', 'template', 'hub', 'max-new-tokens']);
  if (!a.model) throw new Error(USAGE);
  const template = (a.template ?? 'plain') as 'plain' | 'chat';
  if (template !== 'plain' && template !== 'chat') throw new Error('--template must be plain or chat');
  let input: ResultInput;
  if (a.example) {
    const cl = a['context-lang'];
    const ql = a['question-lang'];
    if (!cl || !ql) throw new Error(`--example needs --context-lang and --question-lang\n${USAGE}`);
    const { findExample } = await import('../../data/catalog');
    const ex = findExample(a.example);
    if (!ex) throw new Error(`unknown example "${a.example}"`);
    const c = ex.langs[cl];
    const q = ex.langs[ql];
    if (!c || !q) throw new Error(`example ${a.example} has no ${!c ? cl : ql} version`);
    input = { contextLang: cl, questionLang: ql, exampleId: ex.id, context: c.context, question: q.question, answer: c.answer, template };
  } else {
    if (!a.context || !a.question || !a.answer) throw new Error(USAGE);
    input = {
      contextLang: a['context-lang'] ?? null,
      questionLang: a['question-lang'] ?? null,
      exampleId: null,
      context: a.context,
      question: a.question,
      answer: a.answer,
      template,
    };
  }
  const model = await loadNodeModel(a.model, a.hub);
  const result = await analyze(model, input, { maxNewTokens: a['max-new-tokens'] ? Number(a['max-new-tokens']) : undefined });
  process.stdout.write(JSON.stringify(result) + '\n');
  await model.dispose();
  return 0;
}
