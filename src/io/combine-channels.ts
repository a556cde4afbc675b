import { InvalidArgumentError } from '../errors.js';
import { toFloat32 } from '../image/convert.js';
import { dtypeOf } from '../image/dtype.js';
import { createStack } from '../image/stack.js';
import type { Stack } from '../image/types.js';

/**
 * Joins images opened from several files into the channels of one image, in order
 * (CellProfiler-style one file per channel). A single-channel file's channel is named after
 * the file (`fileNames[k]` without its extension); files must have the same size; channels of
 * different pixel types become float32. Used by `readChannels` and the browser app alike.
 */
export function combineChannels(stacks: readonly Stack[], fileNames: readonly string[]): Stack {
  if (stacks.length === 0) throw new InvalidArgumentError('no image given');
  if (stacks.length === 1) return stacks[0];
  const first = stacks[0].planes[0];
  stacks.forEach((stack, k) => {
    const { width, height } = stack.planes[0];
    if (width !== first.width || height !== first.height) {
      throw new InvalidArgumentError(
        `is ${width}×${height} but ${fileNames[0]} is ${first.width}×${first.height}`,
        {
          file: fileNames[k],
          hint: 'channels given as separate files must show the same field of view',
        },
      );
    }
  });
  const planes = stacks.flatMap((s) => s.planes);
  const names = stacks.flatMap((s, k) =>
    s.planes.length === 1 ? [fileStem(fileNames[k])] : s.channelNames,
  );
  const sameType = planes.every((p) => dtypeOf(p.data) === dtypeOf(first.data));
  return createStack(sameType ? planes : planes.map(toFloat32), {
    channelNames: names,
    pixelSizeUm: stacks.find((s) => s.pixelSizeUm)?.pixelSizeUm,
    sourceAxes: 'CYX',
  });
}

/** A file's name without folders and image extension (`a/b/x.ome.tif` → `x`). */
export function fileStem(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return name.replace(/\.(ome\.)?(tiff?|png|jpe?g|npy)$/i, '');
}
