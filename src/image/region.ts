import { InvalidArgumentError } from '../errors.js';
import { crop } from './crop.js';
import { createStack, stackDtype } from './stack.js';
import type { DType, PixelSize, Stack } from './types.js';

/** A rectangle of an image, in pixels: `x` the first column, `y` the first row. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * An image read region by region: an in-memory Stack, a tiled TIFF read lazily or an OME-Zarr
 * array. Block-wise segmentation reads through it, never through a whole-image array.
 */
export interface RegionSource {
  readonly width: number;
  readonly height: number;
  readonly dtype: DType;
  readonly channelNames: readonly string[];
  readonly pixelSizeUm?: PixelSize;
  /** The region's pixels of the given channels (0-based; all by default) as a Stack. */
  read(region: Region, channels?: readonly number[]): Promise<Stack>;
}

/** Throws unless the region is a non-empty integer rectangle inside a `width` × `height` image. */
export function checkRegion(region: Region, width: number, height: number): void {
  const { x, y, width: w, height: h } = region;
  const inside =
    [x, y, w, h].every(Number.isInteger) &&
    x >= 0 &&
    y >= 0 &&
    w >= 1 &&
    h >= 1 &&
    x + w <= width &&
    y + h <= height;
  if (!inside) {
    throw new InvalidArgumentError(
      `region ${w} × ${h} at (x ${x}, y ${y}) does not lie inside the ${width} × ${height} image`,
    );
  }
}

/** Throws unless every channel index exists; returns the indices (all channels by default). */
export function checkChannels(channels: readonly number[] | undefined, count: number): number[] {
  const picked = channels ? [...channels] : Array.from({ length: count }, (_, c) => c);
  for (const c of picked) {
    if (!(Number.isInteger(c) && c >= 0 && c < count)) {
      throw new InvalidArgumentError(
        `channel ${c} does not exist: the image has ${count} channel${count === 1 ? '' : 's'} (0…${count - 1})`,
      );
    }
  }
  return picked;
}

/** A RegionSource over a Stack already in memory: each read copies the rectangle out. */
export function stackRegionSource(stack: Stack): RegionSource {
  const { width, height } = stack.planes[0];
  return {
    width,
    height,
    dtype: stackDtype(stack),
    channelNames: stack.channelNames,
    pixelSizeUm: stack.pixelSizeUm,
    async read(region, channels) {
      checkRegion(region, width, height);
      const picked = checkChannels(channels, stack.planes.length);
      const cut = { top: region.y, left: region.x, width: region.width, height: region.height };
      const planes = picked.map((c) => crop(stack.planes[c], cut));
      return createStack(planes, {
        channelNames: picked.map((c) => stack.channelNames[c]),
        pixelSizeUm: stack.pixelSizeUm,
      });
    },
  };
}
