export { readNpy, npyToNumbers } from './npy.js';
export type { NpyArray, NpyData } from './npy.js';
export { readTiff, tiffArrayToStack, decodeTiff } from './tiff/read.js';
export type { ReadTiffOptions, StackSelection, TiffArray } from './tiff/read.js';
export type { ImageJMetadata, OmeMetadata } from './tiff/metadata.js';
