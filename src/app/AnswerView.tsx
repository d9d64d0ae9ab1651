// The model's greedy answer next to the gold answer, with exact match and token F1.
import type { AnalysisResult } from '../engine/result';
import { isLangCode, LANGUAGE_INFO } from '../data/languages';
import { showToken } from '../viz/common/tokens';

export function AnswerView({ result }: { result: AnalysisResult }) {
  const g = result.generation;
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
    </section>
  );
}
