// MRD chart: cumulative relevance of each prompt part by depth, with its Major Relevance Depth.
import { useEffect, useMemo, useRef } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { mrdChartData } from '../../viz/mrd-chart/data';
import { drawMrdChart } from '../../viz/mrd-chart/draw';
import { useWidth } from './useWidth';
import './views.css';

export function MrdChart({ result }: { result: AnalysisResult }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useWidth(wrapRef, 560);
  const data = useMemo(() => mrdChartData(result), [result]);
  useEffect(() => {
    if (svgRef.current && data) drawMrdChart(svgRef.current, data, width);
  }, [data, width]);
  if (!data) return <p className="xv-empty" data-testid="mrd-chart">No relevance in this result.</p>;
  return (
    <figure className="xv-figure" aria-label="Major Relevance Depth">
      <div className="xv-scroll" ref={wrapRef}>
        <div className="xv-chart" data-testid="mrd-chart" role="img" aria-label={data.summary} tabIndex={0}>
          <svg ref={svgRef} />
        </div>
      </div>
      <figcaption className="xv-caption">
        Each line adds up, layer by layer, how much a part of the prompt contributes to the answer. Where it crosses 95% is that part's Major Relevance Depth: a
        shallow depth means the model is done with that part early.
      </figcaption>
    </figure>
  );
}
