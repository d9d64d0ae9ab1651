// A model as people name it. Results record where the model came from (`model.id`): a bundled
// folder's URL ("http://localhost:5173/models/xlens-tiny-instruct"), a folder path from the
// command line, or a hub repo id ("owner/name", "owner/name@rev"). Captions, run info and the
// "Recorded with" banner show the folder's or the repo's name instead of an address.

/** "xlens-tiny-instruct" for a bundled folder's URL or path, "owner/name[@rev]" for a hub repo */
export function modelName(id: string): string {
  const s = id.trim();
  let path = s;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      path = decodeURIComponent(u.pathname);
      // a hub-style address: /owner/name/resolve/<rev>/...
      const hub = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)/.exec(path);
      if (hub) return hub[2] === 'main' ? hub[1] : `${hub[1]}@${hub[2]}`;
    } catch {
      return s;
    }
  } else if (!/^[./~]|\\|^[A-Za-z]:/.test(s) && s.split('/').length === 2) {
    // "owner/name" (a hub repo id) as it is
    return s;
  }
  const parts = path.split(/[/\\]+/).filter(Boolean);
  return parts[parts.length - 1] ?? s;
}
