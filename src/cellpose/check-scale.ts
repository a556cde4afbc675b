import { InvalidArgumentError } from '../errors.js';
import { rescaledSize } from './transforms/resize.js';

/**
 * Most pixels the network may see after rescaling (about 11585²): the network, the flows and
 * the dynamics all allocate per pixel at that scale, so a tiny diameter on a normal image
 * (0.01 px: a 3000× resize) must be refused before any work.
 */
export const MAX_NETWORK_PIXELS = 2 ** 27;

/** Throws unless rescaling a `width × height` image by `rescale` stays within the pixel budget. */
export function checkNetworkScale(
  rescale: number,
  width: number,
  height: number,
  diameter: number,
  maxPixels = MAX_NETWORK_PIXELS,
): void {
  const size = rescaledSize(height, width, rescale);
  const pixels = size.width * size.height;
  if (!(pixels <= maxPixels) || size.width < 1 || size.height < 1) {
    throw new InvalidArgumentError(
      `diameter ${round(diameter)} px scales the ${width} × ${height} image by ${round(rescale)} ` +
        `to ${size.width} × ${size.height} for the network, ` +
        (pixels > maxPixels
          ? `more than the ${(maxPixels / 1e6).toFixed(0)} M pixel budget`
          : 'which is empty'),
      { hint: 'give a diameter closer to the objects’ size in pixels' },
    );
  }
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
