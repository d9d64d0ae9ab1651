// Synthetic xMRC inputs of a chosen prompt length: "X lives in Y." facts, the question asks
// for the first one. Long contexts are just more facts, so every length has the same layout.
import type { ResultInput } from '../../src/engine/result';
import { buildPrompt } from '../../src/engine/text/prompt';
import type { TextTokenizer } from '../../src/engine/text/tokenizer';

const NAMES = ['Ana', 'Boris', 'Chen', 'Dara', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zeynep'];
const CITIES = ['Lisbon', 'Porto', 'Hanoi', 'Athens', 'Bucharest', 'Madrid', 'Berlin', 'Izmir', 'Cairo', 'Delhi', 'Bangkok', 'Kazan', 'Lyon', 'Oslo', 'Quito', 'Riga', 'Seoul', 'Tunis', 'Utrecht', 'Valencia', 'Warsaw', 'Xian', 'York', 'Zagreb', 'Nairobi'];

function inputWith(n: number, pad = 0): ResultInput {
  const facts: string[] = [];
  for (let i = 0; i < n; i++) facts.push(`${NAMES[i % NAMES.length]} lives in ${CITIES[(i * 7 + 3) % CITIES.length]}.`);
  return {
    contextLang: 'en',
    questionLang: 'en',
    exampleId: null,
    // short filler words close the gap to the requested length
    context: facts.join(' ') + ' ok'.repeat(pad),
    question: `Where does ${NAMES[0]} live?`,
    answer: CITIES[3],
    template: 'plain',
  };
}

/** the input with the most facts whose prompt is at most `targetT` tokens (at least one fact) */
export function syntheticInput(tok: TextTokenizer, targetT: number): { input: ResultInput; T: number } {
  const len = (n: number) => buildPrompt(tok, inputWith(n)).ids.length;
  let lo = 1;
  let hi = 2;
  while (len(hi) <= targetT) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (len(mid) <= targetT) lo = mid;
    else hi = mid;
  }
  let pad = 0;
  const padded = (k: number) => buildPrompt(tok, inputWith(lo, k)).ids.length;
  while (pad < 64 && padded(pad + 1) <= targetT) pad++;
  return { input: inputWith(lo, pad), T: padded(pad) };
}
