// A pair matrix over items of which some are longer than the model's context (XQuAD's long
// paragraphs on the tiny models' 1,024 positions): those are counted and named per cell,
// the rest are scored, and nothing throws.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model';
import { pairMatrix } from './matrix';

ort.env.wasm.numThreads = 1;

const long = 'Tom lives in Rome. '.repeat(300) + 'Ana lives in Lisbon.';
const examples = [
  { id: 'short', langs: { en: { context: 'Lisbon is big. Ana lives in Lisbon.', question: 'Where does Ana live?', answer: 'Lisbon', answerStart: 28 } } },
  { id: 'long', langs: { en: { context: long, question: 'Where does Ana live?', answer: 'Lisbon' } } },
];

describe('pair matrix with prompts longer than the model accepts', () => {
  it('skips them, counts them per cell and scores the rest', async () => {
    const m = await loadModel({ kind: 'dir', path: 'public/models/xlens-tiny-instruct' }, { ort, backend: 'wasm' });
    const r = await pairMatrix(m, examples, ['en'], ['en'], { maxNewTokens: 3 });
    expect(r.complete).toBe(true);
    const cell = r.cells[0];
    expect(cell.n).toBe(1);
    expect(cell.items.map((i) => i.exampleId)).toEqual(['short']);
    expect(cell.skippedTooLong).toEqual(['long']);
    await m.dispose();
  });
});
