// The guided lesson beside the live views: the step's title and text, "Step n of N", Back and
// Next (also the ← and → keys anywhere on the page while the lesson is open, unless a text field
// or a list has the focus, or a focused view uses the key itself), and a permalink to this step. The
// app renders the views named by the step's `show` next to it and applies the state this panel
// hands to onNavigate. Lesson text is plain text, rendered as text.
import { useEffect, useId, useRef, useState } from 'react';
import { clampStep, LESSON, lessonState, type LessonStep } from '../../state/lesson';
import type { PageState } from '../../state/page-state';
import { encodeStateLink } from '../../state/permalink';
import type { UrlRuntime } from '../../state/url-state';
import './lesson.css';

export interface LessonPanelProps {
  /** the current page; its lessonStep is the step shown */
  state: PageState;
  /** apply the page of another step (already validated) */
  onNavigate(next: PageState): void;
  /** leave the lesson (e.g. back to the explore tab); the button is hidden without it */
  onExit?(): void;
  steps?: readonly LessonStep[];
  /** page address for the step links; defaults to location.origin + location.pathname */
  base?: string;
  runtime?: Partial<UrlRuntime>;
  /** the pair matrix has results (a step's "click a cell" makes sense only then) */
  matrixReady?: boolean;
}

/** where ← and → belong to the focused control, not to the lesson */
function keepsArrows(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT') return !['checkbox', 'button', 'submit', 'reset'].includes((el as HTMLInputElement).type);
  return false;
}

export function LessonPanel({ state, onNavigate, onExit, steps = LESSON, base, runtime, matrixReady = false }: LessonPanelProps) {
  const n = clampStep(state.lessonStep, steps);
  const step = steps[n];
  const headingId = useId();
  const [copied, setCopied] = useState('');
  const go = (i: number) => {
    setCopied('');
    onNavigate(lessonState(state, i, steps));
  };
  const pageBase = base ?? (typeof window !== 'undefined' ? `${window.location.origin}${window.location.pathname}` : '/');
  const link = encodeStateLink(lessonState(state, n, steps), pageBase, runtime);
  const last = n === steps.length - 1;
  // the page-wide keys: after the focused element had its say (tabs and views use arrows too)
  const goRef = useRef(go);
  goRef.current = go;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || keepsArrows(e.target)) return;
      if (e.key === 'ArrowRight' && !last) {
        e.preventDefault();
        goRef.current(n + 1);
      } else if (e.key === 'ArrowLeft' && n > 0) {
        e.preventDefault();
        goRef.current(n - 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [n, last]);
  return (
    <aside
      className="lesson-panel"
      aria-labelledby={headingId}
      data-testid="lesson-panel"
      data-step={n}
    >
      <p className="lesson-progress" data-testid="lesson-step">
        Lesson · step {n + 1} of {steps.length}
      </p>
      <h2 id={headingId} data-testid="lesson-title">
        {step.title}
      </h2>
      <div aria-live="polite">
        <p className="lesson-body" data-testid="lesson-body">
          {step.body}
        </p>
        {step.action && (
          <p className="lesson-action" data-testid="lesson-action">
            {matrixReady ? step.action.withMatrix : step.action.beforeMatrix}
          </p>
        )}
      </div>
      <nav className="lesson-nav" aria-label="Lesson steps">
        <button type="button" onClick={() => go(n - 1)} disabled={n === 0} data-testid="lesson-prev">
          ← Back
        </button>
        <ol className="lesson-dots">
          {steps.map((s, i) => (
            <li key={s.id}>
              <button type="button" aria-current={i === n ? 'step' : undefined} aria-label={`Step ${i + 1}: ${s.title}`} onClick={() => go(i)} data-testid={`lesson-goto-${i}`}>
                {i + 1}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="primary" onClick={() => (last ? onExit?.() : go(n + 1))} disabled={last && !onExit} data-testid="lesson-next">
          {last ? 'Finish' : 'Next →'}
        </button>
      </nav>
      <p className="lesson-link">
        <a href={link} data-testid="lesson-permalink">
          Link to this step
        </a>{' '}
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(link);
              setCopied('Copied.');
            } catch {
              setCopied('Right-click the link to copy it.');
            }
          }}
          data-testid="lesson-copy-link"
        >
          Copy
        </button>{' '}
        <span role="status">{copied}</span>
      </p>
      {onExit && !last && (
        <button type="button" className="lesson-exit" onClick={onExit} data-testid="lesson-exit">
          Leave the lesson
        </button>
      )}
    </aside>
  );
}
