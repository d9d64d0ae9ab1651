// A pair matrix's figures from its items: each cell's means and each depth's mean and spread, and the
// whole matrix's. The engine's pair matrix builds its cells here, and so do the tests' generated results.

import type { MatrixCell, MatrixItem, MatrixResult, MeanStd } from '../result';

/** population standard deviation; null when there are no values */
export function meanStd(values: (number | null)[]): MeanStd {
  const v = values.filter((x): x is number => x !== null);
  if (!v.length) return { mean: null, std: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), n: v.length };
}

/** one pair's cell: the means over its items, and each depth's mean and spread */
export function matrixCell(contextLang: string, questionLang: string, items: MatrixItem[]): MatrixCell {
  const avg = (f: (i: MatrixItem) => number) => (items.length ? items.reduce((a, i) => a + f(i), 0) / items.length : 0);
  return {
    contextLang,
    questionLang,
    n: items.length,
    exactMatch: avg((i) => i.exactMatch),
    f1: avg((i) => i.f1),
    targetProb: avg((i) => i.targetProb),
    questionDepth: meanStd(items.map((i) => i.questionDepth)),
    answerDepth: meanStd(items.map((i) => i.answerDepth)),
    questionMrd: meanStd(items.map((i) => i.questionMrd)),
    answerMrd: meanStd(items.map((i) => i.answerMrd)),
    items,
  };
}

/** the whole matrix's figures over every item of every cell */
export function matrixOverall(all: MatrixItem[]): MatrixResult['overall'] {
  return {
    exactMatch: all.length ? all.reduce((a, i) => a + i.exactMatch, 0) / all.length : 0,
    f1: all.length ? all.reduce((a, i) => a + i.f1, 0) / all.length : 0,
    questionDepth: meanStd(all.map((i) => i.questionDepth)),
    answerDepth: meanStd(all.map((i) => i.answerDepth)),
    questionMrd: meanStd(all.map((i) => i.questionMrd)),
    answerMrd: meanStd(all.map((i) => i.answerMrd)),
  };
}
