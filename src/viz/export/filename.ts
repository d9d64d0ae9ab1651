// Export file names: xlens_{model}_{context}-{question}_{view}_{YYYY-MM-DD}.{ext}, only
// characters every file system accepts, bounded length.
import type { XlensResult } from '../../engine/result';

const clean = (s: string, max: number) =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max) || 'x';

/** "owner/name" stays whole; a folder path or URL keeps its last part */
const modelPart = (id: string) => {
  const parts = id.split(/[\\/]+/).filter((p) => p && p !== '.' && p !== '..');
  return clean(parts.length > 2 ? parts[parts.length - 1] : parts.join('/'), 60);
};

export function exportFileName(parts: { model?: string; contextLang?: string | null; questionLang?: string | null; view?: string; date?: string | Date; ext: string }): string {
  const d = parts.date ? new Date(parts.date) : new Date();
  const day = Number.isNaN(d.getTime()) ? 'undated' : d.toISOString().slice(0, 10);
  const langs = parts.contextLang || parts.questionLang ? `${clean(parts.contextLang ?? 'x', 8)}-${clean(parts.questionLang ?? 'x', 8)}` : '';
  const bits = ['xlens', parts.model ? modelPart(parts.model) : '', langs, parts.view ? clean(parts.view, 30) : '', day].filter(Boolean);
  return `${bits.join('_')}.${clean(parts.ext, 8)}`;
}

/** the name parts of a result (matrix: its language lists) */
export function resultFileName(r: XlensResult, ext: string, view?: string): string {
  if (r.kind === 'analysis') return exportFileName({ model: r.model.id, contextLang: r.input.contextLang, questionLang: r.input.questionLang, view, date: r.createdAt, ext });
  return exportFileName({ model: r.model.id, view: view ?? `matrix-${r.contextLangs.length}x${r.questionLangs.length}`, date: r.createdAt, ext });
}
