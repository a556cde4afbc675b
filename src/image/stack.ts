import { InvalidArgumentError } from '../errors.js';
import { dtypeOf } from './dtype.js';
import type { DType, PixelSize, Plane, Stack } from './types.js';

export interface StackOptions {
  channelNames?: string[];
  pixelSizeUm?: PixelSize;
  sourceAxes?: string;
}

/** Builds a stack after checking that all planes share size and dtype. */
export function createStack(planes: Plane[], options: StackOptions = {}): Stack {
  if (planes.length === 0) throw new InvalidArgumentError('a stack needs at least one plane');
  const [first] = planes;
  const dtype = dtypeOf(first.data);
  for (const plane of planes) {
    if (plane.width !== first.width || plane.height !== first.height) {
      throw new InvalidArgumentError(
        `all planes of a stack must be ${first.width}×${first.height}, got ${plane.width}×${plane.height}`,
      );
    }
    if (dtypeOf(plane.data) !== dtype) {
      throw new InvalidArgumentError(`all planes of a stack must be ${dtype}`);
    }
  }
  const channelNames = options.channelNames ?? planes.map((_, i) => `C${i}`);
  if (channelNames.length !== planes.length) {
    throw new InvalidArgumentError(
      `${channelNames.length} channel names given for ${planes.length} planes`,
    );
  }
  return {
    planes,
    channelNames,
    pixelSizeUm: options.pixelSizeUm,
    sourceAxes: options.sourceAxes ?? (planes.length > 1 ? 'CYX' : 'YX'),
  };
}

export function stackDtype(stack: Stack): DType {
  return dtypeOf(stack.planes[0].data);
}

/**
 * Index of a channel given by 0-based index or by name (case-insensitive).
 * A numeric string such as `"1"` is an index unless a channel has exactly that name.
 */
export function channelIndex(stack: Stack, channel: number | string): number {
  const count = stack.planes.length;
  if (typeof channel === 'string') {
    const byName = stack.channelNames.findIndex((n) => n === channel);
    if (byName >= 0) return byName;
    const folded = stack.channelNames.findIndex((n) => n.toLowerCase() === channel.toLowerCase());
    if (folded >= 0) return folded;
    if (/^\d+$/.test(channel)) return channelIndex(stack, Number(channel));
    throw new InvalidArgumentError(
      `no channel named "${channel}"; the channels are ${stack.channelNames.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  if (!Number.isInteger(channel) || channel < 0 || channel >= count) {
    throw new InvalidArgumentError(
      `channel ${channel} does not exist; the image has ${count} channel${count === 1 ? '' : 's'} (0–${count - 1})`,
    );
  }
  return channel;
}

/** The plane of one channel, by index or name. */
export function selectChannel(stack: Stack, channel: number | string): Plane {
  return stack.planes[channelIndex(stack, channel)];
}

/** A stack with only the given channels, in the given order. */
export function selectChannels(stack: Stack, channels: readonly (number | string)[]): Stack {
  const indices = channels.map((c) => channelIndex(stack, c));
  return createStack(
    indices.map((i) => stack.planes[i]),
    {
      channelNames: indices.map((i) => stack.channelNames[i]),
      pixelSizeUm: stack.pixelSizeUm,
      sourceAxes: stack.sourceAxes,
    },
  );
}
