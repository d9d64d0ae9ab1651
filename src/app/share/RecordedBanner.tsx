// Read-only banner for a page opened from a permalink with embedded results: who computed them,
// and one button to compute them again live. All text is rendered as text.
import type { Recorded } from '../../state/permalink';
import { recordedText } from './share-logic';
import './share.css';

export interface RecordedBannerProps {
  recorded: Recorded;
  /** load the model and run the analysis live (replaces the recorded result) */
  onRerun(): void;
  /** a live run is in progress */
  busy?: boolean;
}

export function RecordedBanner({ recorded, onRerun, busy = false }: RecordedBannerProps) {
  return (
    <div className="alert notice recorded-banner" role="status" data-testid="recorded-banner">
      <p>
        <strong>Recorded result (read-only).</strong> <span data-testid="recorded-text">{recordedText(recorded)}</span> No model was downloaded to show it.
      </p>
      <div>
        <button type="button" className="primary" onClick={onRerun} disabled={busy} data-testid="recorded-rerun">
          {busy ? 'Running…' : 'Re-run live'}
        </button>
      </div>
    </div>
  );
}
