export { label } from './label.js';
export type { LabelOptions, LabelResult } from './label.js';
export { relabelSequential } from './relabel-sequential.js';
export type { RelabelSequentialOptions, RelabelSequentialResult } from './relabel-sequential.js';
