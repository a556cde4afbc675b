/**
 * Nuclei and cells together: nucleus ↔ cell matching by overlap, compartments (nucleus,
 * cytoplasm, cell), per-compartment intensities and ratios, and nucleus-free fragments.
 *
 * @packageDocumentation
 */
export { relate } from './relate.js';
export type {
  CellsRelation,
  NucleiRelation,
  OverlapPairs,
  Relation,
  RelationConflicts,
} from './relate.js';
export { compartments } from './compartments.js';
export type { Compartments } from './compartments.js';
export { measureCells } from './measure-cells.js';
export type { MeasureCellsOptions } from './measure-cells.js';
export { measureNuclei } from './measure-nuclei.js';
export type { MeasureNucleiOptions } from './measure-nuclei.js';
export { dropCellsWithoutNucleus, mergeNucleusFreeFragments } from './merge-fragments.js';
export type { MergeFragmentsOptions, MergeFragmentsResult } from './merge-fragments.js';
