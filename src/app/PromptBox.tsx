import { useId } from 'react';
import { useAppStore } from '../state/store';

export function PromptBox({ disabled, onSubmit }: { disabled: boolean; onSubmit: () => void }) {
  const prompt = useAppStore((s) => s.prompt);
  const setPrompt = useAppStore((s) => s.setPrompt);
  const useChat = useAppStore((s) => s.useChatTemplate);
  const setUseChat = useAppStore((s) => s.setUseChatTemplate);
  const id = useId();
  return (
    <div className="field prompt-box">
      <label htmlFor={id}>Prompt</label>
      <textarea
        id={id}
        dir="auto"
        rows={5}
        value={prompt}
        disabled={disabled}
        onChange={(e) => setPrompt(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onSubmit();
          }
        }}
        aria-describedby={`${id}-hint`}
        data-testid="prompt"
      />
      <div className="prompt-options">
        <label>
          <input type="checkbox" checked={useChat} disabled={disabled} onChange={(e) => setUseChat(e.target.checked)} />
          Use the model's chat template (when it has one)
        </label>
        <span id={`${id}-hint`} className="hint">
          Ctrl+Enter runs.
        </span>
      </div>
    </div>
  );
}
