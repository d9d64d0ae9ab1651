import { useEffect, useRef } from 'react';
import type { Tab } from '../state/page-state';
import { useAppStore } from '../state/store';
import { BackendPicker } from './BackendPicker';
import { CompareTab } from './CompareTab';
import { ErrorBox, InputProblem, Notices } from './ErrorBox';
import { CustomEditor, ExamplePicker } from './ExamplePicker';
import { ExploreTab } from './ExploreTab';
import { useAutoRun, useUrlSync } from './hooks';
import { LanguagePicker } from './LanguagePicker';
import { MatrixTab } from './MatrixTab';
import { ModelPicker } from './ModelPicker';
import { AnalysesPicker, TemplatePicker } from './OptionsPicker';
import { ProgressView } from './ProgressView';
import { RunInfo } from './RunInfo';

const TABS: [Exclude<Tab, 'lesson'>, string][] = [
  ['explore', 'Explore'],
  ['matrix', 'Language pairs'],
  ['compare', 'Compare models'],
];

function Tabs() {
  const tab = useAppStore((s) => s.page.tab);
  const setPage = useAppStore((s) => s.setPage);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const cur = Math.max(0, TABS.findIndex(([t]) => t === tab));
  return (
    <div className="tabs" role="tablist" aria-label="Views">
      {TABS.map(([t, label], i) => (
        <button
          key={t}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={i === cur}
          aria-controls={`panel-${t}`}
          tabIndex={i === cur ? 0 : -1}
          onClick={() => setPage({ tab: t })}
          onKeyDown={(e) => {
            const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!d) return;
            e.preventDefault();
            const n = (cur + d + TABS.length) % TABS.length;
            setPage({ tab: TABS[n][0] });
            refs.current[n]?.focus();
          }}
          data-testid={`tab-${t}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const loadLocalModels = useAppStore((s) => s.loadLocalModels);
  const page = useAppStore((s) => s.page);
  const main = useAppStore((s) => s.main);
  const setPage = useAppStore((s) => s.setPage);
  const cancel = useAppStore((s) => s.cancel);
  useUrlSync();
  useAutoRun();
  useEffect(() => {
    void loadLocalModels();
  }, [loadLocalModels]);
  const tab = page.tab === 'lesson' ? 'explore' : page.tab;

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          xlens <span className="tagline">— how a small language model answers a question about a text in another language, layer by layer, in your browser</span>
        </h1>
      </header>
      <main>
        <Notices />
        <section className="controls" aria-label="Model and input">
          <div className="controls-row">
            <ModelPicker label="Model" value={page.model} onChange={(model) => setPage({ model })} testId="model" />
            <BackendPicker />
            <TemplatePicker />
          </div>
          <div className="controls-row">
            <LanguagePicker />
            <ExamplePicker />
          </div>
          <CustomEditor />
          <AnalysesPicker />
          <div className="actions">
            <ProgressView status={main.status} progress={main.progress} onCancel={() => cancel('main')} what="Analysis" />
            {main.status !== 'loading' && main.status !== 'running' && main.partial === false && main.status !== 'idle' && (
              <button type="button" onClick={() => void useAppStore.getState().runAnalysis()} data-testid="rerun">
                Run again
              </button>
            )}
          </div>
        </section>
        <InputProblem />
        <ErrorBox which="main" />
        <RunInfo ready={main.ready} result={main.result} />
        <Tabs />
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
          {tab === 'explore' && <ExploreTab />}
          {tab === 'matrix' && <MatrixTab />}
          {tab === 'compare' && <CompareTab />}
        </div>
      </main>
      <footer className="app-footer">
        Everything runs locally in this page (onnxruntime-web in a worker, on xlens's own ONNX graph). After Gao et al., “Understanding LLMs' Cross-Lingual Context Retrieval”, EMNLP 2025.
      </footer>
    </div>
  );
}
