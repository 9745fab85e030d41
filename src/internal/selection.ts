/**
 * The part of the reader's current text selection that lies inside `container` (an element in
 * the shadow root `root`), or `null` when nothing is selected there. Uses
 * `Selection.getComposedRanges` where available, the older `ShadowRoot.getSelection` otherwise.
 */
export function selectionIn(root: ShadowRoot, container: Node): Range | null {
  const selection = document.getSelection();
  // Not `isCollapsed`: for a selection inside a shadow root Chromium reports it collapsed.
  if (!selection || selection.rangeCount === 0 || selection.type !== 'Range') return null;
  let range: Range | null = null;
  try {
    const composed =
      'getComposedRanges' in selection
        ? selection.getComposedRanges({ shadowRoots: [root] })[0]
        : undefined;
    if (composed && !composed.collapsed) {
      range = document.createRange();
      range.setStart(composed.startContainer, composed.startOffset);
      range.setEnd(composed.endContainer, composed.endOffset);
    }
  } catch {
    range = null;
  }
  if (!range) {
    const legacy = (
      root as ShadowRoot & { getSelection?: () => Selection | null }
    ).getSelection?.();
    if (legacy && legacy.rangeCount > 0) range = legacy.getRangeAt(0).cloneRange();
  }
  if (!range || range.collapsed) return null;
  const startsInside = container.contains(range.startContainer);
  const endsInside = container.contains(range.endContainer);
  if (!startsInside && !endsInside) return null;
  if (!startsInside) range.setStart(container, 0);
  if (!endsInside) range.setEnd(container, container.childNodes.length);
  return range.collapsed ? null : range;
}
