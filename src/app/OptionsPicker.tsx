// Prompt template (plain / the model's chat template) and which analyses run.
import { useId } from 'react';
import { LIMITS } from '../state/page-state';
import { useAppStore } from '../state/store';
import { defaultWindow } from '../engine/analyses/knockout';

export function TemplatePicker() {
  const id = useId();
  const template = useAppStore((s) => s.page.template);
  const setPage = useAppStore((s) => s.setPage);
  // known only once the model is loaded
  const hasChat = useAppStore((s) => (s.main.ready ? s.main.ready.hasChatTemplate : null));
  const chatDisabled = hasChat === false;
  return (
    <div className="field">
      <label htmlFor={id}>Prompt template</label>
      <select id={id} value={template} onChange={(e) => setPage({ template: e.target.value as 'plain' | 'chat' })} aria-describedby={`${id}-hint`} data-testid="template">
        <option value="plain">Plain: Context / Question / Answer</option>
        <option value="chat" disabled={chatDisabled}>
          The model's chat template{chatDisabled ? ' (this model has none)' : ''}
        </option>
      </select>
      <span id={`${id}-hint`} className="hint">
        {chatDisabled ? 'Chat is unavailable: this model ships no chat template.' : template === 'chat' ? 'The prompt is the user turn of the chat.' : 'Best for base models.'}
      </span>
    </div>
  );
}

export function AnalysesPicker() {
  const id = useId();
  const a = useAppStore((s) => s.page.analyses);
  const L = useAppStore((s) => s.main.ready?.spec.numLayers ?? null);
  const setPage = useAppStore((s) => s.setPage);
  const set = (patch: Partial<typeof a>) => setPage((s) => ({ ...s, analyses: { ...s.analyses, ...patch } }));
  const tooWide = a.knockout && L !== null && a.window !== null && a.window > L;
  return (
    <fieldset className="analyses">
      <legend>Analyses</legend>
      <label>
        <input type="checkbox" checked={a.knockout} onChange={(e) => set({ knockout: e.target.checked })} data-testid="opt-knockout" /> Attention knockout
      </label>
      <label>
        <input type="checkbox" checked={a.relevance} onChange={(e) => set({ relevance: e.target.checked })} data-testid="opt-relevance" /> Relevance (AttnLRP)
      </label>
      <span className="window-field">
        <label htmlFor={`${id}-w`}>Knockout window</label>
        <input
          id={`${id}-w`}
          type="number"
          min={1}
          max={L ?? 1000}
          placeholder={L ? `auto (${defaultWindow(L)})` : 'auto'}
          value={a.window ?? ''}
          disabled={!a.knockout}
          aria-describedby={tooWide ? `${id}-w-note` : undefined}
          onChange={(e) => {
            const n = Number(e.target.value);
            // kept as typed (the engine uses at most every layer); the note below says so
            set({ window: e.target.value === '' || !Number.isInteger(n) || n < 1 ? null : Math.min(n, LIMITS.window) });
          }}
          data-testid="opt-window"
        />
        <span className="hint">layers</span>
        {tooWide && (
          <span className="hint warn" id={`${id}-w-note`} role="status" data-testid="window-note">
            This model has {L} layers, so a window of {a.window} is cut to {L}.
          </span>
        )}
      </span>
    </fieldset>
  );
}
