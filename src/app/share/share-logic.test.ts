import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, MatrixResult } from '../../engine/result';
import { defaultPageState, parsePageState } from '../../state/page-state';
import { formatSize, modelRefFromId, recordedText, stateForResult } from './share-logic';

const analysis = (): AnalysisResult => JSON.parse(readFileSync('fixtures/results/analysis-qwen2-bias.json', 'utf8'));
const matrix = (): MatrixResult => JSON.parse(readFileSync('fixtures/results/matrix-qwen2-bias.json', 'utf8'));

describe('share logic', () => {
  it('maps model ids to model refs', () => {
    expect(modelRefFromId('http://127.0.0.1:4173/models/xlens-tiny-base')).toEqual({ kind: 'bundled', name: 'xlens-tiny-base' });
    expect(modelRefFromId('/models/xlens-tiny-instruct/')).toEqual({ kind: 'bundled', name: 'xlens-tiny-instruct' });
    expect(modelRefFromId('Qwen/Qwen2.5-0.5B')).toEqual({ kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B' });
    expect(modelRefFromId('Qwen/Qwen2.5-0.5B@abc123')).toEqual({ kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B', revision: 'abc123' });
    expect(modelRefFromId('fixtures/models/qwen2-bias-bf16')).toBeNull();
    expect(modelRefFromId('javascript:alert(1)')).toBeNull();
    expect(modelRefFromId('http://x/models/../etc')).toBeNull();
  });

  it('derives a valid page from an analysis (custom text) and a matrix', () => {
    const a = analysis();
    const s = stateForResult(defaultPageState(), a);
    expect(parsePageState(s).errors).toEqual([]);
    expect(s.custom).toEqual({ context: a.input.context, question: a.input.question, answer: a.input.answer });
    expect(s.model).toEqual(defaultPageState().model);
    const m = stateForResult(defaultPageState(), matrix());
    expect(m.tab).toBe('matrix');
    expect(m.matrix).toEqual({ contextLangs: ['ar', 'en', 'zh'], questionLangs: ['ar', 'en', 'zh'], depths: true });
  });

  it('formats sizes and the recorded note as plain text', () => {
    expect(formatSize(500)).toBe('500 B');
    expect(formatSize(12800)).toBe('12.5 KB');
    expect(recordedText({ model: '<b>x</b>', backend: 'webgpu', date: '2025-11-06T10:20:30Z' })).toBe('Recorded with model \u2068<b>x</b>\u2069 on backend WebGPU, 2025-11-06 10:20 UTC.');
    // a bundled model by its name, not by the address it was served from
    expect(recordedText({ model: 'http://localhost:5173/models/xlens-tiny-instruct', backend: 'wasm', date: '2025-11-06T10:20:30Z' })).toBe('Recorded with model \u2068xlens-tiny-instruct\u2069 on backend WASM, 2025-11-06 10:20 UTC.');
    // a right-to-left override in a model id is shown, not obeyed, and cannot leak past the name
    const spoof = recordedText({ model: 'owner/\u202Eledom-laiciffo-ton', backend: 'wasm', date: '2025-11-06T10:20:30Z' });
    expect(spoof).toContain('owner/⟨U+202E⟩ledom-laiciffo-ton');
    expect(spoof).not.toMatch(/[\u202A-\u202E\u2066\u2067]/);
  });
});
