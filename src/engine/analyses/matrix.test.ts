import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import { analyze } from './analyze';
import { pairMatrix } from './matrix';
import { meanStd } from './matrix-cells';

ort.env.wasm.numThreads = 1;

const examples = [
  {
    id: 'ana',
    langs: {
      en: { context: 'Ana lives in Lisbon. Tom lives in Rome.', question: 'Where does Ana live?', answer: 'Lisbon' },
      de: { context: 'Ana wohnt in Lissabon. Tom wohnt in Rom.', question: 'Wo wohnt Ana?', answer: 'Lissabon' },
    },
  },
  {
    id: 'car',
    langs: {
      en: { context: 'The car of Ben is red. The car of Eva is blue.', question: 'What colour is the car of Eva?', answer: 'blue' },
      de: { context: 'Das Auto von Ben ist rot. Das Auto von Eva ist blau.', question: 'Welche Farbe hat das Auto von Eva?', answer: 'blau' },
    },
  },
];

describe('pair matrix', () => {
  it('meanStd is the population mean and standard deviation, skipping missing values', () => {
    expect(meanStd([1, 2, 3, null])).toEqual({ mean: 2, std: Math.sqrt(2 / 3), n: 3 });
    expect(meanStd([null])).toEqual({ mean: null, std: null, n: 0 });
  });

  it('a cancel posted as an event while the matrix runs stops it at the next item (the runs themselves never yield)', async () => {
    const m = await loadModel({ kind: 'dir', path: 'fixtures/models/llama-llama3rope-bf16' }, { ort, backend: 'wasm' });
    const ctl = new AbortController();
    const cells: number[] = [];
    // the abort arrives as a macrotask, as a worker's Cancel message does, once the first cell is in
    const run = pairMatrix(m, examples, ['en', 'de'], ['en', 'de'], {
      maxNewTokens: 3,
      signal: ctl.signal,
      onCell: (_, d) => {
        cells.push(d);
        if (d === 1) setTimeout(() => ctl.abort(new Error('cancelled by the user')), 0);
      },
    });
    await expect(run).rejects.toThrow('cancelled by the user');
    expect(cells).toEqual([1]);
  });

  it('fills every pair, streams cells, and each item equals a single analysis', async () => {
    const m = await loadModel({ kind: 'dir', path: 'fixtures/models/llama-llama3rope-bf16' }, { ort, backend: 'wasm' });
    const progress: number[] = [];
    const r = await pairMatrix(m, examples, ['en', 'de'], ['en', 'de'], { depths: true, mrd: true, window: 1, maxNewTokens: 3, onCell: (_, d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(r.complete).toBe(true);
    expect(r.cells.map((c) => `${c.contextLang}>${c.questionLang}`)).toEqual(['en>en', 'en>de', 'de>en', 'de>de']);
    const cell = r.cells[1];
    expect(cell.n).toBe(2);
    const single = await analyze(
      m,
      { contextLang: 'en', questionLang: 'de', exampleId: 'car', context: examples[1].langs.en.context, question: examples[1].langs.de.question, answer: 'blue', template: 'plain' },
      { maxNewTokens: 3, knockout: { window: 1 }, relevance: true },
    );
    const item = cell.items.find((i) => i.exampleId === 'car')!;
    expect(item.exactMatch).toBe(single.generation!.exactMatch);
    expect(item.targetProb).toBeCloseTo(single.lens.targetProb[m.spec.numLayers].at(-1)!, 6);
    expect(item.questionDepth).toBe(single.phases!.questionEncodingKnockout);
    expect(item.answerDepth).toBe(single.phases!.answerRetrievalKnockout);
    expect(item.questionMrd).toBe(single.phases!.questionEncodingMrd);
    expect(item.answerMrd).toBe(single.phases!.answerRetrievalMrd);
    expect(cell.exactMatch).toBeCloseTo((cell.items[0].exactMatch + cell.items[1].exactMatch) / 2, 12);
    expect(r.overall.questionDepth).toEqual(meanStd(r.cells.flatMap((c) => c.items.map((i) => i.questionDepth))));
    await m.dispose();
  });
});
