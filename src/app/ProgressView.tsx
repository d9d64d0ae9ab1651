import { useAppStore, type ProgressState } from '../state/store';

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

function describe(p: ProgressState): { text: string; value?: number; max?: number } {
  if (p.phase === 'download') {
    const loaded = p.bytesLoaded ?? p.loaded;
    const total = p.bytesTotal ?? p.total;
    const rate = p.bytesPerSecond ? ` · ${bytes(p.bytesPerSecond)}/s` : '';
    const of = total ? ` of ${bytes(total)}` : '';
    return { text: `${PHASE_LABELS.download} ${p.label}: ${bytes(loaded)}${of}${rate}${p.cached ? ' (cached)' : ''}`, value: loaded, max: total || undefined };
  }
  return { text: `${PHASE_LABELS[p.phase]}: ${p.label}`, value: p.total ? p.loaded : undefined, max: p.total };
}

export function ProgressView() {
  const status = useAppStore((s) => s.status);
  const statusText = useAppStore((s) => s.statusText);
  const progress = useAppStore((s) => s.progress);
  const busy = status === 'loading' || status === 'running';
  if (!busy) return <span className="status" role="status" aria-live="polite">{statusText}</span>;
  const d = progress ? describe(progress) : { text: statusText || 'Working…' };
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="progress">
      <progress value={d.value} max={d.max} aria-label={d.text} />
      <span className="progress-text">{d.text}</span>
    </div>
  );
}
