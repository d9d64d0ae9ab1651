// Compare two models on the same input: lens, attention, knockout and relevance side by side
// (rows aligned by relative depth, shared colour scales), or B − A in diff mode.
import { useMemo } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { COMPARE_KINDS, diffModel, KIND_TITLE, layerMapAtoB, sideBySide, type CompareKind } from '../../viz/compare/data';
import { modelName } from '../../viz/common/model-name';
import { HeatmapFrame } from './HeatmapFrame';
import type { Highlight } from './highlight';
import './views.css';

export interface CompareViewProps {
  a: AnalysisResult;
  b: AnalysisResult;
  diff: boolean;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  /** which analyses to show (default: all four, those missing from a result are skipped) */
  kinds?: CompareKind[];
}

export function CompareView({ a, b, diff, highlight, onHighlight, kinds = COMPARE_KINDS }: CompareViewProps) {
  const La = a.model.numLayers;
  const Lb = b.model.numLayers;
  const toB = useMemo(() => layerMapAtoB(La, Lb), [La, Lb]);
  const toA = useMemo(() => layerMapAtoB(Lb, La), [La, Lb]);
  const sections = useMemo(
    () => kinds.map((kind) => ({ kind, side: diff ? null : sideBySide(a, b, kind), diff: diff ? diffModel(a, b, kind) : null })),
    [a, b, diff, kinds],
  );
  const aligned = La !== Lb;
  return (
    <section className="xv-compare" data-testid="compare-view" data-diff={diff ? 'true' : 'false'} aria-label="Compare two models">
      <p className="xv-side">
        <strong>A</strong>: {modelName(a.model.id)} ({La} layers, answer “<bdi>{a.generation?.answer ?? '…'}</bdi>”, EM {a.generation?.exactMatch ?? '…'}) · <strong>B</strong>:{' '}
        {modelName(b.model.id)} ({Lb} layers, answer “<bdi>{b.generation?.answer ?? '…'}</bdi>”, EM {b.generation?.exactMatch ?? '…'})
        {aligned ? ' — rows aligned by relative depth (layer l of A faces layer round(l·LB/LA) of B).' : ''}
      </p>
      {sections.map(({ kind, side, diff: d }) => {
        if (diff) {
          return (
            <div key={kind} data-kind={kind}>
              <h4>{KIND_TITLE[kind]}</h4>
              {d && d.model ? (
                <HeatmapFrame model={d.model} testId={`compare-${kind}-diff`} highlight={highlight} onHighlight={onHighlight} />
              ) : (
                <p className="xv-empty">{d?.reason}</p>
              )}
            </div>
          );
        }
        if (!side) {
          return (
            <div key={kind} data-kind={kind}>
              <h4>{KIND_TITLE[kind]}</h4>
              <p className="xv-empty">Not in both results.</p>
            </div>
          );
        }
        const gridHeight = 14 * Math.max(side.a.rows.length, side.b.rows.length);
        const sa = { ...side.a, title: `A · ${La} layers` };
        const sb = { ...side.b, title: `B · ${Lb} layers` };
        return (
          <div key={kind} data-kind={kind}>
            <h4>{KIND_TITLE[kind]}</h4>
            <div className="xv-compare-row">
              <div>
                <p className="xv-side">A: {modelName(a.model.id)}</p>
                <HeatmapFrame model={sa} testId={`compare-${kind}-a`} highlight={highlight} onHighlight={onHighlight} gridHeight={gridHeight} />
              </div>
              <div>
                <p className="xv-side">B: {modelName(b.model.id)}</p>
                <HeatmapFrame
                  model={sb}
                  testId={`compare-${kind}-b`}
                  highlight={highlight}
                  onHighlight={onHighlight}
                  gridHeight={gridHeight}
                  mapLayer={toB}
                  unmapLayer={toA}
                />
              </div>
            </div>
          </div>
        );
      })}
    </section>
  );
}
