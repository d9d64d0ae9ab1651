// Explore: one input, every view. The shown result stays (dimmed) while the next computes;
// the fast views fill first, knockout and relevance when their sweeps finish.
import { useId, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { autoContextView, contextTokenCount, sentenceCount, tokenGroups, type ContextView, type TokenGroup } from '../viz/common/token-groups';
import type { AnalysisResult } from '../engine/result';
import { exampleLabel, findExample } from '../data/catalog';
import { isLangCode, LANGUAGE_INFO } from '../data/languages';
import { analysisKey, effectiveHighlight, useAppStore, type RunSlotState } from '../state/store';
import { modelName } from '../viz/common/model-name';
import type { LensMetric } from '../state/page-state';
import { AnswerView } from './AnswerView';
import { HighlightBar, usePinOnClick } from './HighlightBar';
import { ExploreViews, LensCoverage } from './views';

function Panel({ title, hint, children, id, badge }: { title: string; hint?: string; children: React.ReactNode; id: string; badge?: React.ReactNode }) {
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-panel={id}>
      <h2 id={`${id}-h`}>
        {title}
        {badge}
      </h2>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </section>
  );
}

/** what the result on screen is: model, languages, example */
function shownAs(r: AnalysisResult): string {
  const lang = (c: string | null) => (c === null ? 'unknown' : isLangCode(c) ? LANGUAGE_INFO[c].name : c);
  const ex = r.input.exampleId ? findExample(r.input.exampleId) : undefined;
  return `${modelName(r.model.id)}, ${lang(r.input.contextLang)} context, ${lang(r.input.questionLang)} question${ex ? `, “${exampleLabel(ex, r.input.questionLang ?? 'en')}”` : ', custom text'}`;
}

/** why the result on screen is not the one the controls describe */
function staleReason(main: RunSlotState, inputProblem: string | null): { text: string; computing: boolean } {
  if (inputProblem) return { text: 'the input above cannot be analysed yet (see the message there), so nothing is computing.', computing: false };
  if (main.status === 'error') return { text: 'the new analysis failed (see the message above), so nothing is computing.', computing: false };
  if (main.status === 'cancelled') return { text: 'the new analysis was cancelled. Press “Run again” to compute it.', computing: false };
  if (main.status === 'idle') return { text: 'nothing is computing. Press “Run again” to compute the new one.', computing: false };
  return { text: 'the new one is computing.', computing: true };
}

/** without any result yet: what to expect, or why nothing comes */
function emptyText(main: RunSlotState, inputProblem: string | null): string {
  if (inputProblem) return 'Nothing to show yet: the input above cannot be analysed (see the message there).';
  if (main.status === 'error') return 'No result: see the message above.';
  if (main.status === 'cancelled') return 'The analysis was cancelled before it finished. Press “Run again”, or change the input, to start it again.';
  return 'The analysis appears here as soon as the model has answered.';
}

/** beside a panel's title while it shows the previous input's sweep */
function Previous({ what }: { what: string }) {
  return (
    <span className="previous-badge" role="status" data-testid={`${what}-previous`}>
      previous input, updating…
    </span>
  );
}

/** long contexts: by sentence or every token (the answer span, question and last position keep their columns either way) */
function ContextViewPicker({ result, groups }: { result: AnalysisResult; groups: TokenGroup[] | undefined }) {
  const id = useId();
  const value = useAppStore((s) => s.contextView);
  const set = useAppStore((s) => s.setContextView);
  const n = contextTokenCount(result);
  const shown: ContextView = groups ? 'sentences' : 'tokens';
  return (
    <div className="context-view" role="radiogroup" aria-labelledby={`${id}-l`} data-testid="context-view" data-view={shown}>
      <span id={`${id}-l`}>Context ({n} tokens{groups ? ` in ${sentenceCount(groups)} sentences` : ''}):</span>
      {(['sentences', 'tokens'] as const).map((v) => (
        <label key={v}>
          <input type="radio" name={`${id}-v`} value={v} checked={shown === v} onChange={() => set(v)} data-testid={`context-view-${v}`} />
          {v === 'sentences' ? 'by sentence' : 'every token'}
        </label>
      ))}
      {value === 'auto' && <span className="hint">({shown === 'sentences' ? 'long context: shown by sentence' : 'short enough to show every token'})</span>}
    </div>
  );
}

export function ExploreTab() {
  const main = useAppStore((s) => s.main);
  const page = useAppStore((s) => s.page);
  const inputProblem = useAppStore((s) => s.inputProblem);
  const key = useAppStore((s) => analysisKey(s.page, s.page.model, s.runtime));
  const highlight = useAppStore(useShallow(effectiveHighlight));
  const setHover = useAppStore((s) => s.setHover);
  const setView = useAppStore((s) => s.setView);
  const completeLens = useAppStore((s) => s.completeLens);
  const recorded = useAppStore((s) => s.recorded !== null);
  const pin = usePinOnClick();
  const r: AnalysisResult | null = main.result;
  const contextView = useAppStore((s) => s.contextView);
  const view: ContextView | null = r ? (contextView === 'auto' ? autoContextView(r) : contextView) : null;
  // by sentence: one column per run of context tokens; undefined = every token
  const groups = useMemo(() => (r && view === 'sentences' ? tokenGroups(r, 'sentences') : undefined), [r, view]);
  if (!r) {
    return (
      <p className="empty" data-testid="explore-empty">
        {emptyText(main, inputProblem)}
      </p>
    );
  }
  const stale = main.resultKey !== key;
  const why = staleReason(main, inputProblem);
  const computing = main.status === 'loading' || main.status === 'running';
  // while this run's sweeps compute, the previous result's stand in for them, dimmed (no jump, no flicker)
  const prev = !stale && main.partial ? main.previous : null;
  const ko = r.knockout ? r : prev?.knockout ? prev : null;
  const rel = r.relevance ? r : prev?.relevance ? prev : null;
  const H = r.model.numHeads;
  const hl = { page, highlight, onHighlight: setHover, groups };
  // a stand-in result from the previous input has its own positions: drawn token by token, still
  const still = { page, highlight: { layer: highlight.layer, token: null }, onHighlight: () => {} };
  return (
    <>
      {/* outside the dimmed views, so it stays readable */}
      {stale && (
        <p className="stale-note stale-banner" role="status" data-testid="stale-note" data-computing={why.computing ? '1' : '0'}>
          Showing the previous result ({shownAs(r)}): {why.text}
        </p>
      )}
      <div className={`explore${stale ? ' stale' : ''}`} data-testid="explore" data-stale={stale ? '1' : '0'} aria-busy={computing || main.partial} {...pin}>
        <div className="explore-top">
          <AnswerView result={r} />
          <Panel id="phases" title="Phases in words">
            <ExploreViews panel="phases" result={r} {...hl} />
          </Panel>
        </div>
        <HighlightBar result={r} />
        <Panel id="tokens" title="Prompt tokens" hint="Coloured by segment: context, answer span, question, template. Hover a token to follow it through every view; click to pin.">
          {contextTokenCount(r) > 24 && (
            <div className="view-options">
              <ContextViewPicker result={r} groups={groups} />
            </div>
          )}
          <ExploreViews panel="tokens" result={r} {...hl} />
        </Panel>
        <Panel id="lens" title="Logit lens: where the answer surfaces">
          <div className="view-options">
            <label>
              Show{' '}
              <select value={page.view.lensMetric} onChange={(e) => setView({ lensMetric: e.target.value as LensMetric })} data-testid="lens-metric">
                <option value="prob">probability</option>
                <option value="logprob">log-probability</option>
                <option value="rank">rank</option>
              </select>
            </label>
          </div>
          <LensCoverage result={r} canComplete={!stale && !recorded && main.status === 'done'} onComplete={() => void completeLens()} />
          <ExploreViews panel="lens" result={r} {...hl} />
        </Panel>
        <Panel id="attention" title="Attention of the last token">
          <div className="view-options">
            <label>
              Head{' '}
              <select value={page.view.head ?? ''} onChange={(e) => setView({ head: e.target.value === '' ? null : Number(e.target.value) })} data-testid="attention-head">
                <option value="">mean of {H} heads</option>
                {Array.from({ length: H }, (_, h) => (
                  <option key={h} value={h}>
                    head {h}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ExploreViews panel="attention" result={r} {...hl} />
        </Panel>
        <Panel id="segments" title="Attention mass per segment">
          <div className="view-options">
            <label>
              Draw as{' '}
              <select value={page.view.segmentChart} onChange={(e) => setView({ segmentChart: e.target.value as 'stacked' | 'lines' })} data-testid="segment-mode">
                <option value="stacked">stacked bars</option>
                <option value="lines">lines</option>
              </select>
            </label>
          </div>
          <ExploreViews panel="segments" result={r} {...hl} />
        </Panel>
        {page.analyses.knockout && (
          <Panel id="knockout" title="Attention knockout" badge={ko && ko !== r ? <Previous what="knockout" /> : null}>
            {ko ? (
              // one tree for the current and the stand-in result: switching between them redraws, never remounts
              <div className={ko !== r ? 'stale' : undefined}>
                <ExploreViews panel="knockout" result={ko} {...(ko === r ? hl : still)} />
              </div>
            ) : (
              <p className="muted" data-testid="knockout-pending">
                {main.partial ? 'The knockout sweep is running…' : 'Not computed for this result.'}
              </p>
            )}
          </Panel>
        )}
        {page.analyses.relevance && (
          <Panel id="relevance" title="Relevance (AttnLRP)" badge={rel && rel !== r ? <Previous what="relevance" /> : null}>
            {rel ? (
              <div className={rel !== r ? 'stale' : undefined}>
                <ExploreViews panel="relevance" result={rel} {...(rel === r ? hl : still)} />
              </div>
            ) : (
              <p className="muted" data-testid="relevance-pending">{main.partial ? 'The relevance pass is running…' : 'Not computed for this result.'}</p>
            )}
          </Panel>
        )}
      </div>
    </>
  );
}
