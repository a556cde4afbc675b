export * from './errors.js';
export * from './image/index.js';
export * from './io/index.js';
export { compositeRgba, DEFAULT_CHANNEL_COLOURS } from './plot/composite.js';
export type { CompositeOptions, Rgb } from './plot/composite.js';
export { syntheticCells } from './synthetic/cells.js';
export type { SyntheticCells, SyntheticCellsOptions } from './synthetic/cells.js';
export * from './evaluate/index.js';
