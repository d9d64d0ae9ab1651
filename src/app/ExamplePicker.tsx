// Example picker (the tiny-model set first: these are what the tiny models answer; then the
// hand-written parallel set; then XQuAD, the paper's benchmark, picked in XquadPicker) and the
// custom-text editor, with the answer span marked.
import { useId } from 'react';
import { CATALOG, findExample } from '../data/catalog';
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { isXquadExampleId } from '../data/xquad';
import { answerSpan } from '../state/input';
import { LIMITS } from '../state/page-state';
import { useAppStore } from '../state/store';

const CUSTOM = '__custom__';
const XQUAD = '__xquad__';

/** the XQuAD item shown last in this session, so switching sets and back returns to it */
let lastXquad: string | null = null;

export function ExamplePicker() {
  const id = useId();
  const page = useAppStore((s) => s.page);
  const setPage = useAppStore((s) => s.setPage);
  const tiny = CATALOG.filter((e) => e.set === 'tiny');
  const parallel = CATALOG.filter((e) => e.set === 'parallel');
  const xquad = !page.custom && isXquadExampleId(page.example);
  if (xquad) lastXquad = page.example;
  const value = page.custom ? CUSTOM : xquad ? XQUAD : (page.example ?? '');
  return (
    <div className="field example-picker">
      <label htmlFor={id}>Example</label>
      <select
        id={id}
        value={value}
        data-testid="example"
        onChange={(e) => {
          const v = e.target.value;
          if (v === CUSTOM) {
            // start the editor from the example shown, in the chosen languages
            const xq = useAppStore.getState().xquad.sets;
            const ex = page.example ? findExample(page.example) : undefined;
            const c = xquad ? xq[page.contextLang]?.get(page.example!) : ex?.langs[page.contextLang];
            const q = xquad ? xq[page.questionLang]?.get(page.example!) : ex?.langs[page.questionLang];
            setPage({ custom: { context: c?.context ?? '', question: q?.question ?? '', answer: c?.answer ?? '' }, example: null });
          } else if (v === XQUAD) {
            const st = useAppStore.getState();
            const langs = [...new Set([page.contextLang, page.questionLang])];
            // the data comes first (the picker says it is loading); then the last item shown, or the first
            void st.loadXquad(langs).then((ok) => {
              const set = useAppStore.getState().xquad.sets[page.contextLang];
              if (!ok || !set) useAppStore.setState({ inputProblem: useAppStore.getState().xquad.error });
              else setPage({ example: lastXquad ?? set.items[0].id, custom: null });
            });
          } else setPage({ example: v, custom: null });
        }}
      >
        {tiny.length > 0 && (
          <optgroup label="Tiny-model set (the tiny models answer these)">
            {tiny.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Parallel set (12 languages)">
          {parallel.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="XQuAD, the paper's benchmark (1,190 questions, CC BY-SA 4.0)">
          <option value={XQUAD}>XQuAD: choose an article and a question…</option>
        </optgroup>
        <option value={CUSTOM}>Custom text…</option>
      </select>
    </div>
  );
}

function Marked({ text, span, lang }: { text: string; span: [number, number] | null; lang: LangCode }) {
  const dir = LANGUAGE_INFO[lang].dir;
  if (!span) return <p className="context-preview" lang={lang} dir={dir}>{text}</p>;
  return (
    <p className="context-preview" lang={lang} dir={dir} data-testid="context-preview">
      {text.slice(0, span[0])}
      <mark className="answer-span">{text.slice(span[0], span[1])}</mark>
      {text.slice(span[1])}
    </p>
  );
}

export function CustomEditor() {
  const id = useId();
  const page = useAppStore((s) => s.page);
  const setPage = useAppStore((s) => s.setPage);
  const c = page.custom;
  if (!c) return null;
  const cl = page.contextLang;
  const ql = page.questionLang;
  const span = answerSpan(c.context, c.answer);
  const update = (patch: Partial<typeof c>) => setPage({ custom: { ...c, ...patch } });
  return (
    <fieldset className="custom-editor">
      <legend>Custom text</legend>
      <div className="field wide">
        <label htmlFor={`${id}-ctx`}>Context ({LANGUAGE_INFO[cl].name})</label>
        <textarea id={`${id}-ctx`} rows={4} lang={cl} dir={LANGUAGE_INFO[cl].dir} maxLength={LIMITS.text} value={c.context} onChange={(e) => update({ context: e.target.value })} data-testid="custom-context" />
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-q`}>Question ({LANGUAGE_INFO[ql].name})</label>
        <input id={`${id}-q`} type="text" lang={ql} dir={LANGUAGE_INFO[ql].dir} maxLength={LIMITS.text} value={c.question} onChange={(e) => update({ question: e.target.value })} data-testid="custom-question" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-a`}>Answer (copied from the context)</label>
        <input
          id={`${id}-a`}
          type="text"
          lang={cl}
          dir={LANGUAGE_INFO[cl].dir}
          maxLength={LIMITS.answer}
          value={c.answer}
          aria-invalid={c.answer.trim() !== '' && !span ? true : undefined}
          aria-describedby={`${id}-span`}
          onChange={(e) => update({ answer: e.target.value })}
          data-testid="custom-answer"
        />
      </div>
      <div className="field wide" id={`${id}-span`}>
        {span ? (
          <>
            <span className="hint">The answer span, marked in the context:</span>
            <Marked text={c.context} span={span} lang={cl} />
          </>
        ) : (
          <p className="inline-error" data-testid="answer-missing">
            {c.answer.trim() ? `"${c.answer.trim()}" does not occur in the context. The answer must be copied from the context exactly.` : 'Type the answer: a span copied from the context.'}
          </p>
        )}
      </div>
    </fieldset>
  );
}
