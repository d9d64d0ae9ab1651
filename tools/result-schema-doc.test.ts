// docs/result-schema.md's field tables are the schema's: the test fails when the schema changed
// and `npm run docs:schema` was not run, or when a field has no words in the doc.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, renderSchemaDoc, undocumentedFields, wordsWithoutField } from './result-schema-doc';

describe('the result schema doc', () => {
  it('has the field tables the schema generates (run npm run docs:schema after changing the schema)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    expect(renderSchemaDoc(doc)).toBe(doc);
  });

  it('explains every field of an analysis and a matrix', () => {
    expect(undocumentedFields()).toEqual([]);
  });

  it('has no words for a field the schema does not have', () => {
    expect(wordsWithoutField()).toEqual([]);
  });
});
