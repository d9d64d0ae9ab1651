// Said once, politely: the scripts this browser has no font for (their text shows as boxes),
// and which fonts to install. Dismissed for good on this browser (until the missing set changes).
import { Fragment, useEffect, useState } from 'react';
import { LANGUAGE_INFO, type ScriptCode } from '../../data/languages';
import { SCRIPTS } from '../../data/scripts';
import { missingScripts } from './font-support';

const KEY = 'xlens.fontNotice.dismissed';

function dismissedFor(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function FontNotice() {
  const [missing, setMissing] = useState<ScriptCode[]>([]);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    let live = true;
    const check = () => {
      if (!live) return;
      const m = missingScripts(getComputedStyle(document.body).fontFamily);
      if (m.join(',') !== dismissedFor()) setMissing(m);
    };
    // after any web fonts have loaded
    if (document.fonts?.ready) void document.fonts.ready.then(check);
    else check();
    return () => {
      live = false;
    };
  }, []);
  if (!missing.length || hidden) return null;
  const scripts = missing.map((c) => SCRIPTS[c]);
  const langs = scripts.flatMap((s) => s.langs.map((l) => LANGUAGE_INFO[l].name));
  const fonts = [...new Set(scripts.flatMap((s) => s.fonts))];
  const packages = [...new Set(scripts.map((s) => s.packages[0]))];
  return (
    <div className="alert notice font-notice" role="status" data-testid="font-notice" data-missing={missing.join(',')}>
      <p>
        This browser has no font for {list(scripts.map((s) => s.name))} script{scripts.length === 1 ? '' : 's'}, so {list(langs)} text shows as empty boxes. Installing{' '}
        {list(fonts)} fixes that; on Debian or Ubuntu: <code>
          {['sudo apt install', ...packages].map((w, i) => (
            <Fragment key={w}>
              {i ? ' ' : ''}
              <span className="nowrap">{w}</span>
            </Fragment>
          ))}
        </code>, then restart the browser.
      </p>
      <button
        type="button"
        onClick={() => {
          setHidden(true);
          try {
            localStorage.setItem(KEY, missing.join(','));
          } catch {
            // private mode: hidden for this page only
          }
        }}
        data-testid="font-notice-dismiss"
      >
        Got it
      </button>
    </div>
  );
}
