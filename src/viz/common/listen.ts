// Attach a view's event handlers at once and get one function that detaches them all.

export type Binding = [target: EventTarget, type: string, handler: (ev: never) => void];

export function listen(bindings: Binding[]): () => void {
  for (const [t, type, h] of bindings) t.addEventListener(type, h as EventListener);
  return () => {
    for (const [t, type, h] of bindings) t.removeEventListener(type, h as EventListener);
  };
}
