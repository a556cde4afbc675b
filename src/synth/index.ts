export { syntheticCells } from './cells.js';
export type { SyntheticCells, SyntheticCellsOptions } from './cells.js';
export { trainingSample } from './training-sample.js';
export type { TrainingSample, TrainingSampleOptions, TrainingTarget } from './training-sample.js';
