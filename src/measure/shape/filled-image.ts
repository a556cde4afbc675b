import type { Mask } from '../../image/types.js';
import { intScratch, paddedMask } from './scratch.js';
import { checkImage } from '../../image/validate.js';

/** Flood marks: background the outside reaches, and the padding frame, which stops the flood. */
const REACHED = 2;
const FRAME = 3;
/** The 8 neighbour offsets for the current stride. */
const STEPS = new Int32Array(8);

/**
 * Marks as REACHED the background of the padded mask (stride width + 2) that the outside reaches
 * through background pixels touching at an edge or a corner; returns how many it reached.
 */
export function floodOutside(mask: Mask): { padded: Uint8Array; reached: number } {
  const { width, height } = mask;
  const stride = width + 2;
  const padded = paddedMask(mask, 0);
  const last = stride * (height + 1);
  padded.fill(FRAME, 0, stride);
  padded.fill(FRAME, last, last + stride);
  for (let y = 1; y <= height; y++) {
    padded[y * stride] = FRAME;
    padded[y * stride + width + 1] = FRAME;
  }
  const stack = intScratch(10, width * height);
  let top = 0;
  // Background on the crop's edge touches the outside; the flood spreads from there.
  const seed = (p: number) => {
    if (padded[p] === 0) {
      padded[p] = REACHED;
      stack[top++] = p;
    }
  };
  for (let x = 1; x <= width; x++) {
    seed(stride + x);
    seed(height * stride + x);
  }
  for (let y = 2; y < height; y++) {
    seed(y * stride + 1);
    seed(y * stride + width);
  }
  let reached = top;
  const steps = STEPS;
  steps[0] = -stride - 1;
  steps[1] = -stride;
  steps[2] = -stride + 1;
  steps[3] = -1;
  steps[4] = 1;
  steps[5] = stride - 1;
  steps[6] = stride;
  steps[7] = stride + 1;
  while (top > 0) {
    const p = stack[--top];
    for (let k = 0; k < 8; k++) {
      const q = p + steps[k];
      if (padded[q] === 0) {
        padded[q] = REACHED;
        stack[top++] = q;
        reached++;
      }
    }
  }
  return { padded, reached };
}

/**
 * The object with its holes filled, as regionprops' `image_filled` in scikit-image 0.19.3:
 * `scipy.ndimage.binary_fill_holes(region.image, np.ones((3, 3)))`. A hole is background that
 * cannot reach the edge of the crop through background pixels touching at an edge or a corner
 * (8-connected background), so a ring whose wall is only diagonally closed has no hole — while
 * `eulerNumber` (8-connected object, hence 4-connected background) counts one there.
 * Nonzero mask values are object; the result is 0/1. O(pixels); allocates only the result.
 */
export function filledImage(mask: Mask): Mask {
  checkImage(mask, 'mask');
  const { width, height } = mask;
  const out = new Uint8Array(width * height);
  if (width === 0 || height === 0) return { width, height, data: out };
  const { padded } = floodOutside(mask);
  const stride = width + 2;
  for (let y = 0; y < height; y++) {
    const source = (y + 1) * stride + 1;
    for (let x = 0; x < width; x++) out[y * width + x] = padded[source + x] === REACHED ? 0 : 1;
  }
  return { width, height, data: out };
}
