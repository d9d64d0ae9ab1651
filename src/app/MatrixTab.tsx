// Matrix: the model over an example set for every (context language, question language) pair.
// Progress per cell and cancel; a cancelled run keeps its finished cells; clicking a cell
// opens that pair in Explore.
import { useId } from 'react';
import { CATALOG } from '../data/catalog';
import { LANGUAGE_LIST, type LangCode } from '../data/languages';
import { useAppStore, type MatrixSet } from '../state/store';
import { XQUAD_QUESTIONS } from '../data/xquad';
import { ErrorBox } from './ErrorBox';
import { ProgressView } from './ProgressView';
import { matrixComputed, metricNeeds, type PairMetric } from '../viz/pair-matrix/data';
import { PairMatrix } from './views';

type Metric = PairMetric;
const METRICS: [Metric, string][] = [
  ['f1', 'F1'],
  ['exactMatch', 'Exact match'],
  ['targetProb', 'Target probability'],
  ['questionDepth', 'Question-encoding depth (knockout)'],
  ['answerDepth', 'Answer-retrieval depth (knockout)'],
  ['questionDepthStd', 'Phasing stability: spread of the question depth'],
  ['answerDepthStd', 'Phasing stability: spread of the answer depth'],
  ['questionMrd', 'Question MRD (relevance)'],
  ['answerMrd', 'Answer MRD (relevance)'],
  ['questionMrdStd', 'Phasing stability: spread of the question MRD'],
  ['answerMrdStd', 'Phasing stability: spread of the answer MRD'],
];

function LangSet({ legend, value, onChange, testId }: { legend: string; value: LangCode[]; onChange: (v: LangCode[]) => void; testId: string }) {
  return (
    <fieldset className="lang-set" data-testid={testId}>
      <legend>{legend}</legend>
      {LANGUAGE_LIST.map((l) => (
        <label key={l.code} title={l.name}>
          <input
            type="checkbox"
            checked={value.includes(l.code)}
            onChange={(e) => {
              const next = e.target.checked ? [...value, l.code] : value.filter((c) => c !== l.code);
              if (next.length) onChange(LANGUAGE_LIST.map((x) => x.code).filter((c) => next.includes(c)));
            }}
            aria-label={`${l.name} (${l.code})`}
          />
          <span lang={l.code}>{l.code}</span>
        </label>
      ))}
      <button type="button" className="small" onClick={() => onChange(LANGUAGE_LIST.map((l) => l.code))}>
        all 12
      </button>
    </fieldset>
  );
}

export function MatrixTab() {
  const id = useId();
  const page = useAppStore((s) => s.page);
  const matrix = useAppStore((s) => s.matrix);
  const setPage = useAppStore((s) => s.setPage);
  const runMatrix = useAppStore((s) => s.runMatrix);
  const cancel = useAppStore((s) => s.cancel);
  const setOpts = useAppStore((s) => s.setMatrixOptions);
  const metric = matrix.metric;
  const setMetric = (m: Metric) => setOpts({ metric: m });
  const m = page.matrix;
  const setM = (patch: Partial<typeof m>) => setPage((s) => ({ ...s, matrix: { ...s.matrix, ...patch } }));
  const busy = matrix.status === 'loading' || matrix.status === 'running';
  const ran = matrix.result ? matrixComputed(matrix.result) : { depths: false, mrd: false };
  const available = matrix.set === 'xquad' ? XQUAD_QUESTIONS : CATALOG.filter((e) => e.set === matrix.set).length;
  const skipped = matrix.result?.cells.reduce((n, c) => n + (c.skippedTooLong?.length ?? 0), 0) ?? 0;
  const open = (cl: string, ql: string) => {
    const ids = matrix.result?.exampleIds ?? [];
    setPage((s) => ({
      ...s,
      tab: 'explore',
      contextLang: cl as LangCode,
      questionLang: ql as LangCode,
      custom: null,
      example: s.example && ids.includes(s.example) ? s.example : (ids[0] ?? s.example),
    }));
    // Explore starts at its top (the tab bar), not at the matrix's scroll position mid-page
    const tabs = document.querySelector<HTMLElement>('[role="tablist"]');
    tabs?.scrollIntoView({ block: 'start' });
    document.getElementById('tab-explore')?.focus({ preventScroll: true });
  };
  return (
    <div className="matrix-tab">
      <form
        className="controls"
        aria-label="Pair matrix"
        onSubmit={(e) => {
          e.preventDefault();
          void runMatrix();
        }}
      >
        <div className="controls-row">
          <LangSet legend="Context languages" value={m.contextLangs} onChange={(contextLangs) => setM({ contextLangs })} testId="matrix-context-langs" />
          <LangSet legend="Question languages" value={m.questionLangs} onChange={(questionLangs) => setM({ questionLangs })} testId="matrix-question-langs" />
        </div>
        <div className="controls-row">
          <div className="field">
            <label htmlFor={`${id}-set`}>Examples</label>
            <select id={`${id}-set`} value={matrix.set} onChange={(e) => setOpts({ set: e.target.value as MatrixSet })} data-testid="matrix-set" aria-describedby={`${id}-set-hint`}>
              <option value="tiny">tiny-model set</option>
              <option value="parallel">parallel set</option>
              <option value="xquad">XQuAD sample (the paper's benchmark)</option>
            </select>
            {matrix.set === 'xquad' && (
              <span className="hint" id={`${id}-set-hint`}>
                the first “How many” questions of a fixed shuffle (seed 0), as <code>xlens matrix --set xquad --count n</code>
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-n`}>How many</label>
            <input
              id={`${id}-n`}
              type="number"
              min={1}
              max={Math.max(1, available)}
              value={matrix.count}
              onChange={(e) => setOpts({ count: Math.max(1, Math.min(available || 1, Number(e.target.value) || 1)) })}
              data-testid="matrix-count"
            />
          </div>
          <label className="check">
            <input type="checkbox" checked={m.depths} onChange={(e) => setM({ depths: e.target.checked })} data-testid="matrix-depths" /> Phase depths (knockout sweeps; slower)
          </label>
          <label className="check">
            <input type="checkbox" checked={matrix.mrd} onChange={(e) => setOpts({ mrd: e.target.checked })} data-testid="matrix-mrd" /> Major Relevance Depths (relevance
            pass; slower)
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="matrix-run">
            Run {m.contextLangs.length} × {m.questionLangs.length} matrix
          </button>
          <span className="hint">
            {m.contextLangs.length * m.questionLangs.length * Math.min(matrix.count, available)} analyses on {page.model.kind === 'bundled' ? page.model.name : page.model.repo}
          </span>
          {busy && matrix.total > 0 && (
            <span className="matrix-progress" data-testid="matrix-progress" role="status">
              <progress value={matrix.done} max={matrix.total} aria-label={`${matrix.done} of ${matrix.total} cells`} /> {matrix.done} of {matrix.total} cells
            </span>
          )}
          <ProgressView status={matrix.status} progress={busy && matrix.progress ? matrix.progress : busy ? { phase: 'compute', label: `cell ${matrix.done + 1} of ${matrix.total}`, loaded: matrix.done, total: matrix.total } : null} onCancel={() => cancel('matrix')} what="Pair matrix" testId="matrix-status" />
        </div>
      </form>
      <ErrorBox which="matrix" testId="matrix-error" />
      {matrix.result && (
        <section className="panel" aria-label="Pair matrix result" data-testid="matrix-result" data-complete={matrix.result.complete ? '1' : '0'}>
          <div className="view-options">
            <label>
              Metric{' '}
              <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)} data-testid="matrix-metric">
                {METRICS.map(([v, label]) => {
                  // a metric this run did not compute is offered, but says why it is empty
                  const need = metricNeeds(v);
                  const absent = need !== null && !ran[need];
                  return (
                    <option key={v} value={v} disabled={absent}>
                      {label}
                      {absent ? (need === 'mrd' ? ' — not computed: tick Major Relevance Depths and run' : ' — not computed: tick Phase depths and run') : ''}
                    </option>
                  );
                })}
              </select>
            </label>
            {!matrix.result.complete && <span className="hint"> Partial: {matrix.result.cells.length} of {matrix.total || matrix.result.contextLangs.length * matrix.result.questionLangs.length} cells.</span>}
          </div>
          {skipped > 0 && (
            <p className="hint warn" data-testid="matrix-skipped">
              {skipped} of {skipped + matrix.result.cells.reduce((n, c) => n + c.n, 0)} analyses were skipped because the prompt is longer than the model accepts; each cell's numbers are over the
              rest (hover a cell for its count).
            </p>
          )}
          <PairMatrix matrix={matrix.result} metric={metric} onOpenCell={open} />
          <p className="hint">Click a cell to open that language pair in Explore.</p>
        </section>
      )}
    </div>
  );
}
