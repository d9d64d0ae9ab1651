// "Import JSON": read a result file, validate it (result-file.ts), then hand it to the app.
// Problems are listed in role="alert"; file text is never interpreted as HTML.
import { useId, useRef, useState } from 'react';
import type { XlensResult } from '../../engine/result';
import type { PageState } from '../../state/page-state';
import { parseResultJSON } from '../../state/result-file';
import { isolateName } from '../../state/text-safety';
import { MAX_IMPORT_BYTES, stateForResult } from './share-logic';

export interface ImportResultProps {
  state: PageState;
  onImport(result: XlensResult, state: PageState): void;
}

export async function readResultFile(file: File, state: PageState): Promise<{ ok: true; result: XlensResult; state: PageState } | { ok: false; errors: string[] }> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, errors: [`${isolateName(file.name)} is ${(file.size / 1048576).toFixed(1)} MB; result files are at most 20 MB.`] };
  let text: string;
  try {
    // not file.text(): it drops a byte-order mark, and a file that starts with two must be seen as such
    text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(await file.arrayBuffer());
  } catch (e) {
    return { ok: false, errors: [e instanceof TypeError ? `${isolateName(file.name)} is not UTF-8 text; xlens saves result files as UTF-8 JSON.` : `${isolateName(file.name)} could not be read.`] };
  }
  const r = parseResultJSON(text);
  if (!r.ok) return r;
  return { ok: true, result: r.result, state: stateForResult(state, r.result) };
}

export function ImportResult({ state, onImport }: ImportResultProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [status, setStatus] = useState('');
  return (
    <div className="import-result">
      <button type="button" onClick={() => input.current?.click()} aria-describedby={`${id}-hint`} data-testid="import-json-button">
        Import JSON…
      </button>
      <span id={`${id}-hint`} className="visually-hidden">
        Opens a result file saved from xlens
      </span>
      <input
        id={id}
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        tabIndex={-1}
        data-testid="import-json"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          const el = e.currentTarget;
          if (!file) return;
          setErrors([]);
          setStatus(`Reading ${isolateName(file.name)}…`);
          const r = await readResultFile(file, state);
          // the file is read and checked (DevTools timelines and the long-result test see where the drawing starts)
          performance.mark('xlens:import-checked');
          el.value = '';
          if (!r.ok) {
            setStatus('');
            setErrors([`${isolateName(file.name)} was not loaded:`, ...r.errors]);
            return;
          }
          setStatus(`Loaded ${isolateName(file.name)}.`);
          // hand the result over in a task of its own: reading and checking a large file is
          // one long task already; the views draw after it (and the status can paint)
          await new Promise((resolve) => setTimeout(resolve, 0));
          onImport(r.result, r.state);
        }}
      />
      <span role="status" className="status" data-testid="import-status">
        {status}
      </span>
      {errors.length > 0 && (
        <div className="alert error" role="alert" data-testid="import-errors">
          <ul>
            {errors.map((m, i) => (
              <li key={i} dir="auto">
                {m}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setErrors([])}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
