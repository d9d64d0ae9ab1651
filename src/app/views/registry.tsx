// Every view of the page in one table: its export name and title, the src/viz module that draws
// its SVG, when it has something to show, and what the Explore tab renders for it. The export
// menu and the Explore tab's panels are derived from this list, so a new view is one entry here
// (registry.test.ts fails when a view is wired in one place only).
import { Fragment, type ReactNode } from 'react';
import type { AnalysisResult, MatrixResult } from '../../engine/result';
import type { LessonView } from '../../state/lesson';
import type { PageState } from '../../state/page-state';
import type { TokenGroup } from '../../viz/common/token-groups';
import type { PairMetric } from '../../viz/pair-matrix/data';
import { renderSVG as attentionSVG } from '../../viz/attention-heatmap/svg';
import { renderSVG as compareSVG } from '../../viz/compare/svg';
import { renderSVG as knockoutSVG } from '../../viz/knockout-heatmap/svg';
import { renderSVG as lensSVG } from '../../viz/lens-grid/svg';
import { renderSVG as mrdSVG } from '../../viz/mrd-chart/svg';
import { renderSVG as pairSVG } from '../../viz/pair-matrix/svg';
import { renderSVG as bandsSVG } from '../../viz/phase-bands/svg';
import { renderSVG as phaseSVG } from '../../viz/phase-summary/svg';
import { renderSVG as relevanceSVG } from '../../viz/relevance-heatmap/svg';
import { renderSVG as segmentSVG } from '../../viz/segment-chart/svg';
import { renderSVG as tokensSVG } from '../../viz/token-strip/svg';
import { AttentionHeatmap } from './AttentionHeatmap';
import type { Highlight } from './highlight';
import { KnockoutHeatmap } from './KnockoutHeatmap';
import { LensHeatmap } from './LensHeatmap';
import { MrdChart } from './MrdChart';
import { langName } from './PairMatrix';
import { PhaseBands } from './PhaseBands';
import { PhaseSummary } from './PhaseSummary';
import { RelevanceHeatmap } from './RelevanceHeatmap';
import { SegmentChart } from './SegmentChart';
import { TokenStrip } from './TokenStrip';

/** what every view is drawn from: the page's settings and the results on screen */
export interface ViewSource {
  page: PageState;
  /** the analysis on screen (model B of a comparison) */
  main: AnalysisResult | null;
  /** model A of the comparison */
  compare: AnalysisResult | null;
  matrix: MatrixResult | null;
  metric: PairMetric;
  /** a long context by sentence, as the page shows it; undefined = every token */
  groups: TokenGroup[] | undefined;
}

/** the panels of the Explore tab (ExploreTab.tsx lays them out, with their own controls) */
export type ExplorePanel = 'phases' | 'tokens' | 'lens' | 'attention' | 'segments' | 'knockout' | 'relevance';

/** what an Explore view gets: the result it draws (the previous input's while a sweep recomputes) and the shared highlight */
export interface ExploreViewProps {
  result: AnalysisResult;
  page: PageState;
  highlight: Highlight;
  onHighlight(h: Highlight): void;
  groups?: TokenGroup[];
}

export interface ViewEntry {
  /** export file and button name (`export-svg-<name>`, `export-png-<name>`) */
  name: string;
  /** the export menu's title */
  title: string;
  /** a title that depends on what is shown */
  titleFor?(s: ViewSource): string;
  /** the tab that shows it */
  tab: LessonView;
  /** the src/viz module whose svg.ts draws the export */
  viz: string;
  /** the data-testid of the view's root on the page */
  testId: string;
  /** whether the shown page and results have this view to export */
  exports(s: ViewSource): boolean;
  /** the SVG document (called only when `exports` holds) */
  svg(s: ViewSource): string;
  /** Explore views: the panel they are drawn in, and how */
  explore?: { panel: ExplorePanel; render(p: ExploreViewProps): ReactNode };
}

/** the attention head shown: the page's choice where the result has that head, else the mean */
function shownHead(page: PageState, r: AnalysisResult): number | null {
  const h = page.view.head;
  return h !== null && h < r.model.numHeads ? h : null;
}

const main = (s: ViewSource): AnalysisResult => s.main!;

/** in the order of the page (and of the export menu) */
export const VIEWS: readonly ViewEntry[] = [
  {
    name: 'pair-matrix',
    title: 'Language-pair matrix',
    tab: 'matrix',
    viz: 'pair-matrix',
    testId: 'pair-matrix',
    exports: (s) => s.matrix !== null,
    svg: (s) => pairSVG(s.matrix!, s.metric, { langName }),
  },
  {
    name: 'compare',
    title: 'Compare models',
    tab: 'compare',
    viz: 'compare',
    testId: 'compare-view',
    titleFor: (s) => (s.page.compare.diff ? 'Compare models (B − A)' : 'Compare models'),
    exports: (s) => s.main !== null && s.compare !== null,
    svg: (s) => compareSVG(s.compare!, main(s), s.page.compare.diff),
  },
  {
    name: 'phase-summary',
    title: 'Phases in words',
    tab: 'explore',
    viz: 'phase-summary',
    testId: 'phase-summary',
    exports: (s) => s.main !== null,
    svg: (s) => phaseSVG(main(s)),
    explore: { panel: 'phases', render: (p) => <PhaseSummary result={p.result} /> },
  },
  {
    name: 'phase-bands',
    title: 'Phase bands',
    tab: 'explore',
    viz: 'phase-bands',
    testId: 'phase-bands',
    exports: (s) => s.main !== null,
    svg: (s) => bandsSVG(main(s)),
    explore: { panel: 'phases', render: (p) => <PhaseBands result={p.result} /> },
  },
  {
    name: 'token-strip',
    title: 'Prompt tokens',
    tab: 'explore',
    viz: 'token-strip',
    testId: 'token-strip',
    exports: (s) => s.main !== null,
    svg: (s) => tokensSVG(main(s), { groups: s.groups }),
    explore: { panel: 'tokens', render: (p) => <TokenStrip result={p.result} highlight={p.highlight} onHighlight={p.onHighlight} groups={p.groups} /> },
  },
  {
    name: 'lens',
    title: 'Logit lens',
    tab: 'explore',
    viz: 'lens-grid',
    testId: 'lens-heatmap',
    exports: (s) => s.main !== null,
    svg: (s) => lensSVG(main(s), s.page.view.lensMetric, { groups: s.groups }),
    explore: {
      panel: 'lens',
      render: (p) => <LensHeatmap result={p.result} metric={p.page.view.lensMetric} highlight={p.highlight} onHighlight={p.onHighlight} groups={p.groups} />,
    },
  },
  {
    name: 'attention',
    title: 'Attention of the last token',
    tab: 'explore',
    viz: 'attention-heatmap',
    testId: 'attention-heatmap',
    exports: (s) => s.main !== null,
    svg: (s) => attentionSVG(main(s), shownHead(s.page, main(s)), { groups: s.groups }),
    explore: {
      panel: 'attention',
      render: (p) => <AttentionHeatmap result={p.result} head={shownHead(p.page, p.result)} highlight={p.highlight} onHighlight={p.onHighlight} groups={p.groups} />,
    },
  },
  {
    name: 'segment-chart',
    title: 'Attention mass per segment',
    tab: 'explore',
    viz: 'segment-chart',
    testId: 'segment-chart',
    exports: (s) => s.main !== null,
    svg: (s) => segmentSVG(main(s), s.page.view.segmentChart),
    explore: {
      panel: 'segments',
      render: (p) => <SegmentChart result={p.result} mode={p.page.view.segmentChart} highlight={p.highlight} onHighlight={p.onHighlight} />,
    },
  },
  {
    name: 'knockout',
    title: 'Attention knockout',
    tab: 'explore',
    viz: 'knockout-heatmap',
    testId: 'knockout-heatmap',
    exports: (s) => s.page.analyses.knockout && !!s.main?.knockout,
    svg: (s) => knockoutSVG(main(s)),
    explore: { panel: 'knockout', render: (p) => <KnockoutHeatmap result={p.result} highlight={p.highlight} onHighlight={p.onHighlight} /> },
  },
  {
    name: 'relevance',
    title: 'Relevance (AttnLRP)',
    tab: 'explore',
    viz: 'relevance-heatmap',
    testId: 'relevance-heatmap',
    exports: (s) => s.page.analyses.relevance && !!s.main?.relevance,
    svg: (s) => relevanceSVG(main(s), { groups: s.groups }),
    explore: { panel: 'relevance', render: (p) => <RelevanceHeatmap result={p.result} highlight={p.highlight} onHighlight={p.onHighlight} groups={p.groups} /> },
  },
  {
    name: 'mrd-chart',
    title: 'Cumulative relevance and MRD',
    tab: 'explore',
    viz: 'mrd-chart',
    testId: 'mrd-chart',
    exports: (s) => s.page.analyses.relevance && !!s.main?.relevance,
    svg: (s) => mrdSVG(main(s)),
    explore: { panel: 'relevance', render: (p) => <MrdChart result={p.result} /> },
  },
];

/** the views a tab shows that can be exported now; each SVG is built only when asked for */
export function exportableViews(shown: LessonView, s: ViewSource): { name: string; title: string; svg(): string }[] {
  return VIEWS.filter((v) => v.tab === shown && v.exports(s)).map((v) => ({
    name: v.name,
    title: v.titleFor?.(s) ?? v.title,
    svg: () => v.svg(s),
  }));
}

/** what the Explore tab draws in one panel, in registry order */
export function ExploreViews({ panel, ...p }: ExploreViewProps & { panel: ExplorePanel }) {
  return (
    <>
      {VIEWS.filter((v) => v.explore?.panel === panel).map((v) => (
        <Fragment key={v.name}>{v.explore!.render(p)}</Fragment>
      ))}
    </>
  );
}
