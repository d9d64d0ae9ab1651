// Alerts: URL notices (ignored parameters), input problems, and engine errors. Every error
// leaves the page usable: change anything and it runs again.
import { customProblem } from '../state/input';
import { useAppStore } from '../state/store';

export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  if (!notices.length) return null;
  return (
    <div className="alert notice" role="alert" data-testid="url-notice">
      <strong>Some settings in the page address were ignored:</strong>
      <ul>
        {notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

export function ErrorBox({ which, testId = 'error' }: { which: 'main' | 'compare' | 'matrix'; testId?: string }) {
  const error = useAppStore((s) => s[which].error);
  const dismiss = useAppStore((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="alert error" role="alert" data-testid={testId}>
      <p>{error}</p>
      <button type="button" onClick={() => dismiss(which)}>
        Dismiss
      </button>
    </div>
  );
}

export function InputProblem() {
  const problem = useAppStore((s) => s.inputProblem);
  // a problem with the custom text is said once, under its field in the editor
  const inEditor = useAppStore((s) => s.page.custom !== null && customProblem(s.page.custom) !== null);
  if (!problem || inEditor) return null;
  return (
    <div className="alert error" role="alert" data-testid="input-problem">
      <p>{problem}</p>
    </div>
  );
}
