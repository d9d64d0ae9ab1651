// The XQuAD example set (the paper's benchmark): pick an article and a question, or search the
// questions; the paper's two settings one click away (en-x: English context, question in x;
// x-x: both in x); the gold answer marked in the context of the chosen context language.
// The data of a language is fetched when it is first needed (state/xquad-loader.ts).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { articleLabel, isXquadExampleId, type XquadItem, type XquadSet } from '../data/xquad';
import { useAppStore } from '../state/store';
import { showAbout } from './About';

/** the language x of the paper's settings: the question language, or the context language when the question is English */
function settingLanguage(cl: LangCode, ql: LangCode): LangCode {
  return ql !== 'en' ? ql : cl;
}

const MAX_RESULTS = 100;

/** questions whose text (in the question language or English) or article title contains every word of the query */
function searchItems(q: XquadSet, en: XquadSet | undefined, query: string): XquadItem[] {
  const words = query.normalize('NFC').toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const out: XquadItem[] = [];
  for (const it of q.items) {
    const hay = `${it.question} ${en?.get(it.id)?.question ?? ''} ${articleLabel(it.title)}`.normalize('NFC').toLowerCase();
    if (words.every((w) => hay.includes(w))) out.push(it);
    if (out.length >= MAX_RESULTS) break;
  }
  return out;
}

function ContextWithAnswer({ item, lang }: { item: XquadItem; lang: LangCode }) {
  const markRef = useRef<HTMLElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  // a long paragraph scrolls inside its box; keep the answer in view
  useEffect(() => {
    const box = boxRef.current;
    const mark = markRef.current;
    if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
  }, [item.id, lang]);
  const info = LANGUAGE_INFO[lang];
  const a = item.answerStart;
  return (
    <div ref={boxRef} className="context-preview xquad-context" lang={lang} dir={info.dir} data-testid="xquad-context" tabIndex={0} aria-label={`Context (${info.name}), the gold answer marked`}>
      {a < 0 ? (
        item.context
      ) : (
        <>
          {item.context.slice(0, a)}
          <mark ref={markRef} className="answer-span" data-testid="xquad-gold">
            {item.context.slice(a, a + item.answer.length)}
          </mark>
          {item.context.slice(a + item.answer.length)}
        </>
      )}
    </div>
  );
}

export function XquadPicker() {
  const id = useId();
  const page = useAppStore((s) => s.page);
  const xq = useAppStore((s) => s.xquad);
  const setPage = useAppStore((s) => s.setPage);
  const [query, setQuery] = useState('');
  const cl = page.contextLang;
  const ql = page.questionLang;
  const active = !page.custom && isXquadExampleId(page.example);
  const cset = xq.sets[cl];
  const qset = xq.sets[ql];
  const results = useMemo(() => (qset && query.trim() ? searchItems(qset, xq.sets.en, query) : []), [qset, xq.sets.en, query]);
  const loadXquad = useAppStore((s) => s.loadXquad);
  const missing = active && (!cset || !qset) && !xq.error;
  useEffect(() => {
    // a language changed: fetch its file now rather than when the analysis asks for it
    if (missing) void loadXquad([cl, ql]);
  }, [missing, cl, ql, loadXquad]);
  if (!active) return null;
  const example = page.example!;
  if (!cset || !qset) {
    return (
      <fieldset className="xquad-picker" data-testid="xquad-picker" aria-busy="true">
        <legend>XQuAD item</legend>
        <p className="hint" role="status">
          {xq.error ?? `Loading the XQuAD questions (${[...new Set([cl, ql])].map((l) => LANGUAGE_INFO[l].name).join(', ')})…`}
        </p>
      </fieldset>
    );
  }
  const citem = cset.get(example);
  const qitem = qset.get(example);
  const current = qitem ?? qset.items[0];
  const articles = cset.file.articles;
  const inArticle = qset.items.filter((it) => it.article === current.article);
  const x = settingLanguage(cl, ql);
  const xName = LANGUAGE_INFO[x].name;
  const choose = (exampleId: string) => setPage({ example: exampleId, custom: null });
  const isEnX = cl === 'en';
  const isXX = cl === ql;
  return (
    <fieldset className="xquad-picker" data-testid="xquad-picker">
      <legend>XQuAD item</legend>
      <div className="field">
        <label htmlFor={`${id}-art`}>Article</label>
        <select
          id={`${id}-art`}
          value={current.article}
          data-testid="xquad-article"
          onChange={(e) => {
            const first = qset.items.find((it) => it.article === Number(e.target.value));
            if (first) choose(first.id);
          }}
        >
          {articles.map((a, i) => (
            <option key={a.title} value={i}>
              {articleLabel(a.title)} ({a.paragraphs.reduce((n, p) => n + p.qas.length, 0)})
            </option>
          ))}
        </select>
      </div>
      <div className="field xquad-question">
        <label htmlFor={`${id}-q`}>Question ({LANGUAGE_INFO[ql].name})</label>
        <select id={`${id}-q`} value={current.id} data-testid="xquad-question" lang={ql} dir={LANGUAGE_INFO[ql].dir} onChange={(e) => choose(e.target.value)}>
          {inArticle.map((it) => (
            <option key={it.id} value={it.id}>
              ¶{it.paragraph + 1}: {it.question}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-s`}>Search all questions</label>
        <input id={`${id}-s`} type="search" value={query} placeholder="words of a question or title" onChange={(e) => setQuery(e.target.value)} data-testid="xquad-search" aria-describedby={`${id}-n`} />
      </div>
      {query.trim() && (
        <div className="field xquad-results">
          <label htmlFor={`${id}-r`} id={`${id}-n`}>
            {results.length === 0 ? 'No question matches.' : `${results.length}${results.length >= MAX_RESULTS ? '+' : ''} matching questions`}
          </label>
          {results.length > 0 && (
            <select id={`${id}-r`} size={Math.min(8, results.length + 1)} value={results.some((r) => r.id === example) ? example : ''} onChange={(e) => e.target.value && choose(e.target.value)} data-testid="xquad-results" lang={ql} dir={LANGUAGE_INFO[ql].dir}>
              {results.map((it) => (
                <option key={it.id} value={it.id}>
                  {articleLabel(it.title)}: {it.question}
                </option>
              ))}
            </select>
          )}
        </div>
      )}
      <div className="xquad-presets" role="group" aria-label="The paper's settings">
        <span className="field-label">Paper setting:</span>
        <button type="button" className="small" aria-pressed={isEnX} onClick={() => setPage({ contextLang: 'en', questionLang: x })} data-testid="preset-en-x" title="English context, question in language x">
          en-x: English context, {xName} question
        </button>
        <button type="button" className="small" aria-pressed={isXX} onClick={() => setPage({ contextLang: x, questionLang: x })} data-testid="preset-x-x" title="context and question both in language x">
          x-x: {xName} context and question
        </button>
        <span className="hint">x is the question language (the context language when the question is English).</span>
      </div>
      {citem ? (
        <div className="xquad-item" data-testid="xquad-item" data-id={example}>
          <p className="hint">
            {articleLabel(citem.title)}, paragraph {citem.paragraph + 1} · question id {example.slice('xquad-'.length)} · gold answer ({LANGUAGE_INFO[cl].name}):{' '}
            <bdi lang={cl} className="token-text">
              {citem.answer}
            </bdi>
          </p>
          {citem.answerStart < 0 && <p className="inline-error">The {LANGUAGE_INFO[cl].name} data does not contain this answer in the context (listed in the data's corrections).</p>}
          <ContextWithAnswer item={citem} lang={cl} />
        </div>
      ) : (
        <p className="inline-error">There is no XQuAD question "{example}"; choose one from the list.</p>
      )}
      <p className="hint xquad-credit">
        XQuAD (Artetxe et al., 2020; Romanian: LiRo), CC BY-SA 4.0 —{' '}
        <button type="button" className="link" onClick={showAbout}>
          About &amp; credits
        </button>
      </p>
    </fieldset>
  );
}
