/** Registers a tag once: loading Parley twice (two bundles, a hot reload) does not throw. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
