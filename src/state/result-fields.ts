// The validator's field list, from the schema (engine/result-schema.ts): after the value checks in
// result-file.ts pass, the input and the checked copy are walked side by side against the schema.
// A field the schema does not have is refused with its path, so a file never loses data silently
// on import (the recipient would see less than the sender without knowing); a field the schema
// has that the checked copy lacks means the validator does not check it yet, which is a bug in
// xlens reported as such rather than a field that vanishes.

import { RESULT_SCHEMAS, type SchemaNode } from '../engine/result-schema';
import { SCHEMA_VERSION, type XlensResult } from '../engine/result';

export interface FieldProblem {
  path: string;
  problem: 'unknown' | 'unchecked';
}

/** does a value of this node hold objects whose keys need walking? (grids of numbers do not) */
function holdsObjects(n: SchemaNode): boolean {
  if (n.k === 'obj') return true;
  if (n.k === 'list' || n.k === 'map') return n.k === 'map' ? n.keys !== undefined || holdsObjects(n.of) : holdsObjects(n.of);
  return false;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function walk(n: SchemaNode, input: unknown, output: unknown, path: string, out: FieldProblem[], max: number): void {
  if (out.length >= max) return;
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (n.k === 'obj' && isObj(input)) {
    const o = isObj(output) ? output : {};
    for (const k of Object.keys(input)) {
      const child = n.f[k];
      if (!child) out.push({ path: at(k), problem: 'unknown' });
      // an optional list given empty is the same as none (a finished result's `pending: []`)
      else if (o[k] === undefined && !(child.opt && Array.isArray(input[k]) && (input[k] as unknown[]).length === 0)) out.push({ path: at(k), problem: 'unchecked' });
      else walk(child, input[k], o[k], at(k), out, max);
      if (out.length >= max) return;
    }
  } else if (n.k === 'map' && isObj(input)) {
    const o = isObj(output) ? output : {};
    for (const k of Object.keys(input)) {
      if (n.keys && !(n.keys as readonly string[]).includes(k)) out.push({ path: at(k), problem: 'unknown' });
      else if (holdsObjects(n.of)) walk(n.of, input[k], o[k], at(k), out, max);
      if (out.length >= max) return;
    }
  } else if (n.k === 'list' && Array.isArray(input) && holdsObjects(n.of)) {
    const o = Array.isArray(output) ? output : [];
    for (let i = 0; i < input.length && out.length < max; i++) walk(n.of, input[i], o[i], `${path}[${i}]`, out, max);
  }
}

/** fields of `input` the schema does not have, and fields it has that `checked` (the validator's copy) lost */
export function fieldProblems(input: Record<string, unknown>, checked: XlensResult, max = 12): FieldProblem[] {
  const out: FieldProblem[] = [];
  walk(RESULT_SCHEMAS[checked.kind], input, checked, '', out, max);
  return out;
}

export function fieldProblemMessage(p: FieldProblem): string {
  return p.problem === 'unknown'
    ? `The result has a field ${p.path} that the xlens result schema (version ${SCHEMA_VERSION}) does not have: the file was changed or written by other software. Remove the field, or open the file in the program that wrote it.`
    : `The field ${p.path} is part of the result schema but this xlens does not check it yet, so the result was not loaded. This is a bug in xlens; please report it.`;
}

/**
 * The same value with its keys in the schema's order (fields the schema lacks last), so a result
 * file written, read and written again is the same text whatever order the engine built it in.
 * Grids of numbers are shared, not copied.
 */
export function inSchemaOrder<T extends XlensResult>(r: T): T {
  return ordered(RESULT_SCHEMAS[r.kind], r) as T;
}

function ordered(n: SchemaNode, x: unknown): unknown {
  if (n.k === 'obj' && isObj(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(n.f)) if (x[k] !== undefined) out[k] = ordered(n.f[k], x[k]);
    for (const k of Object.keys(x)) if (!(k in n.f) && x[k] !== undefined) out[k] = x[k];
    return out;
  }
  if (n.k === 'list' && Array.isArray(x) && holdsObjects(n.of)) return x.map((v) => ordered(n.of, v));
  if (n.k === 'map' && isObj(x) && holdsObjects(n.of)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, ordered(n.of, v)]));
  return x;
}
