// Compare two results on the same input side by side, rows aligned by relative depth
// (alignLayers from the engine), with shared colour scales; or the difference B − A on A's rows
// with a diverging scale centred on 0.
import { alignLayers } from '../../engine/analyses/compare';
import type { AnalysisResult } from '../../engine/result';
import { attentionColourMax, attentionModel } from '../attention-heatmap/data';
import { divergingScale, sequentialScale } from '../common/scales';
import { knockoutColourMax, knockoutGrid, knockoutModel, SET_LABEL } from '../knockout-heatmap/data';
import { fmtProb, layerRows, positionLine, tokenColumns } from '../layer-heatmap/columns';
import { absQuantile, type HeatmapModel, type HeatmapRow } from '../layer-heatmap/data';
import { lensGridModel } from '../lens-grid/data';
import { relevanceColourMax, relevanceModel } from '../relevance-heatmap/data';

export type CompareKind = 'lens' | 'attention' | 'knockout' | 'relevance';
export const COMPARE_KINDS: CompareKind[] = ['lens', 'attention', 'knockout', 'relevance'];
export const KIND_TITLE: Record<CompareKind, string> = {
  lens: 'Logit lens (probability of the answer token)',
  attention: 'Attention of the last position (mean of heads)',
  knockout: 'Attention knockout (change of p, %)',
  relevance: 'Relevance (AttnLRP)',
};

/** B's layer for each of A's layers 0..La (relative depth) */
export function layerMapAtoB(La: number, Lb: number): (l: number | null) => number | null {
  const m = alignLayers(La, Lb);
  return (l) => (l === null ? null : m[Math.max(0, Math.min(La, l))]);
}

/** B's layer for a 1-based layer of A (attention / knockout rows start at 1) */
function alignFromOne(l: number, La: number, Lb: number): number {
  return Math.max(1, alignLayers(La, Lb)[l]);
}

function sameTokens(a: AnalysisResult, b: AnalysisResult): boolean {
  const ta = a.prompt.tokens;
  const tb = b.prompt.tokens;
  return ta.length === tb.length && ta.every((t, i) => t.id === tb[i].id);
}

export interface SidePair {
  kind: CompareKind;
  a: HeatmapModel;
  b: HeatmapModel;
}

/** both models of one kind with one shared colour scale; null if either result lacks the section */
export function sideBySide(a: AnalysisResult, b: AnalysisResult, kind: CompareKind): SidePair | null {
  if (kind === 'lens') return { kind, a: lensGridModel(a, 'prob'), b: lensGridModel(b, 'prob') };
  if (kind === 'attention') {
    const ma = attentionModel(a, null);
    const mb = attentionModel(b, null);
    const hi = Math.max(attentionColourMax(a.attention.lastRowMean), attentionColourMax(b.attention.lastRowMean));
    const scale = sequentialScale(0, hi, 'attention weight (shared scale)', { scheme: 'cividis' });
    return { kind, a: { ...ma, scale }, b: { ...mb, scale } };
  }
  if (kind === 'knockout') {
    const ma = knockoutModel(a);
    const mb = knockoutModel(b);
    if (!ma || !mb) return null;
    const m = Math.max(knockoutColourMax(knockoutGrid(a.knockout!)), knockoutColourMax(knockoutGrid(b.knockout!)));
    const scale = divergingScale([], ma.scale.label, { fixedMax: m, format: ma.scale.format });
    return { kind, a: { ...ma, scale }, b: { ...mb, scale } };
  }
  const ma = relevanceModel(a);
  const mb = relevanceModel(b);
  if (!ma || !mb) return null;
  const m = Math.max(relevanceColourMax(a.relevance!.relevance), relevanceColourMax(b.relevance!.relevance));
  const scale = divergingScale([], ma.scale.label, { fixedMax: m });
  return { kind, a: { ...ma, scale }, b: { ...mb, scale } };
}

export type DiffOutcome = { model: HeatmapModel } | { model: null; reason: string };

/** B − A on A's rows (B's rows picked by relative depth) */
export function diffModel(a: AnalysisResult, b: AnalysisResult, kind: CompareKind): DiffOutcome {
  const La = a.model.numLayers;
  const Lb = b.model.numLayers;
  const pair = (l: number, lb: number) => (l === lb && La === Lb ? String(l) : `${l}↔${lb}`);
  const label = (l: number, lb: number) => (l === 0 ? 'emb' : pair(l, lb));

  if (kind === 'knockout') {
    if (!a.knockout || !b.knockout) return { model: null, reason: 'One of the two results has no knockout sweep.' };
    const ka = a.knockout;
    const kb = b.knockout;
    const sets = ka.sets.filter((s) => kb.sets.includes(s));
    const rows: HeatmapRow[] = [];
    const values: (number | null)[][] = [];
    const bRow: number[] = [];
    for (let l = 1; l <= ka.windows.length; l++) {
      const lb = alignFromOne(l, La, Lb);
      bRow.push(lb);
      rows.push({ layer: l, label: pair(l, lb) });
      values.push(sets.map((s) => {
        const va = ka.effect[s]?.[l - 1];
        const vb = kb.effect[s]?.[lb - 1];
        return va === null || va === undefined || vb === null || vb === undefined ? null : vb - va;
      }));
    }
    return {
      model: {
        id: 'diff-knockout',
        title: 'B − A: change of the knockout effect (percentage points)',
        rows,
        cols: sets.map((s, i) => ({ index: i, label: SET_LABEL[s] ?? s })),
        values,
        scale: divergingScale(values.flat(), 'B − A (points of % change)', { format: (v) => `${v > 0 ? '+' : ''}${Math.round(v)}` }),
        legendSides: ['B hurt more', 'A hurt more'],
        columnKind: 'category',
        rowAxis: 'layer A↔B',
        colAxis: 'blocked source',
        summary: `Difference of knockout effects, model B minus model A, ${rows.length} windows.`,
        tooltip: (r, c) => {
          const s = sets[c];
          const va = ka.effect[s]?.[r];
          const vb = kb.effect[s]?.[bRow[r] - 1];
          return `A layer ${r + 1} ↔ B layer ${bRow[r]}\nblock ${SET_LABEL[s] ?? s}\nA ${va?.toFixed(1) ?? '–'}% · B ${vb?.toFixed(1) ?? '–'}%\nB − A = ${values[r][c]?.toFixed(1) ?? '–'}`;
        },
      },
    };
  }

  if (!sameTokens(a, b)) return { model: null, reason: 'The two models tokenise the prompt differently, so positions cannot be subtracted; compare them side by side instead.' };
  const cols = tokenColumns(a);
  let ga: (number | null)[][];
  let gb: (number | null)[][];
  let from: number;
  let what: string;
  if (kind === 'lens') {
    ga = a.lens.targetProb;
    gb = b.lens.targetProb;
    from = 0;
    what = 'p(answer token)';
  } else if (kind === 'attention') {
    ga = a.attention.lastRowMean;
    gb = b.attention.lastRowMean;
    from = 1;
    what = 'attention';
  } else {
    if (!a.relevance || !b.relevance) return { model: null, reason: 'One of the two results has no relevance.' };
    ga = a.relevance.relevance;
    gb = b.relevance.relevance;
    from = 0;
    what = 'relevance';
  }
  const rows: HeatmapRow[] = [];
  const bRows: number[] = [];
  const values = ga.map((row, r) => {
    const l = r + from;
    const lb = from === 1 ? alignFromOne(l, La, Lb) : alignLayers(La, Lb)[l];
    bRows.push(lb);
    rows.push({ layer: l, label: label(l, lb) });
    const other = gb[lb - from];
    return row.map((v, t) => {
      const w = other?.[t];
      return v === null || w === null || w === undefined ? null : w - v;
    });
  });
  const m = kind === 'relevance' ? absQuantile(values, 0.98) : undefined;
  return {
    model: {
      id: `diff-${kind}`,
      title: `B − A: ${what}`,
      rows,
      cols,
      values,
      scale: divergingScale(values.flat(), `B − A, ${what}`, { fixedMax: m }),
      legendSides: ['higher in A', 'higher in B'],
      columnKind: 'token',
      rowAxis: 'layer A↔B',
      colAxis: 'prompt position',
      summary: `Difference of ${what}, model B minus model A, ${rows.length} rows by ${cols.length} positions.`,
      tooltip: (r, c) => {
        const va = ga[r][c];
        const vb = gb[bRows[r] - from]?.[c];
        return `A layer ${r + from} ↔ B layer ${bRows[r]}\n${positionLine(a, c)}\nA ${fmtProb(va ?? NaN)} · B ${fmtProb(vb ?? NaN)}\nB − A = ${fmtProb(values[r][c] ?? NaN)}`;
      },
    },
  };
}


