// Shows what is highlighted or pinned, and pins the hovered layer / token on click or Enter.
import type { AnalysisResult } from '../engine/result';
import { useAppStore } from '../state/store';

/** props for a container: click (or Enter inside a view) pins the hovered layer and token */
export function usePinOnClick() {
  const pinHover = () => {
    const s = useAppStore.getState();
    const h = s.hover;
    if (h.layer === null && h.token === null) return;
    s.setView({ pinnedLayer: h.layer, pinnedToken: h.token });
  };
  return {
    onClick: (e: React.MouseEvent) => {
      if ((e.target as HTMLElement).closest('button, select, input, a, label')) return;
      pinHover();
    },
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Enter' && (e.target as HTMLElement).getAttribute('role') === 'img') pinHover();
    },
  };
}

export function HighlightBar({ result }: { result: AnalysisResult }) {
  const view = useAppStore((s) => s.page.view);
  const setView = useAppStore((s) => s.setView);
  const hasPin = view.pinnedLayer !== null || view.pinnedToken !== null;
  const tok = view.pinnedToken !== null ? result.prompt.tokens[view.pinnedToken] : undefined;
  return (
    <div className="highlight-bar" data-testid="pin-bar">
      {hasPin ? (
        <>
          <span>
            Pinned:{view.pinnedLayer !== null && <> layer {view.pinnedLayer === 0 ? 'emb' : view.pinnedLayer}</>}
            {tok && (
              <>
                {' '}
                token {view.pinnedToken} <bdi className="token-text">{JSON.stringify(tok.text)}</bdi>
              </>
            )}
          </span>
          <button type="button" onClick={() => setView({ pinnedLayer: null, pinnedToken: null })} data-testid="clear-pin">
            Clear pin
          </button>
        </>
      ) : (
        <span className="hint">Hover a view to highlight a layer and a token everywhere; click (or press Enter on a focused view) to pin them.</span>
      )}
    </div>
  );
}
