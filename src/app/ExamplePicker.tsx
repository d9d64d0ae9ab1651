// Example picker (the tiny-model set first: these are what the tiny models answer; then the
// hand-written parallel set; then XQuAD, the paper's benchmark, picked in XquadPicker) and the
// custom-text editor, with the answer span marked.
import { useId, useState } from 'react';
import { CATALOG, exampleLabel, findExample } from '../data/catalog';
import { isLangCode, LANGUAGE_INFO, type LangCode } from '../data/languages';
import { dominantScript, SCRIPTS } from '../data/scripts';
import { isXquadExampleId } from '../data/xquad';
import { answerSpan, customProblem } from '../state/input';
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
  // examples are named by their question, in the question language chosen above
  const ql = page.questionLang;
  const labelLang = (e: (typeof CATALOG)[number]) => (e.langs[ql] ? ql : 'en');
  const dirOf = (l: string) => (isLangCode(l) ? LANGUAGE_INFO[l].dir : 'ltr');
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
              <option key={e.id} value={e.id} lang={labelLang(e)} dir={dirOf(labelLang(e))}>
                {exampleLabel(e, ql)}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Parallel set (12 languages)">
          {parallel.map((e) => (
            <option key={e.id} value={e.id} lang={labelLang(e)} dir={dirOf(labelLang(e))}>
              {exampleLabel(e, ql)}
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
  const [cut, setCut] = useState<{ field: string; text: string } | null>(null);
  const page = useAppStore((s) => s.page);
  const setPage = useAppStore((s) => s.setPage);
  const c = page.custom;
  if (!c) return null;
  const cl = page.contextLang;
  const ql = page.questionLang;
  const span = answerSpan(c.context, c.answer);
  // the one message about what keeps this text from running, under the field it concerns
  const problem = customProblem(c);
  const says = (field: 'context' | 'question' | 'answer') =>
    problem?.field === field ? (
      <p id={`${id}-${field}-err`} className="inline-error" aria-live="polite" data-testid={field === 'answer' ? 'answer-missing' : `${field}-missing`}>
        {problem.message}
      </p>
    ) : null;
  const described = (field: 'context' | 'question' | 'answer') => (problem?.field === field ? `${id}-${field}-err` : undefined);
  const update = (patch: Partial<typeof c>) => setPage({ custom: { ...c, ...patch } });
  // text kept across a language change may no longer match its label: say so, once per field
  const mismatch = (text: string, lang: LangCode, what: string, testId: string) => {
    const script = dominantScript(text);
    if (!script || script === LANGUAGE_INFO[lang].script) return null;
    return (
      <p className="hint warn" data-testid={testId}>
        This {what} is written in {SCRIPTS[script].name} script, but the {what} language is {LANGUAGE_INFO[lang].name}: it is analysed as {LANGUAGE_INFO[lang].name}. Choose the
        language it is written in above.
      </p>
    );
  };
  /** a text past its limit (a long paste) is cut, and the page says so instead of cutting silently */
  const take = (field: 'context' | 'question' | 'answer', what: string, value: string) => {
    const limit = field === 'answer' ? LIMITS.answer : LIMITS.text;
    if (value.length <= limit) {
      if (cut?.field === field) setCut(null);
      return update({ [field]: value });
    }
    // never split a character made of two UTF-16 units
    const end = /[\uD800-\uDBFF]/.test(value[limit - 1]) ? limit - 1 : limit;
    setCut({ field, text: `The ${what} was ${value.length.toLocaleString('en-US')} characters long; it keeps its first ${end.toLocaleString('en-US')} (the most a page link carries). The rest was left out.` });
    update({ [field]: value.slice(0, end) });
  };
  return (
    <fieldset className="custom-editor">
      <legend>Custom text</legend>
      <div className="field wide">
        <label htmlFor={`${id}-ctx`}>Context — {LANGUAGE_INFO[cl].name}</label>
        <textarea
          id={`${id}-ctx`}
          rows={4}
          lang={cl}
          dir={LANGUAGE_INFO[cl].dir}
          value={c.context}
          aria-invalid={problem?.field === 'context' ? true : undefined}
          aria-describedby={described('context')}
          onChange={(e) => take('context', 'context', e.target.value)}
          data-testid="custom-context"
        />
        {says('context')}
        {mismatch(c.context, cl, 'context', 'context-script')}
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-q`}>Question — {LANGUAGE_INFO[ql].name}</label>
        <input
          id={`${id}-q`}
          type="text"
          lang={ql}
          dir={LANGUAGE_INFO[ql].dir}
          value={c.question}
          aria-invalid={problem?.field === 'question' ? true : undefined}
          aria-describedby={described('question')}
          onChange={(e) => take('question', 'question', e.target.value)}
          data-testid="custom-question"
        />
        {says('question')}
        {mismatch(c.question, ql, 'question', 'question-script')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-a`}>Answer (copied from the context)</label>
        <input
          id={`${id}-a`}
          type="text"
          lang={cl}
          dir={LANGUAGE_INFO[cl].dir}
          value={c.answer}
          aria-invalid={problem?.field === 'answer' && c.answer.trim() !== '' ? true : undefined}
          aria-describedby={described('answer') ?? `${id}-span`}
          onChange={(e) => take('answer', 'answer', e.target.value)}
          data-testid="custom-answer"
        />
      </div>
      {cut && (
        <p className="hint warn field wide" role="status" data-testid="text-cut">
          {cut.text}
        </p>
      )}
      <div className="field wide" id={`${id}-span`}>
        {span ? (
          <>
            <span className="hint">The answer span, marked in the context:</span>
            <Marked text={c.context} span={span} lang={cl} />
          </>
        ) : (
          says('answer')
        )}
      </div>
    </fieldset>
  );
}
