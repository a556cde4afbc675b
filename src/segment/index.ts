/**
 * Classical segmentation, matching scikit-image 0.19.3: global and local thresholds, binary
 * morphology, connected-component labelling, the Euclidean distance transform, peak finding, the
 * marker watershed, boundaries and label expansion, and nuclei and cells from nuclei.
 *
 * @packageDocumentation
 */
export * from './threshold/index.js';
export * from './morphology/index.js';
export * from './labeling/index.js';
export * from './distance/index.js';
export * from './labels/index.js';
export { peakLocalMax, peaksToMarkers } from './peaks/peakLocalMax.js';
export type { PeakCoordinate, PeakLocalMaxOptions } from './peaks/peakLocalMax.js';
export { watershed } from './watershed/watershed.js';
export type { WatershedOptions } from './watershed/watershed.js';
export { estimateDiameter, segmentNucleiClassical } from './nuclei.js';
export type { ClassicalNucleiOptions, ClassicalNucleiResult } from './nuclei.js';
export { CELL_METHODS, segmentCellsFromNuclei } from './cells.js';
export type { CellMethod, CellsFromNucleiOptions, CellsFromNucleiResult } from './cells.js';
export {
  cellsFromNucleiAndNetwork,
  flowDivergence,
  NETWORK_LANDSCAPES,
} from './cells-from-network.js';
export type {
  CellNetworkOutput,
  CellsFromNetworkOptions,
  CellsFromNetworkResult,
  NetworkLandscape,
} from './cells-from-network.js';
