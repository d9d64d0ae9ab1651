// Phase summary: where the answer appears and where the question and answer are read, in words.
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { phaseSummary } from '../../viz/phase-summary/data';
import './views.css';

export function PhaseSummary({ result }: { result: AnalysisResult }) {
  const sentences = useMemo(() => phaseSummary(result), [result]);
  return (
    <section className="xv-phases" data-testid="phase-summary" aria-label="Phase summary">
      <ul>
        {sentences.map((s) => (
          <li key={s.key} data-key={s.key}>
            {s.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
