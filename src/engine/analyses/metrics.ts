// SQuAD-style answer scoring (exact match and token F1), made multilingual as MLQA does:
// lowercase, drop punctuation and articles, split on whitespace; languages written without
// spaces (zh, th) are compared character by character.

const ARTICLES: Record<string, RegExp> = {
  en: /\b(a|an|the)\b/gu,
  es: /(^|\s)(un|una|unos|unas|el|la|los|las)(?=\s|$)/gu,
  de: /(^|\s)(ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des)(?=\s|$)/gu,
  el: /(^|\s)(ο|η|το|οι|τα|του|της|των|τον|την|ένας|μία|μια|ένα)(?=\s|$)/gu,
  ro: /(^|\s)(un|o|niște)(?=\s|$)/gu,
  vi: /(^|\s)(những|các|cái)(?=\s|$)/gu,
};

const NO_SPACES = new Set(['zh', 'th', 'ja']);

export function normalizeAnswer(s: string, lang = 'en'): string {
  let x = s.normalize('NFC').toLowerCase();
  x = x.replace(/[\p{P}\p{S}]/gu, ' ');
  const art = ARTICLES[lang];
  if (art) x = x.replace(art, ' ');
  return x.replace(/\s+/g, ' ').trim();
}

export function answerTokens(s: string, lang = 'en'): string[] {
  const n = normalizeAnswer(s, lang);
  if (!n) return [];
  if (NO_SPACES.has(lang)) return [...n.replace(/\s+/g, '')];
  return n.split(' ');
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
