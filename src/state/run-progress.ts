// Worker messages -> what the progress view shows: the analysis stage with its batch count, or
// the download summed over the files loading in parallel with a rate.
import type { AnalysisStage, WorkerMessage } from '../worker/messages';
import type { ProgressState } from './store-types';

const STAGE_LABELS: Record<AnalysisStage, string> = {
  forward: 'Forward pass (attention, lens at the last position)',
  generate: 'Generating the answer',
  lens: 'Logit lens at every layer',
  knockout: 'Attention knockout sweep',
  relevance: 'Relevance (AttnLRP backward pass)',
};

/** tracks per-file download progress, to show total bytes and a rate */
export class ProgressTracker {
  private files = new Map<string, { loaded: number; total?: number }>();
  private t0 = 0;
  constructor(private readonly now: () => number = () => performance.now()) {}

  update(msg: WorkerMessage): ProgressState | null {
    if (msg.type === 'stage') {
      const label = STAGE_LABELS[msg.stage] + (msg.total ? (msg.stage === 'lens' ? `: ${msg.done} of ${msg.total} layer × position cells` : `: batch ${msg.done} of ${msg.total}`) : '');
      return { phase: 'compute', label, loaded: msg.done ?? 0, total: msg.total, stage: msg.stage };
    }
    if (msg.type === 'status' && msg.status === 'loading') return { phase: 'download', label: msg.message, loaded: 0 };
    if (msg.type !== 'progress') return null;
    const p: ProgressState = { phase: msg.phase, label: msg.label, loaded: msg.loaded, total: msg.total, cached: msg.cached };
    if (msg.phase === 'download') {
      if (this.files.size === 0) this.t0 = this.now();
      this.files.set(msg.label, { loaded: msg.loaded, total: msg.total });
      let bytesLoaded = 0;
      let bytesTotal: number | undefined = 0;
      for (const f of this.files.values()) {
        bytesLoaded += f.loaded;
        bytesTotal = f.total === undefined || bytesTotal === undefined ? undefined : bytesTotal + f.total;
      }
      const secs = (this.now() - this.t0) / 1000;
      Object.assign(p, { bytesLoaded, bytesTotal, files: this.files.size, bytesPerSecond: secs > 0.05 ? bytesLoaded / secs : undefined });
    }
    return p;
  }
}
