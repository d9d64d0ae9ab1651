import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './run-progress';

describe('ProgressTracker', () => {
  it('sums download bytes over files with a rate', () => {
    let t = 0;
    const p = new ProgressTracker(() => t);
    p.update({ type: 'progress', requestId: 1, phase: 'download', label: 'config.json', loaded: 100, total: 100 });
    t = 1000;
    const s = p.update({ type: 'progress', requestId: 1, phase: 'download', label: 'model.safetensors', loaded: 900, total: 1900 })!;
    expect(s).toMatchObject({ bytesLoaded: 1000, bytesTotal: 2000, bytesPerSecond: 1000 });
    expect(p.update({ type: 'stage', requestId: 1, stage: 'knockout', done: 2, total: 5 })).toMatchObject({ phase: 'compute', label: expect.stringContaining('batch 2 of 5') });
  });
});
