// Progress of one engine slot: download (bytes and rate), graph build, session, compute
// stages (incl. knockout batches), with a Cancel button.
import type { ProgressState, Status } from '../state/store';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const PHASE_LABELS: Record<ProgressState['phase'], string> = {
  download: 'Downloading',
  build: 'Building the graph',
  session: 'Creating the session',
  compute: 'Computing',
};

export function describeProgress(p: ProgressState): { text: string; value?: number; max?: number } {
  if (p.phase === 'download') {
    const files = p.files ?? 1;
    if (files <= 1) {
      // one file: its own bytes
      const loaded = p.bytesLoaded ?? p.loaded;
      const total = p.bytesTotal ?? p.total;
      if (!loaded && !total) return { text: `${PHASE_LABELS.download}: ${p.label}` };
      const rate = p.bytesPerSecond ? ` · ${bytes(p.bytesPerSecond)}/s` : '';
      const of = total ? ` of ${bytes(total)}` : '';
      return { text: `${PHASE_LABELS.download} ${p.label}: ${bytes(loaded)}${of}${rate}${p.cached ? ' (cached)' : ''}`, value: loaded, max: total || undefined };
    }
    // parallel files: the sums over all of them, never one file's name next to another's bytes
    const loaded = p.bytesLoaded ?? 0;
    const total = p.bytesTotal;
    const rate = p.bytesPerSecond ? ` · ${bytes(p.bytesPerSecond)}/s` : '';
    const amount = total ? `${bytes(loaded)} of ${bytes(total)}` : `${bytes(loaded)} so far`;
    return { text: `${PHASE_LABELS.download} ${files} files: ${amount}${rate} (latest: ${p.label}${p.cached ? ', cached' : ''})`, value: loaded, max: total || undefined };
  }
  return { text: `${PHASE_LABELS[p.phase]}: ${p.label}`, value: p.total ? p.loaded : undefined, max: p.total };
}

export function ProgressView({ status, progress, onCancel, what, testId = 'progress' }: { status: Status; progress: ProgressState | null; onCancel: () => void; what: string; testId?: string }) {
  const busy = status === 'loading' || status === 'running';
  if (!busy) {
    const text = status === 'cancelled' ? `${what}: cancelled.` : '';
    return (
      <span className="status" role="status" aria-live="polite" data-testid={`${testId}-status`} data-status={status}>
        {text}
      </span>
    );
  }
  const d = progress ? describeProgress(progress) : { text: status === 'loading' ? 'Loading the model…' : 'Starting…' };
  return (
    <div className="progress" role="status" aria-live="polite" data-testid={testId} data-phase={progress?.phase ?? ''}>
      <progress value={d.value} max={d.max} aria-label={`${what}: ${d.text}`} />
      <span className="progress-text">{d.text}</span>
      <button type="button" onClick={onCancel} data-testid={`${testId}-cancel`}>
        Cancel
      </button>
    </div>
  );
}
