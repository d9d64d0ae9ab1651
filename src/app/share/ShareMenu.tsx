// Share and export: copy a link (page only, or with the results embedded and compressed),
// download each view as SVG or PNG, the result as JSON or CSV, and import a result file.
// The link is always shown in a read-only field too, so it can be copied by hand when the
// clipboard is not available.
import { useRef, useState } from 'react';
import type { XlensResult } from '../../engine/result';
import type { PageState } from '../../state/page-state';
import { encodePermalink, encodeStateLinkCompressed, tooLargeMessage, URL_BUDGET, type Recorded } from '../../state/permalink';
import type { UrlRuntime } from '../../state/url-state';
import { downloadCSV, downloadJSON, downloadPNG, downloadSVG } from '../../viz/export';
import { ImportResult } from './ImportResult';
import { formatSize } from './share-logic';
import './share.css';

export interface ShareMenuProps {
  state: PageState;
  result: XlensResult | null;
  /** the views on screen that can be exported; each builds its SVG only when asked */
  views: ExportEntry[];
  onImport(result: XlensResult, state: PageState): void;
  /** the recorded stamp to embed (defaults to the result's model, backend, date) */
  recorded?: Recorded;
  /** runtime options to keep in links (a non-default hub base) */
  runtime?: Partial<UrlRuntime>;
  /** page address without query or fragment; defaults to location.origin + location.pathname */
  base?: string;
}

/** one exportable view: a file-name id, its title on the page, and its SVG (built on demand) */
export interface ExportEntry {
  name: string;
  title: string;
  svg(): string;
}

type LinkInfo = { kind: 'state' | 'results'; url: string; size: number; tooLarge: boolean; note: string };

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40);

/** a view's SVG, built now; a view that has nothing to draw says so */
function buildSVG(v: ExportEntry): string {
  const svg = v.svg();
  if (!svg) throw new Error(`${v.title} has nothing to draw for this result`);
  return svg;
}

export function ShareMenu({ state, result, views, onImport, recorded, runtime, base }: ShareMenuProps) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<LinkInfo | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const pageBase = () => base ?? `${window.location.origin}${window.location.pathname}`;

  const run = async (what: string, f: () => Promise<void> | void) => {
    setError('');
    setStatus('');
    setBusy(true);
    try {
      await f();
    } catch (e) {
      setError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const copyState = () =>
    run('Copying the link', async () => {
      const url = await encodeStateLinkCompressed(state, pageBase(), runtime);
      setLink({ kind: 'state', url, size: url.length, tooLarge: url.length > URL_BUDGET, note: url.length > URL_BUDGET ? 'This link is long; some apps may cut it.' : '' });
      setStatus((await copy(url)) ? 'Link copied.' : 'Copy the link below.');
    });

  const copyResults = () =>
    run('Making the link', async () => {
      if (!result) return;
      const e = await encodePermalink(state, { base: pageBase(), result, recorded, runtime });
      if (e.tooLarge) {
        setLink({ kind: 'results', url: e.url, size: e.length, tooLarge: true, note: tooLargeMessage(e) });
        setStatus('');
        return;
      }
      setLink({ kind: 'results', url: e.url, size: e.length, tooLarge: false, note: `Results embedded: ${formatSize(e.length)} of at most ${formatSize(e.budget)}. They stay in the link's #fragment, which is never sent to a server.` });
      setStatus((await copy(e.url)) ? 'Link with results copied.' : 'Copy the link below.');
    });

  return (
    <div
      className="share-menu"
      data-testid="share-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      <button type="button" ref={toggle} aria-expanded={open} aria-controls="share-panel" onClick={() => setOpen(!open)} data-testid="share-toggle">
        Share &amp; export
      </button>
      {open && (
        <div id="share-panel" className="share-panel" role="group" aria-label="Share and export" aria-busy={busy}>
          <div className="share-row">
            <button type="button" onClick={copyState} disabled={busy} data-testid="share-copy-link">
              Copy link
            </button>
            <button type="button" onClick={copyResults} disabled={busy || !result} data-testid="share-copy-results" title={result ? '' : 'Run an analysis first'}>
              Copy link with results
            </button>
          </div>
          {link && (
            <div className="share-link">
              <input type="text" readOnly value={link.url} aria-label="Link" onFocus={(e) => e.currentTarget.select()} data-testid="share-link-output" data-kind={link.kind} data-too-large={link.tooLarge ? '1' : '0'} />
              <p className={link.tooLarge ? 'hint warn' : 'hint'} data-testid="share-size">
                {link.note || `${formatSize(link.size)}.`}
              </p>
              {link.tooLarge && link.kind === 'results' && result && (
                <button type="button" onClick={() => run('Downloading', () => downloadJSON(result))} data-testid="share-download-result">
                  Download result file
                </button>
              )}
            </div>
          )}
          <div className="share-row" role="group" aria-label="Export the result">
            <button type="button" onClick={() => result && run('Export', () => downloadJSON(result))} disabled={!result} data-testid="export-json">
              JSON
            </button>
            <button type="button" onClick={() => result && run('Export', () => downloadCSV(result))} disabled={!result} data-testid="export-csv">
              CSV
            </button>
          </div>
          {views.length > 0 && (
            <ul className="share-views" aria-label="Export views">
              {views.map((v) => (
                <li key={v.name}>
                  <span>{v.title}</span>
                  <button type="button" onClick={() => run(`SVG export of ${v.title}`, () => downloadSVG(buildSVG(v), result, v.name))} aria-label={`${v.title} as SVG`} data-testid={`export-svg-${safeName(v.name)}`}>
                    SVG
                  </button>
                  <button type="button" onClick={() => run(`PNG export of ${v.title}`, () => downloadPNG(buildSVG(v), result, v.name))} disabled={busy} aria-label={`${v.title} as PNG`} data-testid={`export-png-${safeName(v.name)}`}>
                    PNG
                  </button>
                </li>
              ))}
            </ul>
          )}
          <ImportResult
            state={state}
            onImport={(r, s) => {
              setOpen(false);
              onImport(r, s);
            }}
          />
          <p role="status" className="status" data-testid="share-status">
            {status}
          </p>
          {error && (
            <p className="alert error" role="alert" data-testid="share-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
