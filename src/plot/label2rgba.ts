import type { Labels } from '../image/types.js';
import type { RgbaImage } from './composite.js';
import { unitToByte as toByte } from './label-colours.js';
import { label2rgb, type Label2RgbOptions } from './label2rgb.js';

/**
 * {@link label2rgb} as an 8-bit RGBA image (alpha 255), ready for `encodePng`: each value is
 * converted as skimage's `img_as_ubyte` (`rint(v · 255)`, clipped to 0–255).
 */
export function label2rgba(labels: Labels, options: Label2RgbOptions = {}): RgbaImage {
  const { width, height, data } = label2rgb(labels, options);
  const out = new Uint8Array(width * height * 4);
  for (let i = 0, o = 0; i < data.length; i += 3, o += 4) {
    out[o] = toByte(data[i]);
    out[o + 1] = toByte(data[i + 1]);
    out[o + 2] = toByte(data[i + 2]);
    out[o + 3] = 255;
  }
  return { width, height, channels: 4, data: out };
}
