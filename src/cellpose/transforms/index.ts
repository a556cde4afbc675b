export { convertImage } from './convert-image.js';
export type { ChannelSelection } from './convert-image.js';
export { normalize99, normalizeImage } from './normalize.js';
export type { Normalize99Options, NormalizeImageOptions } from './normalize.js';
export { normalize99Tile } from './normalize-tile.js';
export type { Normalize99TileOptions } from './normalize-tile.js';
export { rescaledSize, resizeLinear } from './resize.js';
export type { ResizeSize } from './resize.js';
export {
  averageTiles,
  createTileAverager,
  extractTiles,
  padSizes,
  taperMask,
  tileLayout,
  unaugmentTile,
} from './tiles.js';
export type { PadSizes, TileAverager, TileLayout, TileLayoutOptions } from './tiles.js';
export { runNet } from './run-net.js';
export type { NetworkForward, NetworkOutput, RunNetOptions, RunNetResult } from './run-net.js';
export { flowToRgb } from './flow-colours.js';
export type { RgbImage } from './flow-colours.js';
export type { CellposeChannels, CellposeFlows, Float32Plane } from './types.js';
