// Model picker: the bundled tiny models (public/models/index.json), the curated hub models
// (family, parameters, download size, base / post-trained) and any hub repo id, validated.
import { useId, useState } from 'react';
import { CURATED_MODELS, downloadBytes, formatBytes, formatParams } from '../data/curated-models';
import { isValidRepoId } from '../engine/hub/source';
import type { ModelRef } from '../state/page-state';
import { useAppStore } from '../state/store';
import { DEFAULT_HUB_BASE } from '../engine/hub/source';

const encode = (m: ModelRef) => (m.kind === 'bundled' ? `b:${m.name}` : `h:${m.repo}`);

export function ModelPicker({ label, value, onChange, testId }: { label: string; value: ModelRef; onChange: (m: ModelRef) => void; testId: string }) {
  const id = useId();
  const localModels = useAppStore((s) => s.localModels);
  const localModelsError = useAppStore((s) => s.localModelsError);
  const hubBase = useAppStore((s) => s.runtime.hubBase);
  const [other, setOther] = useState(false);
  const [repo, setRepo] = useState('');
  const [repoError, setRepoError] = useState<string | null>(null);
  const cur = encode(value);
  const known = new Set([...localModels.map((m) => `b:${m.name}`), ...CURATED_MODELS.map((m) => `h:${m.repo}`)]);
  const hubRef = (r: string): ModelRef => ({ kind: 'hub', repo: r, ...(hubBase !== DEFAULT_HUB_BASE ? { hub: hubBase } : {}) });
  const curated = CURATED_MODELS.find((m) => m.repo === (value.kind === 'hub' ? value.repo : ''));

  const useRepo = () => {
    const r = repo.trim();
    if (!isValidRepoId(r)) {
      setRepoError(`"${r}" is not a valid hub repo id: use "owner/name" (letters, digits, "-", "_", ".").`);
      return;
    }
    setRepoError(null);
    setOther(false);
    onChange(hubRef(r));
  };

  return (
    <div className="field model-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        value={other ? 'other' : cur}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'other') {
            setOther(true);
            return;
          }
          setOther(false);
          setRepoError(null);
          onChange(v.startsWith('b:') ? { kind: 'bundled', name: v.slice(2) } : hubRef(v.slice(2)));
        }}
      >
        <optgroup label="Bundled (offline)">
          {localModels.map((m) => (
            <option key={m.name} value={`b:${m.name}`}>
              {m.label || m.name}
            </option>
          ))}
          {value.kind === 'bundled' && !known.has(cur) && <option value={cur}>{value.name}</option>}
        </optgroup>
        <optgroup label="Hugging Face hub">
          {CURATED_MODELS.map((m) => (
            <option key={m.repo} value={`h:${m.repo}`}>
              {m.label} · {m.family} · {formatParams(m.params)} · {formatBytes(downloadBytes(m))} · {m.kind}
            </option>
          ))}
          {value.kind === 'hub' && !known.has(cur) && <option value={cur}>{value.repo}</option>}
          <option value="other">Another hub repo…</option>
        </optgroup>
      </select>
      {curated && (
        <span className="hint">
          {curated.origin}; {curated.kind === 'base' ? 'pre-trained only' : 'post-trained (instruction tuned)'}; downloads {formatBytes(downloadBytes(curated))} once, then
          cached.
        </span>
      )}
      {localModelsError && <span className="hint warn">{localModelsError}</span>}
      {other && (
        <div className="repo-row">
          <label htmlFor={`${id}-repo`}>Repo id</label>
          <input
            id={`${id}-repo`}
            type="text"
            value={repo}
            placeholder="HuggingFaceTB/SmolLM2-135M-Instruct"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={repoError ? true : undefined}
            aria-describedby={repoError ? `${id}-err` : undefined}
            onChange={(e) => setRepo(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                useRepo();
              }
            }}
            data-testid={`${testId}-repo`}
          />
          <button type="button" onClick={useRepo}>
            Use
          </button>
          {repoError && (
            <p id={`${id}-err`} className="inline-error" role="alert">
              {repoError}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
