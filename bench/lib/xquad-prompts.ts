// XQuAD prompts of chosen lengths for a tokenizer: over all 12 context languages and the 240
// paragraphs, the item whose chat prompt is closest to each target length (a cross-lingual pair: the
// question in English, or in Chinese for an English context). Where no single paragraph comes close
// to a target, two consecutive paragraphs of the same article are joined (the question and answer of
// the first), and the choice says so.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type LangCode } from '../../src/data/languages';
import { parseXquad, XquadSet } from '../../src/data/xquad';
import type { ResultInput } from '../../src/engine/result';
import { buildPrompt } from '../../src/engine/text/prompt';
import type { TextTokenizer } from '../../src/engine/text/tokenizer';

const XQUAD_DIR = 'public/data/xquad';

const sets = new Map<string, XquadSet>();
function xquad(lang: string): XquadSet {
  let s = sets.get(lang);
  if (!s) {
    s = new XquadSet(parseXquad(JSON.parse(readFileSync(join(XQUAD_DIR, `${lang}.json`), 'utf8')), lang));
    sets.set(lang, s);
  }
  return s;
}

/** the question's language for a context language: always another one (cross-lingual) */
const questionLangFor = (contextLang: string): LangCode => (contextLang === 'en' ? 'zh' : 'en');

export interface XquadPrompt {
  /** the length asked for */
  target: number;
  /** the prompt's real length in tokens */
  T: number;
  input: ResultInput;
  /** e.g. "th context, en question, Super Bowl 50 ¶3 (xquad-…)"; "+ ¶4" when two paragraphs were joined */
  label: string;
  joined: boolean;
}

interface Candidate {
  T: number;
  input: ResultInput;
  label: string;
  joined: boolean;
}

/** every (context language, paragraph) once: the paragraph's first question whose answer is in its context */
function candidates(tok: TextTokenizer, join2: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const cl of LANGUAGES) {
    const c = xquad(cl);
    const q = xquad(questionLangFor(cl));
    const byPara = new Map<string, typeof c.items>();
    for (const it of c.items) {
      const k = `${it.article}/${it.paragraph}`;
      const list = byPara.get(k) ?? [];
      list.push(it);
      byPara.set(k, list);
    }
    for (const [k, items] of byPara) {
      const it = items.find((i) => i.answerStart >= 0 && q.get(i.id));
      if (!it) continue;
      const [a, p] = k.split('/').map(Number);
      let context = it.context;
      let label = `${cl} context, ${questionLangFor(cl)} question: ${it.title.replace(/_/g, ' ')} ¶${p + 1} (${it.id})`;
      if (join2) {
        const next = byPara.get(`${a}/${p + 1}`);
        if (!next) continue;
        context = `${it.context}\n${next[0].context}`;
        label += ` + ¶${p + 2}`;
      }
      const input: ResultInput = {
        contextLang: cl,
        questionLang: questionLangFor(cl),
        exampleId: join2 ? null : it.id,
        context,
        question: q.get(it.id)!.question,
        answer: it.answer,
        answerStart: it.answerStart,
        template: 'chat',
      };
      try {
        out.push({ T: buildPrompt(tok, input).ids.length, input, label, joined: join2 });
      } catch {
        /* an item the prompt builder refuses (answer not where the data says) is skipped */
      }
    }
  }
  return out;
}

/** the XQuAD prompt closest to each target length (ties: the shorter) */
export function xquadPrompts(tok: TextTokenizer, targets: number[]): XquadPrompt[] {
  const single = candidates(tok, false);
  const longest = Math.max(...single.map((c) => c.T));
  // joined paragraphs only when no single one comes within 10% of the longest target
  const joined = targets.some((t) => longest < 0.9 * t) ? candidates(tok, true) : [];
  return targets.map((target) => {
    let best: Candidate | null = null;
    for (const c of [...single, ...joined]) {
      const d = Math.abs(c.T - target);
      const bd = best ? Math.abs(best.T - target) : Infinity;
      // a single paragraph wins a tie with joined ones
      if (d < bd || (d === bd && best && (c.T < best.T || (best.joined && !c.joined)))) best = c;
    }
    if (!best) throw new Error('no XQuAD prompt could be built with this tokenizer');
    return { target, T: best.T, input: best.input, label: best.label, joined: best.joined };
  });
}
