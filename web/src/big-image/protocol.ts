// Messages for big images: opened lazily in the engine worker, drawn as an overview plus tiles.
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { ChannelDisplay, ImageInfo, ModelFile } from '../engine/protocol.js';
import type { LevelSize } from './levels.js';

/** What the user opened: one file (a tiled TIFF) or the files of a folder (an OME-Zarr). */
export type BigImageInput =
  | { kind: 'file'; file: File }
  | { kind: 'folder'; name: string; entries: { path: string; file: File }[] };

export interface BigImageInfo extends ImageInfo {
  /** Every resolution level, full resolution first. */
  levels: LevelSize[];
  /** The level the overview was read from (the one that fits the view). */
  overviewLevel: number;
  /** Overview pixels per full-resolution pixel, ≤ 1 (strided when the level was still large). */
  overviewScale: number;
  /** Where the overview came from: a pyramid level, or strided reads of one. */
  overviewSource: 'level' | 'strided';
}

export interface RegionRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RegionSegmentation {
  region: RegionRect;
  /** Nuclei and cells over `region` as outlines (RGBA), drawn over the tiles. */
  overlay: ImageBitmap;
  counts: { nuclei: number; cells: number };
  blocks: number;
  blockSize: number;
  steps: string[];
  seconds: number;
}

export interface BigImageRequests {
  /** Opens files lazily when they are a big image; null: open them the usual way. */
  bigOpen: {
    args: { input: BigImageInput; viewWidth: number; viewHeight: number };
    result: BigImageInfo | null;
  };
  bigOverview: { args: { channels: ChannelDisplay[] }; result: ImageBitmap };
  bigTile: {
    args: { level: number; col: number; row: number; channels: ChannelDisplay[] };
    result: ImageBitmap;
  };
  /** Block-wise segmentation of a full-resolution region (the visible one, or the whole image). */
  bigSegment: {
    args: {
      region: RegionRect;
      config: AnalysisConfigInput;
      models: ModelFile[];
      blockSize: number;
    };
    result: RegionSegmentation;
  };
}

// The engine's request table gains the big-image requests wherever this module is compiled in,
// so the engine's protocol never imports this room (no import cycle).
declare module '../engine/protocol.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Requests extends BigImageRequests {}
}
