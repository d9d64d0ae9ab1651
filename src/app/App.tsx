import { useEffect } from 'react';
import { useAppStore } from '../state/store';
import { AnswerView } from './AnswerView';
import { BackendPicker } from './BackendPicker';
import { ErrorBox } from './ErrorBox';
import { LensHeatmapView } from './LensHeatmapView';
import { ModelPicker } from './ModelPicker';
import { ProgressView } from './ProgressView';
import { PromptBox } from './PromptBox';
import { RunInfo } from './RunInfo';

export function App() {
  const loadLocalModels = useAppStore((s) => s.loadLocalModels);
  const run = useAppStore((s) => s.run);
  const cancel = useAppStore((s) => s.cancel);
  const status = useAppStore((s) => s.status);
  const result = useAppStore((s) => s.result);
  const busy = status === 'loading' || status === 'running';

  useEffect(() => {
    void loadLocalModels();
  }, [loadLocalModels]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          xlens <span className="tagline">— how a small language model answers, layer by layer, in your browser</span>
        </h1>
      </header>
      <main>
        <form
          className="controls"
          aria-label="Model and prompt"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <div className="controls-row">
            <ModelPicker disabled={busy} />
            <BackendPicker disabled={busy} />
          </div>
          <PromptBox disabled={busy} onSubmit={() => void run()} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy} data-testid="run">
              {status === 'loading' ? 'Loading…' : status === 'running' ? 'Running…' : 'Run'}
            </button>
            {busy && (
              <button type="button" onClick={cancel}>
                Cancel
              </button>
            )}
            <ProgressView />
          </div>
        </form>
        <ErrorBox />
        <RunInfo />
        {result && (
          <section className="results" aria-label="Results">
            <AnswerView result={result} />
            <LensHeatmapView result={result} />
          </section>
        )}
      </main>
      <footer className="app-footer">
        Everything runs locally in this page (onnxruntime-web in a worker). Logit lens: softmax(W<sub>U</sub> · norm(h<sub>l</sub>)) at the last
        position for every layer l.
      </footer>
    </div>
  );
}
