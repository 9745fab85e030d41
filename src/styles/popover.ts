// Beside the popover controller (controllers/popover.ts), which loads on the first popover, while
// the styles of what shows popovers are there from the start.
/** Styles for a floating element: overrides the UA popover box so Floating UI owns placement. */
export const popoverReset = `
  margin: 0;
  inset: auto;
  position: fixed;
  overflow: visible;
`;
