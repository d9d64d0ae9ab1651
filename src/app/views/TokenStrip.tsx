// Token strip: every prompt token, coloured by segment; Arabic runs right to left inside their
// segment; byte pieces shown as "·". Hover or arrow keys highlight a token in every view.
import { useEffect, useMemo, useRef } from 'react';
import type { AnalysisResult } from '../../engine/result';
import { SEGMENT_COLOUR, SEGMENT_LABEL, SEGMENT_ORDER } from '../../viz/common/segments';
import type { TokenGroup } from '../../viz/common/token-groups';
import { tokenStripData, tokenTooltip } from '../../viz/token-strip/data';
import { drawTokenStrip, markToken } from '../../viz/token-strip/draw';
import { attachStripHover } from '../../viz/token-strip/hover';
import { queueDraw } from './frame-queue';
import type { Highlight } from './highlight';
import './views.css';

export interface TokenStripProps {
  result: AnalysisResult;
  /** long contexts by sentence (token-groups.ts); absent = every token */
  groups?: TokenGroup[];
  highlight: Highlight;
  onHighlight(h: Highlight): void;
}

export function TokenStrip({ result, groups, highlight, onHighlight }: TokenStripProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const stripRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const cb = useRef(onHighlight);
  cb.current = onHighlight;
  const hlRef = useRef(highlight.token);
  hlRef.current = highlight.token;
  const data = useMemo(() => tokenStripData(result, groups), [result, groups]);
  const present = SEGMENT_ORDER.filter((s) => data.tokens.some((t) => t.segment === s));

  useEffect(() => {
    const root = rootRef.current;
    const strip = stripRef.current;
    const tip = tipRef.current;
    if (!root || !strip || !tip) return;
    // drawn in an animation frame of its own (frame-queue.ts): every token of a long prompt is a thousand elements
    let handle: { destroy(): void } | null = null;
    const cancel = queueDraw(root, () => {
      drawTokenStrip(strip, data);
      markToken(strip, hlRef.current);
      handle = attachStripHover(root, strip, tip, data.tokens.map((t) => t.index), (t) => tokenTooltip(result, t, groups), (t) => cb.current({ layer: null, token: t }));
    });
    return () => {
      cancel();
      handle?.destroy();
    };
  }, [data, result, groups]);

  useEffect(() => {
    if (stripRef.current) markToken(stripRef.current, highlight.token);
  }, [highlight.token, data]);

  return (
    <figure className="xv-figure" aria-label="Prompt tokens">
      <div ref={rootRef} className="xv-tokens-wrap" style={{ position: 'relative' }} data-testid="token-strip" data-cols={data.tokens.length} data-grouped={data.tokens.length !== result.prompt.tokens.length ? '1' : '0'} role="img" aria-label={data.summary} tabIndex={0}>
        <div ref={stripRef} className="xv-tokens" />
        <div className="tooltip" ref={tipRef} hidden aria-live="polite" style={{ position: 'absolute' }} />
      </div>
      <div className="xv-key">
        {present.map((s) => (
          <span key={s} style={{ ['--swatch' as string]: SEGMENT_COLOUR[s] }}>
            {SEGMENT_LABEL[s]}
          </span>
        ))}
        <span style={{ ['--swatch' as string]: 'transparent' }}>␣ space · ↵ new line · “·” byte piece of the character before</span>
      </div>
    </figure>
  );
}
