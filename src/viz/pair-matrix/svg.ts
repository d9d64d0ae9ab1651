// SVG export of the pair matrix (tooltips kept as <title>s).
import type { MatrixResult } from '../../engine/result';
import { svgDocument } from '../common/svg';
import { pairMatrixData, type PairMetric } from './data';
import { layoutMatrix, matrixScene } from './draw';

export function renderSVG(matrix: MatrixResult, metric: PairMetric = 'exactMatch', opts: { width?: number; langName?: (c: string) => string } = {}): string {
  const d = pairMatrixData(matrix, metric, opts.langName);
  const l = layoutMatrix(d, opts.width ?? 760);
  return svgDocument(l.width, l.height, matrixScene(d, l, { interactive: false, langName: opts.langName }), d.summary);
}
