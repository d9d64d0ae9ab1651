// Pure helpers behind the share menu, import and recorded banner (unit-tested in Node).
import type { XlensResult } from '../../engine/result';
import { isValidRepoId } from '../../engine/hub/source';
import { findExample } from '../../data/catalog';
import { isXquadExampleId } from '../../data/xquad';
import { LANGUAGES, type LangCode } from '../../data/languages';
import { LIMITS, parsePageState, type ModelRef, type PageState } from '../../state/page-state';
import type { Recorded } from '../../state/permalink';
import { modelName } from '../../viz/common/model-name';
import { isolateName } from '../../state/text-safety';

export function formatSize(chars: number): string {
  return chars < 1024 ? `${chars} B` : `${(chars / 1024).toFixed(1)} KB`;
}

const isLang = (x: unknown): x is LangCode => typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);

/** the ModelRef a result's model id names: bundled (".../models/<name>"), hub ("owner/name[@rev]"), or null */
export function modelRefFromId(id: string): ModelRef | null {
  const bundled = /^(?:https?:\/\/[^/?#]+)?(?:\/[^?#]*)?\/models\/([A-Za-z0-9][A-Za-z0-9._-]{0,95})\/?$/.exec(id);
  if (bundled && !bundled[1].includes('..')) return { kind: 'bundled', name: bundled[1] };
  const [repo, revision, ...rest] = id.split('@');
  if (!rest.length && isValidRepoId(repo)) {
    const ref: ModelRef = { kind: 'hub', repo };
    if (revision && /^[A-Za-z0-9._/-]{1,100}$/.test(revision) && !revision.includes('..')) ref.revision = revision;
    return ref;
  }
  return null;
}

/**
 * The page that shows an imported result: its model, languages, example (or its text as custom
 * text) and template; everything else kept from the current page. Always valid.
 */
export function stateForResult(current: PageState, r: XlensResult): PageState {
  const s: PageState = structuredClone(current);
  const model = modelRefFromId(r.model.id);
  if (model) s.model = model;
  if (r.kind === 'analysis') {
    const i = r.input;
    if (s.tab === 'matrix' || s.tab === 'lesson') s.tab = 'explore';
    if (isLang(i.contextLang)) s.contextLang = i.contextLang;
    if (isLang(i.questionLang)) s.questionLang = i.questionLang;
    s.template = i.template;
    // a built-in example or an XQuAD item (its data loads on demand): the page names it by id
    if (i.exampleId && (findExample(i.exampleId) || isXquadExampleId(i.exampleId))) {
      s.example = i.exampleId;
      s.custom = null;
    } else if (i.context.length <= LIMITS.text && i.question.length <= LIMITS.text && i.answer.length <= LIMITS.answer) {
      s.example = null;
      s.custom = { context: i.context, question: i.question, answer: i.answer };
    }
    s.analyses = { ...s.analyses, knockout: !!r.knockout, relevance: !!r.relevance, window: r.knockout ? r.knockout.window : s.analyses.window };
  } else {
    s.tab = 'matrix';
    s.template = r.template;
    const cl = r.contextLangs.filter(isLang);
    const ql = r.questionLangs.filter(isLang);
    if (cl.length && ql.length) s.matrix = { contextLangs: cl, questionLangs: ql, depths: r.window !== null };
  }
  // anything odd falls back field by field
  return parsePageState(s).state;
}

/**
 * "Recorded with model X on backend Y, date" (plain text). The model id comes from the link or
 * file: it is isolated and its bidi and invisible characters are shown, so "owner/\u202Eledom"
 * cannot pass for another name or reverse the rest of the banner.
 */
export function recordedText(r: Recorded): string {
  const d = new Date(r.date);
  const when = Number.isNaN(d.getTime()) ? isolateName(r.date.slice(0, 64)) : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const name = modelName(r.model);
  const model = name.length > 120 ? `${name.slice(0, 117)}…` : name;
  return `Recorded with model ${isolateName(model)} on backend ${r.backend === 'webgpu' ? 'WebGPU' : 'WASM'}, ${when}.`;
}

/** the largest result file the import accepts, in bytes (UTF-8 can be 3x the characters; the parser checks characters again) */
export const MAX_IMPORT_BYTES = 60 * 1024 * 1024;
