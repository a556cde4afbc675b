/**
 * cellscope: fluorescence microscopy from pixels to biology.
 *
 * The root holds the calls a user starts with: read an image, segment nuclei and cells
 * (classically or with Cellpose), measure them, relate nuclei to cells, run a whole analysis, and
 * write the results. Everything else sits in a subpath by domain: `cellscope/io`,
 * `cellscope/image`, `cellscope/segment`, `cellscope/cellpose`, `cellscope/measure`,
 * `cellscope/relate`, `cellscope/stats`, `cellscope/plot`, `cellscope/pipeline`,
 * `cellscope/export`, `cellscope/evaluate`, `cellscope/edit`; `cellscope/browser` is the library
 * without anything Node-only.
 *
 * @packageDocumentation
 */

// errors every call may throw
export {
  CellscopeError,
  FileAccessError,
  ImageFormatError,
  InvalidArgumentError,
  isCellscopeError,
  ModelFormatError,
  UnsupportedError,
  withFile,
} from './errors.js';
export type { CellscopeErrorCode, CellscopeErrorOptions } from './errors.js';

// images
export { createLabels, createPlane } from './image/plane.js';
export { createStack, selectChannel } from './image/stack.js';
export type { DType, Labels, Mask, PixelArray, PixelSize, Plane, Stack } from './image/types.js';

// reading and writing files
export { inspectImage, readImage } from './io/read-image.js';
export type { ImageInfo, ReadImageOptions } from './io/read-image.js';
export { readLabels } from './io/read-labels.js';
export { writeTiffFile } from './io/tiff/write-file.js';
export { readTableFile, writeTableFile } from './io/table/file.js';
export type { Column, Table, TableMetadata } from './table/table.js';

// segmentation
export { segmentNucleiClassical } from './segment/nuclei.js';
export type { ClassicalNucleiOptions, ClassicalNucleiResult } from './segment/nuclei.js';
export { segmentCellsFromNuclei } from './segment/cells.js';
export type { CellsFromNucleiOptions, CellsFromNucleiResult } from './segment/cells.js';
export { loadCellposeModel } from './cellpose/model.js';
export type { CellposeModel, LoadCellposeModelOptions } from './cellpose/model.js';
export { segmentCellpose } from './cellpose/segment-cellpose.js';
export type {
  CellposeResult,
  CellposeStage,
  SegmentCellposeOptions,
} from './cellpose/segment-cellpose.js';

// measurement and relations
export { regionprops } from './measure/regionprops.js';
export type { RegionpropsOptions } from './measure/regionprops.js';
export { relate } from './relate/relate.js';
export type { Relation } from './relate/relate.js';
export { compartments } from './relate/compartments.js';
export type { Compartments } from './relate/compartments.js';
export { measureNuclei } from './relate/measure-nuclei.js';
export type { MeasureNucleiOptions } from './relate/measure-nuclei.js';
export { measureCells } from './relate/measure-cells.js';
export type { MeasureCellsOptions } from './relate/measure-cells.js';
export { matchLabels } from './evaluate/matching.js';
export type { MatchingOptions, MatchingScores } from './evaluate/matching.js';

// whole analyses
export { parseAnalysisConfig } from './pipeline/config.js';
export type { AnalysisConfig, AnalysisConfigInput } from './pipeline/config.js';
export { analyzeImage } from './pipeline/analyze-image.js';
export type { AnalyzeImageOptions, ImageSummary } from './pipeline/analyze-image.js';
export { analyzeBatch } from './pipeline/batch.js';
export type { BatchOptions, BatchResult } from './pipeline/batch.js';
export { writeLabelExports } from './export/write-exports.js';
export type { LabelExportInput } from './export/write-exports.js';

// test images with known labels
export { syntheticCells } from './synth/cells.js';
export type { SyntheticCells, SyntheticCellsOptions } from './synth/cells.js';
