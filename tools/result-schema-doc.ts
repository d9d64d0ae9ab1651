// Writes the field tables of docs/result-schema.md from the result schema
// (src/engine/result-schema.ts) and its words (src/engine/result-schema-docs.ts):
// `npm run docs:schema`. The tables sit between
// <!-- schema:NAME --> and <!-- /schema:NAME --> markers; the prose around them is kept.
// tools/result-schema-doc.test.ts fails when the doc and the schema disagree.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANALYSIS_SCHEMA, MATRIX_SCHEMA, OPTIONAL_SECTIONS, type ObjNode, type Quant, type SchemaNode } from '../src/engine/result-schema';
import { RESULT_FIELD_WORDS, type FieldWords } from '../src/engine/result-schema-docs';

export const DOC_PATH = 'docs/result-schema.md';

export interface SchemaField {
  /** JSON path with [] for list items: prompt.tokens[].id */
  path: string;
  key: string;
  node: SchemaNode;
  /** its row in the doc, if it has one */
  words?: FieldWords;
  /** the nearest enclosing field with a doc row (undefined at the top) */
  documentedParent?: SchemaField;
}

/** every field of a schema, parents before children */
export function schemaFields(root: ObjNode, only?: (key: string) => boolean): SchemaField[] {
  const out: SchemaField[] = [];
  const words = RESULT_FIELD_WORDS[root === MATRIX_SCHEMA ? 'matrix' : 'analysis'];
  const visit = (n: SchemaNode, path: string, key: string, parent: SchemaField | undefined, isField: boolean) => {
    let here = parent;
    if (isField) {
      const f: SchemaField = { path, key, node: n, words: words[path], documentedParent: parent };
      out.push(f);
      if (f.words) here = f;
    }
    if (n.k === 'obj') for (const [k, c] of Object.entries(n.f)) visit(c, path ? `${path}.${k}` : k, k, here, true);
    else if (n.k === 'list') visit(n.of, `${path}[]`, key, here, false);
    else if (n.k === 'map') visit(n.of, `${path}[]`, key, here, false);
  };
  for (const [k, c] of Object.entries(root.f)) if (!only || only(k)) visit(c, k, k, undefined, true);
  return out;
}

function table(fields: SchemaField[]): string {
  const rows = fields.flatMap((f) => (f.words ? [`| ${f.words.label ?? `\`${f.path}\``} | ${f.words.doc} |`] : []));
  return ['| field | meaning |', '|---|---|', ...rows].join('\n');
}

const isSection = (k: string) => (OPTIONAL_SECTIONS as readonly string[]).includes(k);

const RULE_WORDS: Record<Quant, string> = {
  prob: 'probabilities and shares (also unchanged as ln p)',
  real: 'other real numbers',
  relevance: 'relevance (a row only where its sum shows the same)',
  knockoutEffect: "knockout effects (only where p' = p·(1 + effect/100) shows the same with 4 decimals)",
};

/** the fields a permalink rounds, by rule: the quantiser (state/permalink.ts) walks the same tags */
function linkRounding(): string {
  const paths = new Map<Quant, string[]>();
  for (const [name, root] of [['', ANALYSIS_SCHEMA], ['matrix ', MATRIX_SCHEMA]] as const) {
    const visit = (n: SchemaNode, path: string) => {
      if (n.k === 'num' && n.q) paths.set(n.q, [...(paths.get(n.q) ?? []), `${name}\`${path}\``]);
      else if (n.k === 'obj') for (const [k, c] of Object.entries(n.f)) visit(c, path ? `${path}.${k}` : k);
      else if (n.k === 'list' || n.k === 'map') visit(n.of, `${path}[]`);
    };
    visit(root, '');
  }
  return [...paths].map(([q, ps]) => `- ${RULE_WORDS[q]}: ${ps.join(', ')}`).join('\n');
}

/** the generated tables, by marker name */
export function schemaTables(): Record<string, string> {
  return {
    analysis: table(schemaFields(ANALYSIS_SCHEMA, (k) => !isSection(k))),
    sections: table(schemaFields(ANALYSIS_SCHEMA, isSection)),
    matrix: table(schemaFields(MATRIX_SCHEMA)),
    links: linkRounding(),
  };
}

/** `doc` with every marked table replaced by the generated one; throws when a marker is missing */
export function renderSchemaDoc(doc: string): string {
  let out = doc;
  for (const [name, text] of Object.entries(schemaTables())) {
    const re = new RegExp(`(<!-- schema:${name} -->\\n)[\\s\\S]*?(<!-- /schema:${name} -->)`);
    if (!re.test(out)) throw new Error(`${DOC_PATH} has no <!-- schema:${name} --> … <!-- /schema:${name} --> block`);
    out = out.replace(re, (_, open: string, close: string) => `${open}${text}\n${close}`);
  }
  return out;
}

/** the words inside `backticks` of a doc text */
const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/**
 * Fields the doc does not explain: a field is explained by its own row, by a row whose code
 * names its path (`lens.tokenText[id]`), or by its nearest documented parent naming it in code
 * (`model`'s row names `numLayers`).
 */
export function undocumentedFields(): string[] {
  const missing: string[] = [];
  for (const root of [ANALYSIS_SCHEMA, MATRIX_SCHEMA]) {
    const fields = schemaFields(root);
    const spans = fields.flatMap((f) => (f.words ? [...codeSpans(f.words.label ?? ''), ...codeSpans(f.words.doc)] : []));
    for (const f of fields) {
      if (f.words) continue;
      const plain = f.path.replace(/\[\]/g, '');
      if (spans.some((s) => s === plain || s.startsWith(`${plain}.`) || s.startsWith(`${plain}[`))) continue;
      const word = new RegExp(`(^|[^A-Za-z])${f.key}($|[^A-Za-z])`);
      if (f.documentedParent?.words && codeSpans(f.documentedParent.words.doc).some((s) => word.test(s))) continue;
      missing.push(`${root === MATRIX_SCHEMA ? 'matrix' : 'analysis'}: ${f.path}`);
    }
  }
  return missing;
}

/** words for paths that are not fields of the schema (a field renamed or removed) */
export function wordsWithoutField(): string[] {
  return (['analysis', 'matrix'] as const).flatMap((kind) => {
    const paths = new Set(schemaFields(kind === 'matrix' ? MATRIX_SCHEMA : ANALYSIS_SCHEMA).map((f) => f.path));
    return Object.keys(RESULT_FIELD_WORDS[kind]).filter((p) => !paths.has(p)).map((p) => `${kind}: ${p}`);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(DOC_PATH, 'utf8');
  const after = renderSchemaDoc(before);
  if (after !== before) writeFileSync(DOC_PATH, after);
  console.log(after === before ? `${DOC_PATH} is up to date.` : `Wrote the field tables of ${DOC_PATH}.`);
  const missing = [...undocumentedFields(), ...wordsWithoutField().map((p) => `${p} (words for a field the schema does not have)`)];
  if (missing.length) {
    console.error(`Fields without words in the doc, or words without a field (src/engine/result-schema-docs.ts):\n  ${missing.join('\n  ')}`);
    process.exitCode = 1;
  }
}
