// The guided lesson beside the live views: the step's title and text, "Step n of N", Back and
// Next (also the ← and → keys while the panel has focus), and a permalink to this step. The
// app renders the views named by the step's `show` next to it and applies the state this panel
// hands to onNavigate. Lesson text is plain text, rendered as text.
import { useId, useState } from 'react';
import { clampStep, LESSON, lessonState, type LessonStep } from '../../data/lesson';
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
}

export function LessonPanel({ state, onNavigate, onExit, steps = LESSON, base, runtime }: LessonPanelProps) {
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
  return (
    <aside
      className="lesson-panel"
      aria-labelledby={headingId}
      data-testid="lesson-panel"
      data-step={n}
      onKeyDown={(e) => {
        const t = e.target as HTMLElement;
        if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable || e.altKey || e.ctrlKey || e.metaKey) return;
        if (e.key === 'ArrowRight' && !last) {
          e.preventDefault();
          go(n + 1);
        } else if (e.key === 'ArrowLeft' && n > 0) {
          e.preventDefault();
          go(n - 1);
        }
      }}
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
