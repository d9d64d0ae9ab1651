// The words docs/result-schema.md shows for each field of the result schema (result-schema.ts),
// by the field's path (a list's items add []). Not imported by the app: only the doc generator
// (tools/result-schema-doc.ts) and its test read it, which fails when a field has no words here
// or its parent's, or when words name a field the schema does not have.

export interface FieldWords {
  /** the doc table's text for the field */
  doc: string;
  /** the row's first column when it is not just the field's path */
  label?: string;
}

export const RESULT_FIELD_WORDS: Record<'analysis' | 'matrix', Record<string, FieldWords>> = {
  analysis: {
    schemaVersion: { doc: '`2` (results made before it: `1`)' },
    kind: { doc: '`"analysis"`' },
    createdAt: { doc: 'ISO time of the run' },
    backend: { doc: '`"webgpu"` or `"wasm"`' },
    model: { doc: '`id` (repo id, URL or folder), `family`, `numLayers` L, `numHeads` H, `numKvHeads`, `hiddenSize`, `vocabSize`, optional `weights` (`fp32`, `int8` or `fp16`: the format the weights ran in; absent = fp32, results made before it was recorded; `int8` is int8 weights with 8-bit activations on WASM and int8 weights with fp32 activations on WebGPU and in relevance, and was weights only before issue 12: docs/weights.md)' },
    input: { doc: "`contextLang`, `questionLang` (ISO codes or null for free text), `exampleId` (or null), `context`, `question`, `answer` (gold), `template` (`plain` or `chat`), optional `answerStart` (character offset of the answer span in `context`, for dataset items such as XQuAD's whose answer text also occurs earlier; absent = the first occurrence)" },
    'prompt.text': { doc: 'the exact prompt string: `Context: {context}\\nQuestion: {question}\\nAnswer:`, or that text as the user turn of the chat template' },
    'prompt.tokens': { doc: 'every prompt token: `id`, display `text` (byte pieces merged into whole characters and grapheme clusters — a Thai or Devanagari combining mark stays with its base: the first token of a group carries the text, the rest `""`), `segment` (`context`, `answer`, `question`, `template`; disjoint: `context` excludes the answer span), `start`/`end` character offsets in `prompt.text`', label: '`prompt.tokens[]`' },
    'prompt.target': { doc: "the **target** every analysis follows (`id`, display `text`; definition below) and, only when there are any, `leadingWhitespace`: the whitespace-only tokens (`id`, `text`) the tokenizer would emit before it, which the analyses skip; and `alternative` (`id`, `text`, `prob`, `targetProb`): the candidate of the other writing (with or without a leading space) when it differs, with its and the target's final-layer probability at the last position" },
    pending: { doc: 'only in the partial results an analysis streams while it runs (the first heatmap comes from the forward pass alone): the sections still to come, of `generation`, `lens`, `knockout`, `relevance`. A finished result has none' },
    generation: { doc: "greedy continuation (stops at the end of the first line of content, or after the gold answer's length in tokens plus a margin): `ids`, `text`, `answer` (the first non-empty line, trimmed), `exactMatch` (0/1) and `f1` against `input.answer` in the context language, SQuAD v1.1 normalisation as MLQA extends it (lowercase, punctuation deleted, articles removed; zh and th split per character of their script; `src/engine/analyses/metrics.ts`). Absent only in a partial result whose `pending` lists `generation`" },
    'lens.coverage': { doc: 'which positions the lens grid covers: `last` (the last position only: the pair matrix), `phases` (the question, the answer span, the template after the question and the last position), `all`. Cells of other positions are `null` in all four grids, never a number; the last position is always computed. The app computes `all` when the whole grid is cheap ((L+1)·T·V·d multiply-adds ≤ 2·10⁹, e.g. the tiny models) or on a hardware GPU, else `phases`, and the rest on demand ("Compute the lens at every position")' },
    'lens.targetProb': { doc: 'logit lens: softmax(W_U · norm_final(h_l(t)))[target], l = 0..L (0 = embeddings), t = prompt position (`null` where not computed)', label: '`lens.targetProb[l][t]`' },
    'lens.targetRank': { doc: '1 + number of vocabulary entries with a higher lens probability than the target', label: '`lens.targetRank[l][t]`' },
    'lens.topId': { doc: "the lens's top-1 token and its probability; `lens.tokenText[id]` gives display text for every id in `topId`", label: '`lens.topId[l][t]`, `lens.topProb[l][t]`' },
    'lens.lastTopK': { doc: 'the 10 most probable tokens (`id`, `text`, `prob`) at the last position, per layer', label: '`lens.lastTopK[l]`' },
    'attention.lastRowMean': { doc: 'attention probability from the last position to position t in layer i+1 (i = 0..L-1), mean over query heads', label: '`attention.lastRowMean[i][t]`' },
    'attention.lastRowHeads': { doc: 'the same per query head', label: '`attention.lastRowHeads[i][h][t]`' },
    'attention.segmentMass': { doc: 'sum of `lastRowHeads[i][h][t]` over the positions of segment s; per head the four segments sum to 1', label: '`attention.segmentMass[s][i][h]`' },
    'summary.answerTopLayer': { doc: 'first layer l whose lens top-1 at the last position is the target, or null' },
    'summary.questionAttentionPeakLayer': { doc: 'layer (1..L) with the largest head-mean attention mass from the last position on the question, resp. the answer span', label: '`summary.questionAttentionPeakLayer`, `summary.answerAttentionPeakLayer`' },
    knockout: { doc: "attention knockout sweep (Geva et al. 2023): `window` w, `sets` (`question`, `answer`, `context` = whole context incl. the answer span, `template`), `baseProb` p, `windows[i]` = [lo, hi] layers blocked for the window centred on layer i+1, `effect[set][i]` = 100 (p' − p) / p" },
    relevance: { doc: 'AttnLRP: `relevance[l][t]` = R_l(t) for l = 0..L, `targetLogit` (Σ_t R_L(t) equals it), per-layer `leakBias` and `leakSoftmax` (non-conserved terms), `mrd[group]` Major Relevance Depth and `cumulative[group][l]` = C_l(G) (definition in `src/engine/analyses/relevance.ts`)' },
    phases: { doc: '`questionEncodingKnockout` / `answerRetrievalKnockout`: last layer whose window drops p by ≥ 50% when blocking the question / the answer span (null if none); `questionEncodingMrd` / `answerRetrievalMrd`: MRD of those groups' },
    timings: { doc: '`forwardMs`, `generateMs`, `totalMs`; `lensMs`, `knockoutMs`, `relevanceMs` when those ran' },
  },
  matrix: {
    schemaVersion: { doc: 'as in an analysis' },
    kind: { doc: '`"matrix"`' },
    createdAt: { doc: 'ISO time of the run' },
    backend: { doc: '`"webgpu"` or `"wasm"`' },
    model: { doc: 'as in an analysis: `id`, `family`, `numLayers`, `numHeads`, `numKvHeads`, `hiddenSize`, `vocabSize`, optional `weights`' },
    template: { doc: '`plain` or `chat`' },
    contextLangs: { doc: 'the context and the question languages (ISO codes), each listed once', label: '`contextLangs`, `questionLangs`' },
    exampleIds: { doc: 'the examples analysed in every pair' },
    window: { doc: 'knockout window used for the phase depths (null when depths were not computed)' },
    cells: { doc: "one per language pair (`contextLang`, `questionLang`, `n` examples): the means of `exactMatch`, `f1` and `targetProb` (final-layer probability of the target at the last position), and `questionDepth`, `answerDepth` (knockout) and `questionMrd`, `answerMrd` (relevance), as `{ mean, std, n }` — population standard deviation over the examples that have a value: the phasing stability. `items[]` keeps every example's numbers (`exampleId`, `exactMatch`, `f1`, `targetProb`, `questionDepth`, `answerDepth`, `questionMrd`, `answerMrd`); optional `skippedTooLong[]` names the examples not analysed because their prompt is longer than the model accepts (not in `n`, not in the means)", label: '`cells[]`' },
    overall: { doc: 'every example of every pair pooled: `exactMatch`, `f1`, `questionDepth`, `answerDepth`, `questionMrd`, `answerMrd` (`{ mean, std, n }`)' },
    complete: { doc: 'whether every pair was analysed (a stopped run is saved incomplete)' },
  },
};
