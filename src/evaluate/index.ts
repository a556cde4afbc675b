export { labelOverlap } from './overlap.js';
export type { LabelOverlap } from './overlap.js';
export { matchLabels } from './matching.js';
export type { MatchingOptions, MatchingScores } from './matching.js';
export { minCostAssignment } from './assignment.js';
