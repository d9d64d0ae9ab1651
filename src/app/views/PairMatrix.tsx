// Pair matrix: context language x question language, one metric; click (or Enter) opens a pair.
import { useEffect, useMemo, useRef } from 'react';
import { isLangCode, LANGUAGE_INFO } from '../../data/languages';
import type { MatrixResult } from '../../engine/result';
import { pairMatrixData, type PairMetric } from '../../viz/pair-matrix/data';
import { drawPairMatrix } from '../../viz/pair-matrix/draw';
import { attachMatrixHover } from '../../viz/pair-matrix/hover';
import { useWidth } from './useWidth';
import './views.css';

export interface PairMatrixProps {
  matrix: MatrixResult;
  metric: PairMetric;
  onOpenCell(contextLang: string, questionLang: string): void;
}

export const langName = (c: string) => (isLangCode(c) ? LANGUAGE_INFO[c].name : c);

export function PairMatrix({ matrix, metric, onOpenCell }: PairMatrixProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const cb = useRef(onOpenCell);
  cb.current = onOpenCell;
  const width = useWidth(wrapRef, 640);
  const data = useMemo(() => pairMatrixData(matrix, metric, langName), [matrix, metric]);

  useEffect(() => {
    const root = rootRef.current;
    const svg = svgRef.current;
    const tip = tipRef.current;
    if (!root || !svg || !tip) return;
    drawPairMatrix(svg, data, Math.min(width, 900), langName);
    return attachMatrixHover(root, svg, tip, data, (cl, ql) => cb.current(cl, ql));
  }, [data, width]);

  return (
    <figure className="xv-figure" aria-label="Pair matrix">
      <div className="xv-scroll" ref={wrapRef}>
        <div
          ref={rootRef}
          className="xv-matrix"
          data-testid="pair-matrix"
          data-rows={data.rows.length}
          data-cols={data.cols.length}
          data-complete={data.complete ? 'true' : 'false'}
          role="group"
          aria-label={data.summary}
        >
          <svg ref={svgRef} />
          <div className="tooltip" ref={tipRef} hidden aria-live="polite" />
        </div>
      </div>
      <figcaption className="xv-caption">
        Rows: the language of the context; columns: the language of the question. Depths are layer numbers: small = early in the model. The spread (±) over
        examples is the phasing stability.
      </figcaption>
    </figure>
  );
}
