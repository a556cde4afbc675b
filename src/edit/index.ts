/**
 * Label edits as the app makes them: labels at a point, paint strokes, merging and deleting
 * labels, the next free label.
 *
 * @packageDocumentation
 */
export { labelsAt } from './labels-at.js';
export { nextFreeLabel } from './next-free-label.js';
export { deleteLabels } from './delete-labels.js';
export type { DeleteLabelsResult } from './delete-labels.js';
export { mergeLabels } from './merge-labels.js';
export type { MergeLabelsResult } from './merge-labels.js';
export { paintStroke } from './paint-stroke.js';
export type {
  PaintMode,
  PaintStrokeOptions,
  PaintStrokeResult,
  StrokePoint,
} from './paint-stroke.js';
