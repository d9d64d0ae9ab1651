// XQuAD in the browser: a language's file (public/data/xquad/<lang>.json) is fetched the first
// time an XQuAD item or sample needs that language, checked, and kept for the session. Nothing
// of it is in the main bundle.
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { parseXquad, XquadSet } from '../data/xquad';

const pending = new Map<LangCode, Promise<XquadSet>>();

function xquadUrl(lang: LangCode, base: string, origin: string): string {
  return new URL(`${base}data/xquad/${lang}.json`, origin).href;
}

/** the file of one language (one request per language and session; a failure may be retried) */
export function fetchXquad(lang: LangCode, base: string, origin: string): Promise<XquadSet> {
  let p = pending.get(lang);
  if (!p) {
    p = (async () => {
      const url = xquadUrl(lang, base, origin);
      let res: Response;
      try {
        res = await fetch(url);
      } catch {
        throw new Error(`Could not load the ${LANGUAGE_INFO[lang].name} XQuAD data (${url}): the server did not answer.`);
      }
      if (!res.ok) throw new Error(`Could not load the ${LANGUAGE_INFO[lang].name} XQuAD data: ${url} answered ${res.status}.`);
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        throw new Error(`The ${LANGUAGE_INFO[lang].name} XQuAD data (${url}) is not JSON.`);
      }
      return new XquadSet(parseXquad(json, lang));
    })();
    pending.set(lang, p);
    p.catch(() => pending.delete(lang));
  }
  return p;
}
