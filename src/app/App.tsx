import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clampStep, LESSON, lessonStart, lessonState, type LessonView } from '../state/lesson';
import type { XlensResult } from '../engine/result';
import type { PageState, Tab } from '../state/page-state';
import { recordedOf } from '../state/permalink';
import { useAppStore } from '../state/store';
import { BackendPicker, WeightsPicker } from './BackendPicker';
import { CachePanel } from './cache/CachePanel';
import { CompareTab } from './CompareTab';
import { ErrorBox, InputProblem, Notices } from './ErrorBox';
import { CustomEditor, ExamplePicker } from './ExamplePicker';
import { XquadPicker } from './XquadPicker';
import { About } from './About';
import { ExploreTab } from './ExploreTab';
import { FontNotice } from './fonts/FontNotice';
import { useAutoRun, useUrlSync } from './hooks';
import { LessonPanel } from './lesson';
import { LanguagePicker } from './LanguagePicker';
import { MatrixTab } from './MatrixTab';
import { ModelPicker } from './ModelPicker';
import { AnalysesPicker, TemplatePicker } from './OptionsPicker';
import { ProgressView } from './ProgressView';
import { RunInfo } from './RunInfo';
import { HubApproval } from './HubApproval';
import { RecordedBanner, ShareMenu, type ExportEntry } from './share';
import { exportableViews } from './views';
import { autoContextView, tokenGroups } from '../viz/common/token-groups';

const TABS: [Tab, string][] = [
  ['explore', 'Explore'],
  ['matrix', 'Language pairs'],
  ['compare', 'Compare models'],
  ['lesson', 'Lesson'],
];

/** switch tabs; the lesson tab applies the page of its current step (and remembers the page to return to) */
function openTab(t: Tab): void {
  const st = useAppStore.getState();
  if (t === 'lesson') {
    if (st.page.tab !== 'lesson') st.startLesson(st.page.lessonStep);
  } else st.setPage((s) => ({ ...s, tab: t }));
}

/** the views a tab (or a lesson step) shows */
function viewsOf(p: PageState): LessonView {
  return p.tab === 'lesson' ? LESSON[clampStep(p.lessonStep)].show : p.tab;
}

/**
 * The views on screen that can be exported, by their titles on the page. Each SVG is built only
 * when its export is asked for: building every view's SVG when the menu opens held the page for
 * seconds on large results.
 */
function useExportViews(): ExportEntry[] {
  const page = useAppStore((s) => s.page);
  const main = useAppStore((s) => s.main.result);
  const cmp = useAppStore((s) => s.compare.result);
  const matrix = useAppStore((s) => s.matrix.result);
  const metric = useAppStore((s) => s.matrix.metric);
  const contextView = useAppStore((s) => s.contextView);
  return useMemo(() => {
    const shown = viewsOf(page);
    // exported as shown: a long context by sentence, or every token
    const bySentence = shown === 'explore' && main !== null && (contextView === 'auto' ? autoContextView(main) : contextView) === 'sentences';
    const groups = bySentence ? tokenGroups(main, 'sentences') : undefined;
    return exportableViews(shown, { page, main, compare: cmp, matrix, metric, groups });
  }, [page, main, cmp, matrix, metric, contextView]);
}

function Tabs() {
  const tab = useAppStore((s) => s.page.tab);
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
          onClick={() => openTab(t)}
          onKeyDown={(e) => {
            const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!d) return;
            e.preventDefault();
            const n = (cur + d + TABS.length) % TABS.length;
            openTab(TABS[n][0]);
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

/** "Downloaded models": the browser's cache of model files, read only when opened */
function CacheDetails() {
  const [open, setOpen] = useState(false);
  return (
    <details className="cache-details" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="cache-details">
      <summary>Downloaded models (sizes, delete)</summary>
      {open && <CachePanel />}
    </details>
  );
}

function TabViews({ show }: { show: LessonView }) {
  return (
    <>
      {show === 'explore' && <ExploreTab />}
      {show === 'matrix' && <MatrixTab />}
      {show === 'compare' && <CompareTab />}
    </>
  );
}

export function App() {
  const loadLocalModels = useAppStore((s) => s.loadLocalModels);
  const page = useAppStore((s) => s.page);
  const main = useAppStore((s) => s.main);
  const matrix = useAppStore((s) => s.matrix);
  const runtime = useAppStore((s) => s.runtime);
  const recorded = useAppStore((s) => s.recorded);
  const setPage = useAppStore((s) => s.setPage);
  const cancel = useAppStore((s) => s.cancel);
  useUrlSync();
  useAutoRun();
  useEffect(() => {
    void loadLocalModels();
  }, [loadLocalModels]);
  const tab = page.tab;
  const shown = viewsOf(page);
  const exportViews = useExportViews();
  const shareResult: XlensResult | null = shown === 'matrix' ? matrix.result : main.result;
  const shareRecorded = recorded && shareResult && recorded.kind === shareResult.kind ? recorded.info : undefined;
  const busy = main.status === 'loading' || main.status === 'running' || matrix.status === 'loading' || matrix.status === 'running';

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          xlens <span className="tagline">— how a small language model answers a question about a text in another language, layer by layer, in your browser</span>
        </h1>
        <div className="header-actions">
          <button type="button" onClick={() => useAppStore.getState().startLesson(0)} data-testid="start-lesson">
            Lesson
          </button>
          <ShareMenu
            state={page}
            result={shareResult}
            views={exportViews}
            recorded={shareRecorded}
            runtime={runtime}
            onImport={(r, s) => useAppStore.getState().showRecorded(r, recordedOf(r), s)}
          />
        </div>
      </header>
      <main>
        <HubApproval />
        <Notices />
        <FontNotice />
        <section className="controls" aria-label="Model and input">
          <div className="controls-row">
            <ModelPicker label="Model" value={page.model} onChange={(model) => setPage({ model })} testId="model" />
            <BackendPicker />
            <WeightsPicker />
            <TemplatePicker />
          </div>
          <CacheDetails />
          <div className="controls-row">
            <LanguagePicker />
            <ExamplePicker />
          </div>
          <XquadPicker />
          <CustomEditor />
          <AnalysesPicker />
          <div className="actions">
            <ProgressView status={main.status} progress={main.progress} onCancel={() => cancel('main')} what="Analysis" />
            {main.status !== 'loading' && main.status !== 'running' && main.partial === false && (main.status !== 'idle' || main.result !== null) && (
              <button type="button" onClick={() => void useAppStore.getState().runAnalysis()} data-testid="rerun">
                Run again
              </button>
            )}
          </div>
        </section>
        <InputProblem />
        <ErrorBox which="main" />
        <RunInfo ready={main.ready} result={main.result} />
        {recorded && <RecordedBanner recorded={recorded.info} busy={busy} onRerun={() => void useAppStore.getState().rerunLive()} />}
        <Tabs />
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
          {tab === 'lesson' ? (
            <div className="lesson-layout">
              <LessonPanel state={page} onNavigate={(s) => setPage(s)} onExit={() => useAppStore.getState().leaveLesson()} runtime={runtime} matrixReady={matrix.result !== null} />
              <div className="lesson-views">
                <TabViews show={shown} />
              </div>
            </div>
          ) : (
            <TabViews show={shown} />
          )}
        </div>
      </main>
      <footer className="app-footer">
        Everything runs locally in this page (onnxruntime-web in a worker, on xlens's own ONNX graph). After Gao et al., “Understanding LLMs' Cross-Lingual Context Retrieval”, EMNLP 2025.
        <About />
      </footer>
    </div>
  );
}
