// What the logit-lens grid covers: by default the positions that carry the phases (the question, the
// answer span, the template after the question, the last position); the other context positions
// are computed on demand (they are most of the lens's cost on a real model and vocabulary).
import type { AnalysisResult } from '../../engine/result';
import { lensCoverageNote } from '../../viz/lens-grid/data';

export interface LensCoverageProps {
  result: AnalysisResult;
  /** whether the worker can fill the rest now (a live, current result that nothing else is computing) */
  canComplete: boolean;
  onComplete(): void;
}

export function LensCoverage({ result, canComplete, onComplete }: LensCoverageProps) {
  const note = lensCoverageNote(result);
  if (!note) return null;
  const computing = result.pending?.includes('lens') ?? false;
  return (
    <p className="hint lens-coverage" role="status" data-testid="lens-coverage" data-coverage={result.lens.coverage ?? 'all'} data-computing={computing ? '1' : '0'}>
      {note}{' '}
      {!computing && result.lens.coverage !== 'all' && canComplete && (
        <button type="button" className="link" onClick={onComplete} data-testid="lens-complete">
          Compute the lens at every position
        </button>
      )}
    </p>
  );
}
