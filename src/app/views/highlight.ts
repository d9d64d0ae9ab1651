// The highlight shared by every view: hovering a layer or a token in one view outlines it in
// all of them. Pinned layer / token come from PageState.view and are merged in by the app.
export type Highlight = { layer: number | null; token: number | null };

export const NO_HIGHLIGHT: Highlight = { layer: null, token: null };

export function sameHighlight(a: Highlight, b: Highlight): boolean {
  return a.layer === b.layer && a.token === b.token;
}

/** hover wins; where hover says nothing, the pinned value shows */
export function mergeHighlight(hover: Highlight, pinned: Highlight): Highlight {
  return { layer: hover.layer ?? pinned.layer, token: hover.token ?? pinned.token };
}
