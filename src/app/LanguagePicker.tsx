// Context language and question language (native names), with a swap button.
import { useId } from 'react';
import { LANGUAGE_LIST, type LangCode } from '../data/languages';
import { withLanguages } from '../state/input';
import { useAppStore } from '../state/store';

function LangSelect({ label, value, onChange, testId }: { label: string; value: LangCode; onChange: (l: LangCode) => void; testId: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as LangCode)} data-testid={testId}>
        {LANGUAGE_LIST.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
            {l.nativeName === l.name ? l.name : `${l.nativeName} — ${l.name}`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LanguagePicker() {
  const cl = useAppStore((s) => s.page.contextLang);
  const ql = useAppStore((s) => s.page.questionLang);
  const setPage = useAppStore((s) => s.setPage);
  return (
    <div className="lang-picker" role="group" aria-label="Languages">
      <LangSelect label="Context language" value={cl} onChange={(contextLang) => setPage((s) => withLanguages(s, contextLang, s.questionLang))} testId="context-lang" />
      <button
        type="button"
        className="swap"
        onClick={() => setPage((s) => withLanguages(s, s.questionLang, s.contextLang))}
        aria-label="Swap languages (context ⇄ question)"
        title="Swap languages"
        data-testid="swap-langs"
      >
        ⇄
      </button>
      <LangSelect label="Question language" value={ql} onChange={(questionLang) => setPage((s) => withLanguages(s, s.contextLang, questionLang))} testId="question-lang" />
    </div>
  );
}
