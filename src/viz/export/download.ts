// Browser downloads: a Blob through a temporary object URL and an <a download>. Nothing of the
// content is put into the page.

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // revoke after the click has been handled
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const MIME = {
  svg: 'image/svg+xml;charset=utf-8',
  png: 'image/png',
  json: 'application/json;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
} as const;

export function downloadText(text: string, filename: string, mime: string): void {
  downloadBlob(new Blob([text], { type: mime }), filename);
}
