// The analysis input of one example for one language pair: the context and its answer in the
// context language, the question in the question language. The page, the CLI and the pair matrix
// all build their inputs here, so an example analysed in any of them is the same input.

import type { ResultInput } from './result';
import type { TemplateKind } from './text/prompt';

/** an example's text for one pair; `answerStart` where the data locates the answer (XQuAD) */
export interface PairText {
  context: string;
  question: string;
  answer: string;
  answerStart?: number;
}

export function exampleInput(exampleId: string, contextLang: string, questionLang: string, t: PairText, template: TemplateKind): ResultInput {
  return {
    contextLang,
    questionLang,
    exampleId,
    context: t.context,
    question: t.question,
    answer: t.answer,
    ...(t.answerStart !== undefined ? { answerStart: t.answerStart } : {}),
    template,
  };
}
