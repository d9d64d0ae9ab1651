// Phase summary: a few sentences a student understands, from the lens, the attention summary
// and (when present) the knockout and relevance phase depths. Pure, so it is unit-tested and
// the export prints exactly what the page shows.
import type { AnalysisResult } from '../../engine/result';
import { showToken } from '../common/tokens';

export interface PhaseSentence {
  key: 'answer-top' | 'attention' | 'question-knockout' | 'answer-knockout' | 'mrd' | 'order';
  text: string;
}

const depthPct = (l: number, L: number) => `${Math.round((100 * l) / Math.max(1, L))}% of the way up`;

export function phaseSummary(result: AnalysisResult): PhaseSentence[] {
  const L = result.model.numLayers;
  const shown = showToken(result.prompt.target.text);
  // the leading space of a word token is noise here, but a bare space token must stay visible
  const target = `“${shown.length > 1 ? shown.replace(/^␣/, '') : shown}”`;
  const out: PhaseSentence[] = [];
  const s = result.summary;
  const lastT = result.prompt.tokens.length - 1;

  if (s.answerTopLayer !== null) {
    out.push({
      key: 'answer-top',
      text:
        s.answerTopLayer === 0
          ? `The answer's first token ${target} is already the model's top guess at the last position straight from the embeddings (before any layer).`
          : `The answer's first token ${target} first becomes the model's top guess at the last position in layer ${s.answerTopLayer} of ${L} (${depthPct(s.answerTopLayer, L)}).`,
    });
  } else {
    const rank = result.lens.targetRank[L]?.[lastT];
    const p = result.lens.targetProb[L]?.[lastT];
    out.push({
      key: 'answer-top',
      text: `The answer's first token ${target} never becomes the top guess at the last position${rank !== undefined && rank !== null ? `; after the last layer it ranks ${rank} (p = ${p !== undefined && p !== null ? p.toPrecision(2) : '?'})` : ''}.`,
    });
  }

  const qm = meanMass(result, 'question', s.questionAttentionPeakLayer);
  const am = meanMass(result, 'answer', s.answerAttentionPeakLayer);
  out.push({
    key: 'attention',
    text: `The last token looks at the question most in layer ${s.questionAttentionPeakLayer} (${pct(qm)} of its attention) and at the answer span most in layer ${s.answerAttentionPeakLayer} (${pct(am)}).`,
  });

  const ph = result.phases;
  if (ph && result.knockout) {
    const w = result.knockout.window;
    out.push({
      key: 'question-knockout',
      text:
        ph.questionEncodingKnockout === null
          ? `Hiding the question from the last token (${w} layer${w > 1 ? 's' : ''} at a time) never halved the answer's probability, so no question-encoding depth stands out.`
          : `Question encoding: up to layer ${ph.questionEncodingKnockout} of ${L}, hiding the question from the last token halves the answer's probability — after that the question has already been read.`,
    });
    out.push({
      key: 'answer-knockout',
      text:
        ph.answerRetrievalKnockout === null
          ? `Hiding the answer span never halved the answer's probability, so no answer-retrieval depth stands out.`
          : `Answer retrieval: up to layer ${ph.answerRetrievalKnockout} of ${L} the last token still needs to see the answer span in the context (hiding it halves the probability); that is where the answer is fetched.`,
    });
  }
  if (ph && (ph.questionEncodingMrd !== null || ph.answerRetrievalMrd !== null)) {
    const q = ph.questionEncodingMrd === null ? 'not measurable for the question' : `layer ${ph.questionEncodingMrd} for the question`;
    const a = ph.answerRetrievalMrd === null ? 'not measurable for the answer span' : `layer ${ph.answerRetrievalMrd} for the answer span`;
    out.push({ key: 'mrd', text: `Relevance (Major Relevance Depth, where 95% of a part's contribution has been used): ${q}, ${a}.` });
  }
  if (ph) {
    const q = ph.questionEncodingKnockout ?? ph.questionEncodingMrd;
    const a = ph.answerRetrievalKnockout ?? ph.answerRetrievalMrd;
    if (q !== null && a !== null) {
      out.push({
        key: 'order',
        text:
          q < a
            ? `So the model first reads the question (by layer ${q}) and then retrieves the answer (by layer ${a}), the two phases described by Gao et al. (2025).`
            : q === a
              ? `Here both phases end at the same layer (${q}); they are not separated in this example.`
              : `Unusually, the answer-retrieval depth (${a}) comes before the question-encoding depth (${q}) in this example.`,
      });
    }
  }
  return out;
}

function meanMass(result: AnalysisResult, seg: 'question' | 'answer', layer: number): number {
  const row = result.attention.segmentMass[seg]?.[layer - 1] ?? [];
  return row.length ? row.reduce((a, b) => a + b, 0) / row.length : 0;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;
}
