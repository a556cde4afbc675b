import { InvalidArgumentError } from '../../errors.js';
import { pairwiseSum32 } from '../../image/numpy-float.js';
import type { Plane, Stack } from '../../image/types.js';
import type { CellposeChannels, Float32Plane } from './types.js';

/**
 * Cellpose's `channels = [toSegment, nuclear]`, 1-based: 0 as the first entry means grayscale
 * (the mean of all channels), 0 as the second means no nuclear channel.
 */
export type ChannelSelection = readonly [number, number];

/**
 * Picks the two network input channels from a stack, as `transforms.convert_image` (Cellpose
 * 3.1.1.3) does for a 2-D image whose channels are already known, and converts them to float32.
 *
 * - `channels = [c0, c1]`: a one-channel stack gives `[image, zeros]` whatever the selection (as
 *   Cellpose, which ignores `channels` then); otherwise `c0 = 0` gives `[mean of all channels,
 *   zeros]` (float32 NumPy mean), else `[channel c0, channel c1]`, with zeros when `c1 = 0`. So
 *   `[2, 1]` gives `[green, red]`.
 * - `channels` undefined (`CellposeModel.eval`'s default; `Cellpose.eval` defaults to `[0, 0]`):
 *   the first two channels, a missing second one filled with zeros.
 *
 * Pixel values are converted to float32 unscaled (uint16 4095 stays 4095); the result never
 * shares memory with the input.
 *
 * @throws InvalidArgumentError for an empty stack, planes of different sizes, or a channel
 *   number that is not an integer in [0, number of channels] (for a one-channel stack any
 *   non-negative integer is accepted and ignored, as in Cellpose).
 */
export function convertImage(
  stack: Pick<Stack, 'planes'> | readonly Plane[],
  channels?: ChannelSelection,
): CellposeChannels {
  const planes: readonly Plane[] = Array.isArray(stack)
    ? (stack as readonly Plane[])
    : (stack as Pick<Stack, 'planes'>).planes;
  if (planes.length === 0)
    throw new InvalidArgumentError('convertImage needs at least one channel');
  const { width, height } = planes[0];
  for (const plane of planes) {
    if (plane.width !== width || plane.height !== height) {
      throw new InvalidArgumentError(
        `all channels must have the same size, got ${width} × ${height} and ${plane.width} × ${plane.height}`,
      );
    }
  }
  const count = planes.length;
  const zeros = (): Float32Plane => ({ width, height, data: new Float32Array(width * height) });
  const asFloat32 = (plane: Plane): Float32Plane => ({
    width,
    height,
    data: Float32Array.from(plane.data),
  });

  if (channels === undefined) {
    return [asFloat32(planes[0]), count > 1 ? asFloat32(planes[1]) : zeros()];
  }
  if (channels.length !== 2) {
    throw new InvalidArgumentError(
      `channels must be [toSegment, nuclear], got ${channels.length} numbers`,
    );
  }
  for (const c of channels) {
    // Cellpose ignores the selection for a one-channel image, so only the form is checked then.
    if (!Number.isInteger(c) || c < 0 || (count > 1 && c > count)) {
      throw new InvalidArgumentError(
        `channel ${c} does not exist: the image has ${count} channel${count === 1 ? '' : 's'} (use 1…${count}, or 0 for grayscale / none)`,
      );
    }
  }
  const [c0, c1] = channels;
  if (count === 1) return [asFloat32(planes[0]), zeros()];
  if (c0 === 0) return [channelMean(planes, width, height), zeros()];
  return [asFloat32(planes[c0 - 1]), c1 > 0 ? asFloat32(planes[c1 - 1]) : zeros()];
}

/** NumPy's float32 `mean(axis=-1)` over channels-last data: pairwise float32 sum, then divide. */
function channelMean(planes: readonly Plane[], width: number, height: number): Float32Plane {
  const count = planes.length;
  const out = new Float32Array(width * height);
  const pixel = new Float32Array(count);
  for (let i = 0; i < out.length; i++) {
    for (let c = 0; c < count; c++) pixel[c] = planes[c].data[i];
    out[i] = pairwiseSum32(pixel, 0, count) / count;
  }
  return { width, height, data: out };
}
