// XQuAD (Artetxe et al. 2020; Romanian from LiRo), the paper's benchmark, in the compact form
// xlens ships: one file per language under public/data/xquad/, made from the SQuAD v1.1 JSON
// by tools/xquad/build.ts. The app fetches a language's file only when it is needed, so
// nothing of it is in the main bundle. This module holds the file format, its derivation
// from SQuAD JSON (pure, so the tool and the tests share it) and its checked parser.

export const XQUAD_FORMAT = 'xlens-xquad/1';

/** one question in one language; answerStart is a character offset into the paragraph's context */
export interface XquadQa {
  id: string;
  question: string;
  answer: string;
  /** -1 when the answer text does not occur in the context at all (reported, never dropped) */
  answerStart: number;
}

export interface XquadParagraph {
  context: string;
  qas: XquadQa[];
}

export interface XquadArticle {
  title: string;
  paragraphs: XquadParagraph[];
}

/** where the source's answer_start did not point at its answer text, and what was done */
export interface XquadCorrection {
  id: string;
  /** answer_start in the source (relative to the trimmed context) */
  from: number;
  /** the offset used instead: the occurrence of the answer text nearest to `from`, or -1 if none */
  to: number;
}

export interface XquadFile {
  format: typeof XQUAD_FORMAT;
  lang: string;
  articles: XquadArticle[];
  corrections: XquadCorrection[];
}

/** the SQuAD v1.1 layout of the source files */
export interface SquadJson {
  version?: string;
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { answer_start: number; text: string }[] }[] }[] }[];
}

/** the occurrence of `needle` in `text` nearest to `near`, or -1 */
function nearestOccurrence(text: string, needle: string, near: number): number {
  let best = -1;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}

const leading = (s: string) => s.length - s.trimStart().length;

/**
 * The compact file for one language. Contexts, questions and answers lose surrounding
 * whitespace (the prompt trims them too) and answer offsets move with the context's start.
 * An offset that does not point at its answer text is replaced by the nearest occurrence of
 * that text, or -1 when there is none; every such item is listed in `corrections`.
 */
export function deriveXquad(raw: SquadJson, lang: string): XquadFile {
  const corrections: XquadCorrection[] = [];
  const articles = raw.data.map((a) => ({
    title: a.title,
    paragraphs: a.paragraphs.map((p) => {
      const context = p.context.trim();
      const shift = leading(p.context);
      return {
        context,
        qas: p.qas.map((q): XquadQa => {
          const ans = q.answers[0];
          if (!ans) throw new Error(`${lang} ${q.id}: no answer`);
          const answer = ans.text.trim();
          const from = ans.answer_start + leading(ans.text) - shift;
          let answerStart = from;
          if (context.slice(from, from + answer.length) !== answer) {
            answerStart = nearestOccurrence(context, answer, from);
            corrections.push({ id: q.id, from, to: answerStart });
          }
          return { id: q.id, question: q.question.trim(), answer, answerStart };
        }),
      };
    }),
  }));
  return { format: XQUAD_FORMAT, lang, articles, corrections };
}

/**
 * The file as text: a header line, then one line per paragraph (questions as
 * [id, question, answer, answerStart] tuples), so a regenerated file diffs line by line.
 */
export function serialiseXquad(f: XquadFile): string {
  const lines: string[] = [];
  lines.push(`{"format":${JSON.stringify(f.format)},"lang":${JSON.stringify(f.lang)},"corrections":${JSON.stringify(f.corrections)},"articles":[`);
  f.articles.forEach((a, ai) => {
    lines.push(`{"title":${JSON.stringify(a.title)},"paragraphs":[`);
    a.paragraphs.forEach((p, pi) => {
      const qas = p.qas.map((q) => [q.id, q.question, q.answer, q.answerStart]);
      lines.push(`{"context":${JSON.stringify(p.context)},"qas":${JSON.stringify(qas)}}${pi < a.paragraphs.length - 1 ? ',' : ''}`);
    });
    lines.push(`]}${ai < f.articles.length - 1 ? ',' : ''}`);
  });
  lines.push(']}');
  return lines.join('\n') + '\n';
}

class XquadFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XquadFormatError';
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, max = 20_000): x is string => typeof x === 'string' && x.length <= max;

/** check a parsed file (fetched or read from disk) and return it in object form */
export function parseXquad(json: unknown, lang: string): XquadFile {
  const bad = (what: string): never => {
    throw new XquadFormatError(`The XQuAD file for "${lang}" is damaged: ${what}.`);
  };
  if (!isObj(json)) return bad('not a JSON object');
  if (json.format !== XQUAD_FORMAT) bad(`format is ${JSON.stringify(json.format)?.slice(0, 40)}, expected ${XQUAD_FORMAT}`);
  if (json.lang !== lang) bad(`it holds language ${JSON.stringify(json.lang)?.slice(0, 20)}`);
  if (!Array.isArray(json.articles)) bad('no articles');
  const corrections = Array.isArray(json.corrections) ? json.corrections : bad('no corrections list');
  const articles = (json.articles as unknown[]).map((a, ai): XquadArticle => {
    if (!isObj(a) || !isStr(a.title, 200) || !Array.isArray(a.paragraphs)) return bad(`article ${ai}`);
    return {
      title: a.title,
      paragraphs: a.paragraphs.map((p, pi): XquadParagraph => {
        if (!isObj(p) || !isStr(p.context) || !Array.isArray(p.qas)) return bad(`article ${ai}, paragraph ${pi}`);
        const context = p.context;
        return {
          context,
          qas: p.qas.map((q, qi): XquadQa => {
            if (!Array.isArray(q) || q.length !== 4) return bad(`article ${ai}, paragraph ${pi}, question ${qi}`);
            const [id, question, answer, answerStart] = q;
            if (!isStr(id, 64) || !/^[0-9a-f]{24}$/.test(id) || !isStr(question, 2000) || !isStr(answer, 2000)) return bad(`question ${qi} of article ${ai}, paragraph ${pi}`);
            if (!Number.isInteger(answerStart) || answerStart < -1 || answerStart > context.length) return bad(`question ${id}: answer offset ${answerStart}`);
            return { id, question, answer, answerStart };
          }),
        };
      }),
    };
  });
  return {
    format: XQUAD_FORMAT,
    lang,
    articles,
    corrections: corrections.map((c: unknown) => (isObj(c) && isStr(c.id, 64) && Number.isInteger(c.from) && Number.isInteger(c.to) ? { id: c.id, from: c.from as number, to: c.to as number } : bad('a correction'))),
  };
}
