/**
 * Exports of label images to the formats Fiji, QuPath and napari read: ImageJ ROI zips, QuPath
 * GeoJSON, OME-Zarr labels and tiled label TIFFs, as bytes, into a zarrita store, or (Node) as
 * files beside an image.
 *
 * @packageDocumentation
 */
export * from './index.js';
export { exportPaths, writeLabelExports } from './write-exports.js';
export type { LabelExportInput } from './write-exports.js';
export { writeOmeZarrLabelsFile } from './ome-zarr-file.js';
