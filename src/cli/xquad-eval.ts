// XQuAD evaluation as the paper reports it: settings as rows (en-x: English context, question
// in x; x-x: both in x), languages as columns, exact match and F1. A run appends one record
// per item to a JSONL file as soon as the item is scored, so a stopped run continues where it
// stopped; the table is always computed from the records.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { settingPair, type XquadSetting } from '../data/xquad';
import { defaultPageState, type ModelRef } from '../state/page-state';
import { encodeUrl } from '../state/url-state';

export const RECORDS_FORMAT = 'xlens-xquad-eval/1';

/** what a records file was made with; a rerun with other settings must not mix into it */
export interface RunHeader {
  type: 'run';
  format: typeof RECORDS_FORMAT;
  model: string;
  weights: string;
  template: 'plain' | 'chat';
  /** null: the cap follows each gold answer (analyze.ts answerTokenCap) */
  maxNewTokens: number | null;
  createdAt: string;
}

export type ItemStatus = 'scored' | 'too-long' | 'no-answer';

export interface ItemRecord {
  type: 'item';
  /** "<context lang>><question lang>><example id>" */
  key: string;
  exampleId: string;
  contextLang: string;
  questionLang: string;
  status: ItemStatus;
  /** prompt length in tokens (also for too-long items) */
  promptTokens: number;
  prompt?: string;
  prediction?: string;
  gold: string;
  em?: number;
  f1?: number;
  /** the item in the explorer */
  permalink: string;
}

export interface EvalTask {
  key: string;
  exampleId: string;
  contextLang: string;
  questionLang: string;
}

const itemKey = (cl: string, ql: string, id: string) => `${cl}>${ql}>${id}`;

/** every (pair, item) a run scores; a pair in both settings (en-en) is scored once */
export function planTasks(settings: readonly XquadSetting[], langs: readonly string[], ids: readonly string[]): EvalTask[] {
  const seen = new Set<string>();
  const tasks: EvalTask[] = [];
  for (const s of settings) {
    for (const x of langs) {
      const [cl, ql] = settingPair(s, x as never);
      for (const id of ids) {
        const key = itemKey(cl, ql, id);
        if (seen.has(key)) continue;
        seen.add(key);
        tasks.push({ key, exampleId: id, contextLang: cl, questionLang: ql });
      }
    }
  }
  return tasks;
}

/** the explorer's address for one item (the app's own URL encoding) */
export function permalink(appUrl: string, model: ModelRef, cl: string, ql: string, exampleId: string, template: 'plain' | 'chat'): string {
  const s = defaultPageState();
  s.model = model;
  s.contextLang = cl as never;
  s.questionLang = ql as never;
  s.example = exampleId;
  s.template = template;
  const hub = model.kind === 'hub' ? model.hub : undefined;
  return new URL(encodeUrl(s, hub ? { hubBase: hub } : {}), appUrl).href;
}

export interface RecordsFile {
  header: RunHeader | null;
  records: Map<string, ItemRecord>;
  /** lines that could not be read (a run killed mid-line), reported */
  damaged: number;
  /** the file does not end with a newline (the next record must start on a new line) */
  openLine: boolean;
}

export function readRecords(file: string): RecordsFile {
  const out: RecordsFile = { header: null, records: new Map(), damaged: 0, openLine: false };
  if (!existsSync(file)) return out;
  const text = readFileSync(file, 'utf8');
  out.openLine = text.length > 0 && !text.endsWith('\n');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      out.damaged++;
      continue;
    }
    const rec = r as { type?: unknown };
    if (rec.type === 'run' && !out.header) out.header = r as RunHeader;
    else if (rec.type === 'item' && typeof (r as ItemRecord).key === 'string') out.records.set((r as ItemRecord).key, r as ItemRecord);
    else out.damaged++;
  }
  return out;
}

/** the fields of two headers that must agree for their records to be pooled */
export function headerMismatch(a: RunHeader, b: RunHeader): string | null {
  for (const k of ['format', 'model', 'weights', 'template', 'maxNewTokens'] as const) {
    if (a[k] !== b[k]) return `${k} ${JSON.stringify(a[k])} there, ${JSON.stringify(b[k])} now`;
  }
  return null;
}

export class RecordsWriter {
  constructor(
    readonly file: string,
    private openLine: boolean,
  ) {}

  static start(file: string, header: RunHeader, fresh: boolean, existing: RecordsFile): RecordsWriter {
    if (fresh || !existing.header) {
      writeFileSync(file, JSON.stringify(header) + '\n');
      return new RecordsWriter(file, false);
    }
    return new RecordsWriter(file, existing.openLine);
  }

  /** synchronous, so an interrupted run keeps every record written before the interruption */
  append(r: ItemRecord): void {
    appendFileSync(this.file, (this.openLine ? '\n' : '') + JSON.stringify(r) + '\n');
    this.openLine = false;
  }
}

export interface CellScore {
  /** items scored */
  n: number;
  /** mean exact match and F1 over the scored items (0..1), null when none */
  em: number | null;
  f1: number | null;
  tooLong: number;
  noAnswer: number;
  /** items of the sample with no record yet (a stopped run) */
  missing: number;
}

export interface XquadTable {
  settings: XquadSetting[];
  langs: string[];
  /** cells[setting][lang] */
  cells: Record<string, Record<string, CellScore>>;
  /** per setting: mean of the languages' EM and F1 (macro average, as papers report) over languages with scores */
  average: Record<string, { em: number | null; f1: number | null }>;
}

export function scoreTable(records: Map<string, ItemRecord>, settings: readonly XquadSetting[], langs: readonly string[], ids: readonly string[]): XquadTable {
  const cells: XquadTable['cells'] = {};
  const average: XquadTable['average'] = {};
  for (const s of settings) {
    cells[s] = {};
    const ems: number[] = [];
    const f1s: number[] = [];
    for (const x of langs) {
      const [cl, ql] = settingPair(s, x as never);
      const c: CellScore = { n: 0, em: null, f1: null, tooLong: 0, noAnswer: 0, missing: 0 };
      let em = 0;
      let f1 = 0;
      for (const id of ids) {
        const r = records.get(itemKey(cl, ql, id));
        if (!r) c.missing++;
        else if (r.status === 'too-long') c.tooLong++;
        else if (r.status === 'no-answer') c.noAnswer++;
        else {
          c.n++;
          em += r.em ?? 0;
          f1 += r.f1 ?? 0;
        }
      }
      if (c.n) {
        c.em = em / c.n;
        c.f1 = f1 / c.n;
        ems.push(c.em);
        f1s.push(c.f1);
      }
      cells[s][x] = c;
    }
    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
    average[s] = { em: mean(ems), f1: mean(f1s) };
  }
  return { settings: [...settings], langs: [...langs], cells, average };
}

const pct = (x: number | null) => (x === null ? '–' : (100 * x).toFixed(1));

/** the table as Markdown: EM / F1 per language and setting, then what was not scored */
export function markdownTable(t: XquadTable, caption: string): string {
  const head = `| setting | ${t.langs.join(' | ')} | avg |`;
  const rule = `|---|${t.langs.map(() => '---:').join('|')}|---:|`;
  const rows = t.settings.map((s) => `| **${s}** | ${t.langs.map((x) => `${pct(t.cells[s][x].em)} / ${pct(t.cells[s][x].f1)}`).join(' | ')} | ${pct(t.average[s].em)} / ${pct(t.average[s].f1)} |`);
  const countHead = `| setting | ${t.langs.join(' | ')} | total |`;
  const count = (f: (c: CellScore) => number) => t.settings.map((s) => `| ${s} | ${t.langs.map((x) => String(f(t.cells[s][x]))).join(' | ')} | ${t.langs.reduce((n, x) => n + f(t.cells[s][x]), 0)} |`);
  const lines = [caption, '', 'Exact match / F1 (%)', '', head, rule, ...rows, '', 'Items scored', '', countHead, rule, ...count((c) => c.n), '', 'Items skipped: prompt longer than the model accepts', '', countHead, rule, ...count((c) => c.tooLong)];
  const noAnswer = t.settings.some((s) => t.langs.some((x) => t.cells[s][x].noAnswer));
  if (noAnswer) lines.push('', 'Items skipped: the answer does not occur in the context (data)', '', countHead, rule, ...count((c) => c.noAnswer));
  const missing = t.settings.some((s) => t.langs.some((x) => t.cells[s][x].missing));
  if (missing) lines.push('', 'Items not run yet (the run stopped; run the same command again to continue)', '', countHead, rule, ...count((c) => c.missing));
  return lines.join('\n') + '\n';
}
