import { useAppStore } from '../state/store';

export function ErrorBox() {
  const error = useAppStore((s) => s.error);
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissError);
  return (
    <>
      {notices.length > 0 && (
        <div className="alert notice" role="alert" data-testid="url-notice">
          <strong>Some settings in the page address were ignored:</strong>
          <ul>
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <div className="alert error" role="alert" data-testid="error">
          <p>{error}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
