import type { RunResult } from '../worker/messages';

export function AnswerView({ result }: { result: RunResult }) {
  const text = result.generatedText.trim();
  return (
    <section className="answer" aria-label="Generated answer">
      <h2>Answer (greedy)</h2>
      <p dir="auto" className="answer-text" data-testid="answer">
        {text || <span className="muted">(empty: the model stopped at once)</span>}
      </p>
      {result.usedChatTemplate && <p className="hint">The prompt was wrapped in the model's chat template.</p>}
    </section>
  );
}
