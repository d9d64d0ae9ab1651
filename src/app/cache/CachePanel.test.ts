import { describe, expect, it } from 'vitest';
import { folderLabel, groupByFolder } from './CachePanel';

describe('cache panel grouping', () => {
  it('groups files by model folder and labels hub folders by repo id', () => {
    const g = groupByFolder([
      { url: 'https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main/config.json', bytes: 700 },
      { url: 'https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main/model.safetensors', bytes: 1_500_000_000 },
      { url: 'http://127.0.0.1:4174/a/b/resolve/v2/config.json', bytes: 10 },
    ]);
    expect(g.map((x) => [folderLabel(x.folder), x.files, x.bytes])).toEqual([
      ['Qwen/Qwen3-0.6B', 2, 1_500_000_700],
      ['a/b@v2', 1, 10],
    ]);
  });
});
