// The question before xlens contacts a hub other than the default one: a link may name a
// model's server, but only the user chooses to contact it. Modal (<dialog>), naming the host;
// nothing is fetched from it until "Allow". A host this copy's security policy does not permit
// cannot be allowed here; the dialog says how to permit it.
import { useEffect, useId, useRef, useState } from 'react';
import { DEFAULT_HUB } from '../state/hub-policy';
import { useAppStore } from '../state/store';
import './share/share.css';

export function HubApproval() {
  const q = useAppStore((s) => s.hubQuestion);
  const approve = useAppStore((s) => s.approveHub);
  const decline = useAppStore((s) => s.declineHub);
  const ref = useRef<HTMLDialogElement>(null);
  const [remember, setRemember] = useState(false);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (q && !d.open) d.showModal();
    if (!q && d.open) d.close();
  }, [q]);
  const defaultHost = new URL(DEFAULT_HUB).host;
  return (
    <dialog
      ref={ref}
      className="hub-approval"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid="hub-approval"
      onCancel={(e) => {
        // Escape means "no"
        e.preventDefault();
        decline();
      }}
    >
      {q && (
        <form method="dialog" onSubmit={(e) => e.preventDefault()}>
          <h2 id={`${id}-title`}>
            Download the model from <bdi data-testid="hub-approval-host">{q.host}</bdi>?
          </h2>
          <p id={`${id}-text`}>
            This page asks for the model <bdi>{q.repo}</bdi> from <bdi>{q.host}</bdi> ({q.base.startsWith('http:') ? 'a server on this computer' : 'a server other than the Hugging Face hub'}), not from {defaultHost}. xlens contacts it only if you allow it; a link alone never chooses the server.
          </p>
          {q.allowedByPolicy ? (
            <label className="hub-remember">
              <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} data-testid="hub-approval-remember" /> Remember <bdi>{q.host}</bdi> in this browser
            </label>
          ) : (
            <p className="hint warn" data-testid="hub-approval-blocked">
              This copy of xlens may not connect to <bdi>{q.host}</bdi>: its security policy allows only {defaultHost}
              {q.base.startsWith('http:') ? ' and servers on this computer' : ''}. To use this hub, run xlens with XLENS_HUBS={q.origin} (see the README).
            </p>
          )}
          <div className="hub-approval-actions">
            {q.allowedByPolicy && (
              <button type="button" className="primary" onClick={() => approve(remember)} data-testid="hub-approval-allow">
                Allow <bdi>{q.host}</bdi>
              </button>
            )}
            <button type="button" onClick={decline} data-testid="hub-approval-decline" autoFocus>
              Use {defaultHost} instead
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
