// xlens analyze: one full analysis, printed as the versioned result JSON (docs/result-schema.md),
// with knockout, relevance and the phase depths on by default (as in the app), and a short
// summary of them on stderr.

import { analyze } from '../../engine/analyses/analyze';
import type { AnalysisResult, ResultInput } from '../../engine/result';
import { UsageError, type Args } from '../args';
import { exampleText } from '../examples';
import { DEFAULT_MODEL, loadNodeModel, weightChoice } from '../node-engine';
import { out } from '../output';
import { exampleInput } from '../../engine/example-input';

const layer = (l: number | null | undefined) => (l === null || l === undefined ? 'none' : `layer ${l}`);

/** what a reader wants from the JSON: the answer, the phases, the knockout and relevance peaks */
export function summaryText(r: AnalysisResult): string {
  const L = r.model.numLayers;
  const lines = [
    `${r.model.id} (${L} layers), ${r.input.contextLang ?? '?'} context, ${r.input.questionLang ?? '?'} question, ${r.prompt.tokens.length} prompt tokens`,
    r.generation ? `answer: "${r.generation.answer}" (gold "${r.input.answer}") EM ${r.generation.exactMatch} F1 ${(100 * r.generation.f1).toFixed(0)}%` : 'answer: not generated',
    `target "${r.prompt.target.text}": top-1 at the last position from ${r.summary.answerTopLayer === null ? 'no layer' : layer(r.summary.answerTopLayer)}`,
  ];
  if (r.knockout) {
    const k = r.knockout;
    const worst = (set: string) => {
      const e = k.effect[set] ?? [];
      let best = -1;
      e.forEach((v, i) => {
        if (v !== null && (best < 0 || v < (e[best] as number))) best = i;
      });
      return best < 0 ? 'no tokens' : `${(e[best] as number).toFixed(0)}% at layer ${best + 1}`;
    };
    lines.push(`knockout (window ${k.window}, p = ${k.baseProb.toPrecision(3)}): largest drop blocking the question ${worst('question')}, the answer span ${worst('answer')}, the context ${worst('context')}`);
  }
  if (r.relevance) {
    const m = r.relevance.mrd;
    lines.push(`relevance (AttnLRP, logit ${r.relevance.targetLogit.toFixed(3)}): Major Relevance Depth question ${layer(m.question)}, answer span ${layer(m.answer)}, context ${layer(m.context)}`);
  }
  if (r.phases) {
    const p = r.phases;
    // each method's depth only where that analysis ran
    const both = (ko: number | null, mrd: number | null) => [r.knockout ? `${layer(ko)} (knockout)` : '', r.relevance ? `${layer(mrd)} (MRD)` : ''].filter(Boolean).join(' / ');
    lines.push(`phases: question encoding ${both(p.questionEncodingKnockout, p.questionEncodingMrd)}; answer retrieval ${both(p.answerRetrievalKnockout, p.answerRetrievalMrd)}`);
  }
  return lines.join('\n') + '\n';
}

export async function run(a: Args): Promise<number> {
  const template = a.oneOf('template', ['plain', 'chat'] as const, 'plain');
  const weights = weightChoice(a.str('weights'));
  const window = a.int('window', 1, 1000);
  const maxNewTokens = a.int('max-new-tokens', 1, 256);
  const knockout = a.bool('knockout');
  const relevance = a.bool('relevance');
  const lens = a.oneOf('lens', ['auto', 'phases', 'all'] as const, 'auto');
  if (window !== undefined && !knockout) throw new UsageError('--window sets the knockout window; it has no effect with --no-knockout');
  let input: ResultInput;
  const example = a.str('example');
  if (example) {
    if (a.str('context') || a.str('question') || a.str('answer')) throw new UsageError('give either --example or --context/--question/--answer, not both');
    const cl = a.lang('context-lang', 'en')!;
    const ql = a.lang('question-lang', 'en')!;
    input = exampleInput(example, cl, ql, exampleText(example, cl, ql), template);
  } else {
    const context = a.str('context');
    const question = a.str('question');
    const answer = a.str('answer');
    if (!context || !question || !answer) throw new UsageError('give --example <id>, or all of --context, --question and --answer (see: xlens analyze --help)');
    input = { contextLang: a.lang('context-lang') ?? null, questionLang: a.lang('question-lang') ?? null, exampleId: null, context, question, answer, template };
  }
  const model = await loadNodeModel(a.str('model') ?? DEFAULT_MODEL, a.str('hub'), weights);
  const result = await analyze(model, input, { maxNewTokens, lens, knockout: knockout ? (window ? { window } : true) : false, relevance });
  await out(JSON.stringify(result) + '\n');
  if (!a.bool('quiet')) process.stderr.write(summaryText(result));
  await model.dispose();
  return 0;
}
