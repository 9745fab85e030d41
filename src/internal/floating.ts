/**
 * What Parley uses of Floating UI, in one module: the popover controller imports it on the first
 * popover, and only these functions end up in that chunk (a dynamic import of the package itself
 * would keep all of it).
 */
export { autoUpdate, computePosition, flip, offset, shift } from '@floating-ui/dom';
