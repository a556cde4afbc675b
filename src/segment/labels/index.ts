export { expandLabels } from './expand-labels.js';
export type { ExpandLabelsOptions } from './expand-labels.js';
export { BOUNDARY_MODES, findBoundaries } from './find-boundaries.js';
export type { BoundaryMode, FindBoundariesOptions } from './find-boundaries.js';
