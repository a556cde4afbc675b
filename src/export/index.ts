// Browser-safe: label outlines and the formats Fiji, QuPath and napari read, as bytes or into
// any zarrita store. Writing files (writeLabelExports, writeOmeZarrLabelsFile) is Node-only.
export { containsPoint, ringArea2, traceOutlines } from '../measure/contours/trace.js';
export type { ObjectOutline, OutlinePolygon, Ring } from '../measure/contours/trace.js';
export { encodeImagejRoi, encodeImagejRoiZip, labelsToImagejRoiZip } from './imagej-roi.js';
export { labelsToGeoJson, toGeometry } from './geojson.js';
export type {
  GeoJsonGeometry,
  GeoJsonOptions,
  QupathFeature,
  QupathFeatureCollection,
} from './geojson.js';
export { writeOmeZarrLabels } from './ome-zarr.js';
export type { Axis, OmeZarrLabelsOptions } from './ome-zarr.js';
export { encodeTiledLabelsTiff } from '../io/tiff/write-tiled.js';
export type { WriteTiledLabelsOptions } from '../io/tiff/write-tiled.js';
export { EXPORT_FORMAT_HELP, EXPORT_FORMATS, parseExportFormats } from './formats.js';
export type { ExportFormat } from './formats.js';
