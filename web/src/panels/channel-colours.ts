// The colour each channel starts with: RGB photographs in their own colours, one channel grey,
// fluorescence channels in the library's composite colours (nuclei blue, then green, magenta…).
import { DEFAULT_CHANNEL_COLOURS } from 'cellscope/browser';
import type { ImageInfo, Rgb } from '../engine/protocol.js';

const RGB_COLOURS: readonly Rgb[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
];

/** Whether the channels are a colour image's samples: interleaved (`S` axis) or named R, G, B. */
export function isRgbImage(info: Pick<ImageInfo, 'axes' | 'channelNames'>): boolean {
  const names = info.channelNames.map((n) => n.toUpperCase());
  const count = names.length;
  if (count !== 3 && count !== 4) return false;
  return info.axes.includes('S') || names.slice(0, 3).join() === 'R,G,B';
}

export function defaultChannelColours(info: Pick<ImageInfo, 'axes' | 'channelNames'>): Rgb[] {
  const count = info.channelNames.length;
  if (count === 1) return [[255, 255, 255]];
  if (isRgbImage(info)) {
    // A fourth sample is alpha: black adds nothing to the additive composite.
    return Array.from({ length: count }, (_, c): Rgb => [...(RGB_COLOURS[c] ?? [0, 0, 0])]);
  }
  return Array.from({ length: count }, (_, c): Rgb => [
    ...DEFAULT_CHANNEL_COLOURS[c % DEFAULT_CHANNEL_COLOURS.length],
  ]);
}
