/**
 * Predicted labels against ground truth: label overlap, matching at an IoU threshold with
 * precision, recall and F1 (as StarDist's `matching`).
 *
 * @packageDocumentation
 */
export { labelOverlap } from './overlap.js';
export type { LabelOverlap } from './overlap.js';
export { matchLabels } from './matching.js';
export type { MatchingOptions, MatchingScores } from './matching.js';
export { minCostAssignment } from './assignment.js';
