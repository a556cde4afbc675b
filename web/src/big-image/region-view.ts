// A rectangle of a region source as a source of its own: block-wise segmentation of the
// visible region reads through it, in full-resolution pixels offset by the rectangle's corner.
import { checkRegion, type RegionSource } from 'cellscope/browser';
import type { RegionRect } from './protocol.js';

export function regionView(source: RegionSource, rect: RegionRect): RegionSource {
  checkRegion(rect, source.width, source.height);
  return {
    width: rect.width,
    height: rect.height,
    dtype: source.dtype,
    channelNames: source.channelNames,
    pixelSizeUm: source.pixelSizeUm,
    read: (region, channels) =>
      source.read({ ...region, x: region.x + rect.x, y: region.y + rect.y }, channels),
  };
}
