// Data provider for the logit-lens heatmap: engine rows -> what the drawing needs.
import type { LensRow } from '../../worker/messages';
import { displayToken } from '../tokenText';

export interface LensCell {
  layer: number;
  /** "emb" for the embeddings, else the layer number */
  layerLabel: string;
  token: string;
  /** token text with whitespace made visible */
  tokenDisplay: string;
  tokenId: number;
  prob: number;
}

export interface LensHeatmapData {
  cells: LensCell[];
  /** number of transformer layers L (cells has L+1 entries) */
  numLayers: number;
  /** the input token whose next token is predicted */
  positionToken: string;
  /** short text for screen readers */
  summary: string;
}

export function layerLabel(layer: number): string {
  return layer === 0 ? 'emb' : String(layer);
}

export function lensHeatmapData(rows: LensRow[], lastInputToken: string): LensHeatmapData {
  const cells = [...rows]
    .sort((a, b) => a.layer - b.layer)
    .map((r) => ({
      layer: r.layer,
      layerLabel: layerLabel(r.layer),
      token: r.topToken,
      tokenDisplay: displayToken(r.topToken),
      tokenId: r.topId,
      prob: Number.isFinite(r.topProb) ? r.topProb : 0,
    }));
  const last = cells[cells.length - 1];
  const numLayers = Math.max(0, cells.length - 1);
  const summary = last
    ? `Logit lens at the last position (after ${JSON.stringify(lastInputToken)}): top next token from each of ${cells.length} rows ` +
      `(embeddings and ${numLayers} layers). The final layer predicts ${JSON.stringify(last.token)} with probability ${last.prob.toFixed(3)}.`
    : 'Logit lens: no data.';
  return { cells, numLayers, positionToken: lastInputToken, summary };
}
