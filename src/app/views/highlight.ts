// The highlight shared by every view: hovering a layer or a token in one view outlines it in
// all of them. Pinned layer / token come from PageState.view and are merged in by the store
// (state/store.ts effectiveHighlight).
export type Highlight = { layer: number | null; token: number | null };
