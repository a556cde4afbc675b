// The overview a big image opens with: a pyramid level read whole, or, where no level is small
// enough (a TIFF without a pyramid), every f-th pixel of one gathered by region reads.
import {
  allocatePixels,
  createStack,
  type Plane,
  type RegionSource,
  type Stack,
} from 'cellscope/browser';

/** The overview's longest side at most (a 2048² uint16 3-channel overview is 24 MB). */
export const OVERVIEW_MAX_SIDE = 2048;
/** Strided reads fetch blocks of at most this side, so memory stays bounded at any image size. */
const STRIDED_BLOCK_SIDE = 4096;

export interface Overview {
  stack: Stack;
  /** Overview pixels per pixel of the level it was read from (1, or 1/f when strided). */
  factor: number;
}

/** The whole level when it fits OVERVIEW_MAX_SIDE, else every f-th pixel of it. */
export async function readOverview(level: RegionSource): Promise<Overview> {
  const f = Math.ceil(Math.max(level.width, level.height) / OVERVIEW_MAX_SIDE);
  if (f <= 1) {
    return {
      stack: await level.read({ x: 0, y: 0, width: level.width, height: level.height }),
      factor: 1,
    };
  }
  return { stack: await stridedRead(level, f), factor: 1 / f };
}

/**
 * Pixel (x·f, y·f) of the level for each overview pixel (x, y), the nearest-neighbour halving
 * pyramid writers use, read block by block.
 */
export async function stridedRead(level: RegionSource, f: number): Promise<Stack> {
  const width = Math.ceil(level.width / f);
  const height = Math.ceil(level.height / f);
  const channels = level.channelNames.length;
  const planes: Plane[] = Array.from({ length: channels }, () => ({
    width,
    height,
    data: allocatePixels(level.dtype, width * height),
  }));
  const side = Math.max(f, Math.floor(STRIDED_BLOCK_SIDE / f) * f);
  for (let by = 0; by < level.height; by += side) {
    for (let bx = 0; bx < level.width; bx += side) {
      const region = {
        x: bx,
        y: by,
        width: Math.min(side, level.width - bx),
        height: Math.min(side, level.height - by),
      };
      const block = await level.read(region);
      block.planes.forEach((plane, c) => {
        const out = planes[c].data;
        for (let y = 0; y < region.height; y += f) {
          const row = ((by + y) / f) * width + bx / f;
          for (let x = 0; x < region.width; x += f) {
            out[row + x / f] = plane.data[y * region.width + x];
          }
        }
      });
    }
  }
  return createStack(planes, { channelNames: [...level.channelNames] });
}
