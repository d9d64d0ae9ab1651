// How the viewer chose to draw a result: the store keeps these choices and the views (viz/)
// draw what they name. They live here, below both, so the store imports nothing from viz/.

/** long contexts: one column per sentence, or every token */
export type ContextView = 'tokens' | 'sentences';

/** the value each cell of the pair matrix shows (and its export holds) */
export type PairMetric =
  | 'exactMatch'
  | 'f1'
  | 'targetProb'
  | 'questionDepth'
  | 'answerDepth'
  | 'questionMrd'
  | 'answerMrd'
  | 'questionDepthStd'
  | 'answerDepthStd'
  | 'questionMrdStd'
  | 'answerMrdStd';
