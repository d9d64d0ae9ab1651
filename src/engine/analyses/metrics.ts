// SQuAD v1.1 answer scoring (exact match and token F1), made multilingual as MLQA's
// evaluation script does (Lewis et al. 2020, mlqa_evaluation_v1.py):
// 1. lowercase (after Unicode NFC, so composed and decomposed letters compare equal);
// 2. delete punctuation: every Unicode punctuation character (category P*) and Python's
//    string.punctuation (ASCII, which also holds symbols such as $ + < = > ^ ` | ~);
// 3. remove articles: a / an / the (SQuAD v1.1's English rule) and MLQA's lists for es, de,
//    vi and ar; el and ro keep xlens's own lists (MLQA has no rule for them). Arabic: MLQA's
//    regex deletes every "ال", also inside words; here only at the start of a word, where
//    it is the article;
// 4. split into tokens on whitespace; Chinese with MLQA's mixed segmentation (every Han
//    character is a token, runs of other characters split on whitespace), and Thai, which
//    also writes no spaces between words, the same way with every Thai character a token
//    (whitespace splitting would make Thai F1 equal exact match, and word segmentation
//    depends on the ICU dictionary of the machine).
// EM compares the token sequences; F1 is the harmonic mean of token precision and recall
// over the multiset overlap.

/** Python's string.punctuation */
const ASCII_PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const UNICODE_PUNCT = /\p{P}/u;

/** Python's \b for str patterns: a word character is a letter, a number or "_" */
const WORD = '[\\p{L}\\p{N}_]';
const words = (alternatives: string) => new RegExp(`(?<!${WORD})(?:${alternatives})(?!${WORD})`, 'gu');

const ARTICLES: Record<string, RegExp> = {
  en: words('a|an|the'),
  es: words('un|una|unos|unas|el|la|los|las'),
  de: words('ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des'),
  vi: words('của|là|cái|chiếc|những'),
  el: words('ο|η|το|οι|τα|του|της|των|τον|την|ένας|μία|μια|ένα'),
  ro: words('un|o|niște'),
  ar: new RegExp(`(?<!${WORD})ال`, 'gu'),
};

/** languages scored per character of their script (no spaces between words) */
const PER_CHARACTER: Record<string, RegExp> = {
  zh: /\p{Script=Han}/u,
  th: /\p{Script=Thai}/u,
};

function removePunctuation(s: string): string {
  let out = '';
  for (const ch of s) if (!ASCII_PUNCT.has(ch) && !UNICODE_PUNCT.test(ch)) out += ch;
  return out;
}

/** MLQA's mixed segmentation: each character of `script` alone, other runs split on whitespace */
function mixedSegmentation(s: string, script: RegExp): string[] {
  const out: string[] = [];
  let run = '';
  const flush = () => {
    out.push(...run.split(/\s+/).filter(Boolean));
    run = '';
  };
  for (const ch of s) {
    if (script.test(ch)) {
      flush();
      out.push(ch);
    } else run += ch;
  }
  flush();
  return out;
}

/** the normalised answer as its tokens */
export function answerTokens(s: string, lang = 'en'): string[] {
  let x = removePunctuation(s.normalize('NFC').toLowerCase());
  const art = ARTICLES[lang];
  if (art) x = x.replace(art, ' ');
  const script = PER_CHARACTER[lang];
  return script ? mixedSegmentation(x, script) : x.split(/\s+/).filter(Boolean);
}

/** the normalised answer: its tokens joined by single spaces */
export function normalizeAnswer(s: string, lang = 'en'): string {
  return answerTokens(s, lang).join(' ');
}

export function exactMatch(prediction: string, gold: string, lang = 'en'): number {
  return normalizeAnswer(prediction, lang) === normalizeAnswer(gold, lang) ? 1 : 0;
}

export function f1Score(prediction: string, gold: string, lang = 'en'): number {
  const p = answerTokens(prediction, lang);
  const g = answerTokens(gold, lang);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}
