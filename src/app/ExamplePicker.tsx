// Example picker (the tiny-model set first: these are what the tiny models answer; then the
// hand-written parallel set) and the custom-text editor, with the answer span marked.
import { useId, useState } from 'react';
import { CATALOG, findExample } from '../data/catalog';
import { LANGUAGE_INFO, type LangCode } from '../data/languages';
import { answerSpan } from '../state/input';
import { LIMITS } from '../state/page-state';
import { useAppStore } from '../state/store';

const CUSTOM = '__custom__';

export function ExamplePicker() {
  const id = useId();
  const page = useAppStore((s) => s.page);
  const setPage = useAppStore((s) => s.setPage);
  const tiny = CATALOG.filter((e) => e.set === 'tiny');
  const parallel = CATALOG.filter((e) => e.set === 'parallel');
  const value = page.custom ? CUSTOM : (page.example ?? '');
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
            const ex = page.example ? findExample(page.example) : undefined;
            const c = ex?.langs[page.contextLang];
            const q = ex?.langs[page.questionLang];
            setPage({ custom: { context: c?.context ?? '', question: q?.question ?? '', answer: c?.answer ?? '' }, example: null });
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
  const update = (patch: Partial<typeof c>) => setPage({ custom: { ...c, ...patch } });
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
        <label htmlFor={`${id}-ctx`}>Context ({LANGUAGE_INFO[cl].name})</label>
        <textarea id={`${id}-ctx`} rows={4} lang={cl} dir={LANGUAGE_INFO[cl].dir} value={c.context} onChange={(e) => take('context', 'context', e.target.value)} data-testid="custom-context" />
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-q`}>Question ({LANGUAGE_INFO[ql].name})</label>
        <input id={`${id}-q`} type="text" lang={ql} dir={LANGUAGE_INFO[ql].dir} value={c.question} onChange={(e) => take('question', 'question', e.target.value)} data-testid="custom-question" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-a`}>Answer (copied from the context)</label>
        <input
          id={`${id}-a`}
          type="text"
          lang={cl}
          dir={LANGUAGE_INFO[cl].dir}
          value={c.answer}
          aria-invalid={c.answer.trim() !== '' && !span ? true : undefined}
          aria-describedby={`${id}-span`}
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
          <p className="inline-error" data-testid="answer-missing">
            {c.answer.trim() ? `"${c.answer.trim()}" does not occur in the context. The answer must be copied from the context exactly.` : 'Type the answer: a span copied from the context.'}
          </p>
        )}
      </div>
    </fieldset>
  );
}
