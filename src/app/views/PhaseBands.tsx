// Phase-band key: what the marked layers on the heatmaps mean (the bands themselves are drawn
// by every heatmap from the result's phase depths; see src/viz/phase-bands).
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { bandsExplanation, phaseBands } from '../../viz/phase-bands/data';
import './views.css';

export function PhaseBands({ result }: { result: AnalysisResult }) {
  const bands = useMemo(() => phaseBands(result), [result]);
  if (!bands.length) return null;
  return (
    <div className="xv-bands" data-testid="phase-bands" aria-label="Phase bands">
      <ul className="xv-key" style={{ listStyle: 'none', paddingLeft: 0 }}>
        {bands.map((b) => (
          <li key={`${b.kind}-${b.source}`} data-band={`${b.kind}-${b.source}`} data-layer={b.layer} title={b.text}>
            <span
              aria-hidden="true"
              style={{ display: 'inline-block', width: 22, height: 10, border: `2px ${b.dashed ? 'dashed' : 'solid'} ${b.colour}`, marginRight: 5, verticalAlign: -1 }}
            />
            <strong style={{ color: b.colour }}>{b.tag}</strong> layer {b.layer}
          </li>
        ))}
      </ul>
      <p className="xv-caption">{bandsExplanation(bands)}</p>
    </div>
  );
}
