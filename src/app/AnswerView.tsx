// The model's greedy answer next to the gold answer, with exact match and token F1.
import type { AnalysisResult } from '../engine/result';
import { isLangCode, LANGUAGE_INFO } from '../data/languages';
import { showToken } from '../viz/common/tokens';

export function AnswerView({ result }: { result: AnalysisResult }) {
  const g = result.generation;
  if (!g) {
    return (
      <section className="answer" aria-label="The model's answer" data-testid="answer-view" aria-busy="true">
        <h2>Answer</h2>
        <p className="muted" data-testid="answer-pending">
          The model is writing its answer… (gold: <span lang={result.input.contextLang ?? undefined}>{result.input.answer}</span>)
        </p>
      </section>
    );
  }
  const lang = result.input.contextLang && isLangCode(result.input.contextLang) ? result.input.contextLang : undefined;
  const dir = lang ? LANGUAGE_INFO[lang].dir : 'auto';
  return (
    <section className="answer" aria-label="The model's answer" data-testid="answer-view">
      <h2>Answer</h2>
      <dl className="answer-grid">
        <dt>Model</dt>
        <dd>
          <span className="answer-text" lang={lang} dir={dir} data-testid="answer">
            {g.answer || <span className="muted">(empty: the model stopped at once)</span>}
          </span>
        </dd>
        <dt>Gold</dt>
        <dd>
          <span className="answer-text gold" lang={lang} dir={dir} data-testid="gold">
            {result.input.answer}
          </span>
        </dd>
      </dl>
      <p className="scores">
        <span className={`score ${g.exactMatch ? 'ok' : 'bad'}`} data-testid="em">
          EM {g.exactMatch ? '1' : '0'}
        </span>
        <span className="score" data-testid="f1">
          F1 {(g.f1 * 100).toFixed(0)}%
        </span>
        <span className="muted">
          {' '}
          target token <bdi><code>{JSON.stringify(showToken(result.prompt.target.text))}</code></bdi>
        </span>
      </p>
      {result.prompt.target.alternative ? (
        <p className="muted target-note" data-testid="target-choice">
          The answer can follow the prompt written as <code>{JSON.stringify(result.prompt.target.text)}</code> or as{' '}
          <code>{JSON.stringify(result.prompt.target.alternative.text)}</code>; the model gives the first p ={' '}
          {result.prompt.target.alternative.targetProb.toPrecision(2)} and the second p = {result.prompt.target.alternative.prob.toPrecision(2)} after its last
          layer, so every view follows the first.
        </p>
      ) : null}
      {result.prompt.target.leadingWhitespace?.length ? (
        <p className="muted target-note" data-testid="target-note">
          This tokenizer writes {result.prompt.target.leadingWhitespace.map((w) => JSON.stringify(w.text)).join(' ')} as a token of its own before the
          answer. Every view follows the answer's first visible token <code>{JSON.stringify(result.prompt.target.text)}</code> instead, so the
          probabilities shown are those of that token at the last position.
        </p>
      ) : null}
    </section>
  );
}
