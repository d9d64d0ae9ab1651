// Alerts: URL notices (ignored settings), a link's result that was not loaded, input problems,
// and engine errors. Every error leaves the page usable: change anything and it runs again.
// Messages hold data (parameter values, model ids, hosts) isolated and with their control
// characters shown (state/text-safety.ts); each item is also its own bidi isolate here.
import { customProblem } from '../state/input';
import { useAppStore } from '../state/store';

function NoticeList({ title, items, onDismiss, testId }: { title: string; items: string[]; onDismiss(): void; testId: string }) {
  return (
    <div className="alert notice" role="alert" data-testid={testId}>
      <strong>{title}</strong>
      <ul>
        {items.map((n, i) => (
          <li key={i} dir="auto">
            {n}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const resultNotices = useAppStore((s) => s.resultNotices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  return (
    <>
      {resultNotices.length > 0 && <NoticeList title="The result in this link was not loaded:" items={resultNotices} onDismiss={() => dismiss('result')} testId="result-notice" />}
      {notices.length > 0 && <NoticeList title="Some settings in the page address were ignored:" items={notices} onDismiss={() => dismiss('settings')} testId="url-notice" />}
    </>
  );
}

export function ErrorBox({ which, testId = 'error' }: { which: 'main' | 'compare' | 'matrix'; testId?: string }) {
  const error = useAppStore((s) => s[which].error);
  const dismiss = useAppStore((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="alert error" role="alert" data-testid={testId}>
      <p dir="auto">{error}</p>
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
      <p dir="auto">{problem}</p>
    </div>
  );
}
