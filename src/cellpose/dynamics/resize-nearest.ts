import { InvalidArgumentError } from '../../errors.js';
import type { Labels } from '../../image/types.js';
import { checkImage } from '../../image/validate.js';

/**
 * Resizes a label image with OpenCV's legacy `INTER_NEAREST` (OpenCV 4.x `resizeNN`), as Cellpose
 * 3.1 `transforms.resize_image(..., interpolation=cv2.INTER_NEAREST)`: output pixel (y, x) copies
 * source pixel `(min(floor(y · sy), H − 1), min(floor(x · sx), W − 1))` with
 * `sy = 1 / (outHeight / H)` and `sx = 1 / (outWidth / W)` in float64. This is not the
 * pixel-centre-aligned `INTER_NEAREST_EXACT`: it is biased towards the top-left by up to half a
 * source pixel.
 *
 * Cellpose sends label images with labels ≥ 65536 (uint32) through float32; that rounding is
 * reproduced, which only changes labels above 2²⁴.
 *
 * @param height Output height in pixels (≥ 1).
 * @param width Output width in pixels (≥ 1).
 * @returns a new label image; 0 stays background.
 * @throws InvalidArgumentError for a non-integer or non-positive output size.
 */
export function resizeNearest(labels: Labels, height: number, width: number): Labels {
  checkImage(labels, 'labels', { minSize: 1, uint32: true });
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new InvalidArgumentError(
      `output size must be positive integers, got ${height} × ${width}`,
    );
  }
  const { width: sourceWidth, height: sourceHeight, data: source } = labels;
  const scaleX = 1 / (width / sourceWidth);
  const scaleY = 1 / (height / sourceHeight);
  const columns = new Int32Array(width);
  for (let x = 0; x < width; x++) columns[x] = Math.min(Math.floor(x * scaleX), sourceWidth - 1);
  let max = 0;
  for (let i = 0; i < source.length; i++) if (source[i] > max) max = source[i];
  // transforms.resize_safe: uint32 (labels ≥ 2¹⁶ in Cellpose) goes through float32.
  const viaFloat32 = max >= 65536;
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = Math.min(Math.floor(y * scaleY), sourceHeight - 1) * sourceWidth;
    const out = y * width;
    for (let x = 0; x < width; x++) {
      const v = source[row + columns[x]];
      data[out + x] = viaFloat32 ? Math.min(Math.fround(v), 0xffffffff) : v;
    }
  }
  return { width, height, data };
}
