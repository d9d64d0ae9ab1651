// Every built-in example, from both sets: the hand-written parallel items (examples/) and the
// items generated for the tiny models (tiny-examples.json, which those models answer).

import { EXAMPLES } from './examples';
import tiny from './tiny-examples.json';

export interface CatalogText {
  context: string;
  question: string;
  answer: string;
}

export interface CatalogItem {
  id: string;
  set: 'parallel' | 'tiny';
  /** short label for pickers */
  title: string;
  langs: Record<string, CatalogText>;
}

type TinyFile = { items: { id: string; kind: string; langs: Record<string, CatalogText> }[] } | { id: string; kind: string; langs: Record<string, CatalogText> }[];

const tinyItems = (Array.isArray(tiny) ? tiny : (tiny as Exclude<TinyFile, unknown[]>).items) as { id: string; kind: string; langs: Record<string, CatalogText> }[];

export const CATALOG: CatalogItem[] = [
  ...tinyItems.map((t) => ({ id: t.id, set: 'tiny' as const, title: `${t.kind}: ${t.langs.en?.question ?? t.id}`, langs: t.langs })),
  ...EXAMPLES.map((e) => ({ id: e.id, set: 'parallel' as const, title: e.langs.en?.question ?? e.id, langs: e.langs as Record<string, CatalogText> })),
];

export function findExample(id: string): CatalogItem | undefined {
  return CATALOG.find((e) => e.id === id);
}

/** how an example is named in the pickers: its question in the language the user asks in (English when it lacks that one) */
export function exampleLabel(e: CatalogItem, lang: string): string {
  return e.langs[lang]?.question ?? e.langs.en?.question ?? e.title;
}
