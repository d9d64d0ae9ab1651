import { useId } from 'react';
import { useAppStore } from '../state/store';

export function ModelPicker({ disabled }: { disabled: boolean }) {
  const s = useAppStore();
  const id = useId();
  return (
    <fieldset className="model-picker" disabled={disabled}>
      <legend>Model</legend>
      <div className="radio-row" role="radiogroup" aria-label="Model source">
        <label>
          <input type="radio" name={`${id}-kind`} value="local" checked={s.sourceKind === 'local'} onChange={() => s.setSourceKind('local')} />
          Bundled (offline)
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} value="hub" checked={s.sourceKind === 'hub'} onChange={() => s.setSourceKind('hub')} />
          Hub repo
        </label>
      </div>
      {s.sourceKind === 'local' ? (
        <div className="field">
          <label htmlFor={`${id}-local`}>Bundled model</label>
          <select id={`${id}-local`} value={s.localName} onChange={(e) => s.setLocalName(e.target.value)} data-testid="local-model">
            {s.localModels.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label || m.name}
              </option>
            ))}
            {!s.localModels.some((m) => m.name === s.localName) && <option value={s.localName}>{s.localName}</option>}
          </select>
          {s.localModelsError && <p className="hint warn">{s.localModelsError}</p>}
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-repo`}>Repo id</label>
            <input
              id={`${id}-repo`}
              type="text"
              value={s.hubRepo}
              placeholder="HuggingFaceTB/SmolLM2-135M-Instruct"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => s.setHubRepo(e.target.value)}
              data-testid="hub-repo"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-base`}>Hub base URL</label>
            <input
              id={`${id}-base`}
              type="url"
              value={s.hubBase}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => s.setHubBase(e.target.value)}
              data-testid="hub-base"
            />
          </div>
        </>
      )}
    </fieldset>
  );
}
