/**
 * Reading and writing images and tables: TIFF / OME-TIFF / ImageJ (own reader and writer),
 * OME-Zarr, PNG, `.npy`, and tables as CSV, Parquet or JSON. Paths (Node): `readImage`,
 * `inspectImage`, `readChannels`, `readLabels`, `writeTiffFile`, `readTableFile`,
 * `writeTableFile`. Everything else works on bytes or arrays (`decode*`, `encode*`) and runs in
 * a browser too.
 *
 * @packageDocumentation
 */
export { encodeNpy, decodeNpy, npyToNumbers } from './npy.js';
export type { NpyArray, NpyData } from './npy.js';
export { decodeTiffArray, tiffArrayToStack, decodeTiff } from './tiff/read.js';
export type { ReadTiffOptions, StackSelection, TiffArray } from './tiff/read.js';
export type { ImageJMetadata, OmeMetadata } from './tiff/metadata.js';
export { decodeRaster, encodePng } from './raster.js';
export { inspectImage, readChannels, readImage, sniffFormat } from './read-image.js';
export { combineChannels, fileStem } from './combine-channels.js';
export { readLabels } from './read-labels.js';
export type { ChannelSummary, ImageFormat, ImageInfo, ReadImageOptions } from './read-image.js';
export { encodeLabelsTiff, encodeTiff, TIFF_COMPRESSIONS } from './tiff/write.js';
export type { TiffCompression, WriteLabelsTiffOptions, WriteTiffOptions } from './tiff/write.js';
export { writeTiffFile } from './tiff/write-file.js';
export { tiffPyramid, tiffRegionSource } from './tiff/region.js';
export type { ByteSource } from './tiff/source.js';
export { openOmeZarr, omeZarrRegionSource } from './zarr/ome-zarr.js';
export type { OmeZarrImage, OmeZarrLevel, OmeZarrRegionOptions } from './zarr/ome-zarr.js';
export * from './table/index.js';
