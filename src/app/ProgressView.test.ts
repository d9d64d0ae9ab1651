// The progress line pairs a file's name only with that file's bytes; parallel downloads are summed.
import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../state/store';
import { describeProgress } from './ProgressView';

describe('download progress', () => {
  it('one file: its name with its own bytes', () => {
    const t = new ProgressTracker(() => 0);
    const p = t.update({ type: 'progress', requestId: 1, phase: 'download', label: 'config.json', loaded: 512, total: 1024 })!;
    expect(describeProgress(p).text).toBe('Downloading config.json: 512 B of 1.0 KB');
  });

  it('parallel files: the sums, never one file\'s name next to the total of another', () => {
    let now = 0;
    const t = new ProgressTracker(() => now);
    t.update({ type: 'progress', requestId: 1, phase: 'download', label: 'tokenizer.json', loaded: 700, total: 2048 });
    now = 1000;
    const p = t.update({ type: 'progress', requestId: 1, phase: 'download', label: 'tokenizer_config.json', loaded: 964, total: 964 })!;
    const d = describeProgress(p);
    expect(d.text).toBe('Downloading 2 files: 1.6 KB of 2.9 KB · 1.6 KB/s (latest: tokenizer_config.json)');
    expect(d).toMatchObject({ value: 1664, max: 3012 });
    // a file of unknown size: no total is claimed
    const u = t.update({ type: 'progress', requestId: 1, phase: 'download', label: 'model.safetensors', loaded: 100 })!;
    expect(describeProgress(u).text).toMatch(/^Downloading 3 files: 1\.7 KB so far/);
    expect(describeProgress(u).max).toBeUndefined();
  });
});
