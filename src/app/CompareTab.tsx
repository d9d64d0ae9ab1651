import { useShallow } from 'zustand/react/shallow';
// Compare: the same input through two models side by side (default: the tiny base model vs
// the tiny post-trained one); B − A in difference mode.
import { effectiveHighlight, useAppStore } from '../state/store';
import { modelLabel } from '../state/input';
import { DEFAULT_COMPARE_MODEL } from '../state/page-state';
import { ErrorBox } from './ErrorBox';
import { ModelPicker } from './ModelPicker';
import { ProgressView } from './ProgressView';
import { CompareView } from './views';

export function CompareTab() {
  const page = useAppStore((s) => s.page);
  const main = useAppStore((s) => s.main);
  const cmp = useAppStore((s) => s.compare);
  const setPage = useAppStore((s) => s.setPage);
  const cancel = useAppStore((s) => s.cancel);
  const highlight = useAppStore(useShallow(effectiveHighlight));
  const setHover = useAppStore((s) => s.setHover);
  const a = cmp.result;
  const b = main.result;
  const stale = cmp.resultKey !== cmp.wantKey || main.status === 'running' || main.status === 'loading';
  return (
    <div className="compare-tab">
      <div className="controls">
        <div className="controls-row">
          <ModelPicker
            label="Model A (compared with)"
            value={page.compare.model ?? DEFAULT_COMPARE_MODEL}
            onChange={(model) => setPage((s) => ({ ...s, compare: { ...s.compare, model } }))}
            testId="compare-model"
          />
          <div className="field">
            <span className="field-label">Model B (the main model)</span>
            <span data-testid="compare-model-b">{modelLabel(page.model)}</span>
          </div>
          <label className="check">
            <input type="checkbox" checked={page.compare.diff} onChange={(e) => setPage((s) => ({ ...s, compare: { ...s.compare, diff: e.target.checked } }))} data-testid="compare-diff" />{' '}
            Difference (B − A)
          </label>
        </div>
        <div className="actions">
          <ProgressView status={cmp.status} progress={cmp.progress} onCancel={() => cancel('compare')} what="Model A" testId="compare-progress" />
        </div>
      </div>
      <ErrorBox which="compare" testId="compare-error" />
      {a && b ? (
        <div className={stale ? 'stale' : ''} data-testid="compare-wrap">
          <CompareView a={a} b={b} diff={page.compare.diff} highlight={highlight} onHighlight={setHover} />
        </div>
      ) : (
        <p className="empty">Both models analyse the input chosen above; the comparison appears when both have answered.</p>
      )}
    </div>
  );
}
