import type { Labels, Mask } from '../../../image/types.js';

/** One object of a label scene as regionprops sees it: label, bbox, and its bbox crop. */
export interface Crop {
  label: number;
  /** `[minRow, minCol, maxRow, maxCol]`, max exclusive (skimage's `bbox`). */
  bbox: [number, number, number, number];
  mask: Mask;
}

/** Every label of a scene, ascending, cropped to its bbox (skimage's `region.image`). */
export function crops(labels: Labels): Crop[] {
  const { width, height, data } = labels;
  const boxes = new Map<number, [number, number, number, number]>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = data[y * width + x];
      if (label === 0) continue;
      const box = boxes.get(label);
      if (!box) boxes.set(label, [y, x, y + 1, x + 1]);
      else {
        if (x < box[1]) box[1] = x;
        if (x + 1 > box[3]) box[3] = x + 1;
        box[2] = y + 1;
      }
    }
  }
  return [...boxes.keys()]
    .sort((a, b) => a - b)
    .map((label) => {
      const bbox = boxes.get(label)!;
      const [r0, c0, r1, c1] = bbox;
      const w = c1 - c0;
      const mask = new Uint8Array(w * (r1 - r0));
      for (let y = r0; y < r1; y++) {
        for (let x = c0; x < c1; x++) {
          if (data[y * width + x] === label) mask[(y - r0) * w + x - c0] = 1;
        }
      }
      return { label, bbox, mask: { width: w, height: r1 - r0, data: mask } };
    });
}

/** A mask from rows of `#` (object) and `.` (background). */
export function maskOf(rows: string[]): Mask {
  const height = rows.length;
  const width = height ? rows[0].length : 0;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = row[x] === '#' ? 1 : 0;
  });
  return { width, height, data };
}

/** A filled h × w rectangle. */
export function rectangle(height: number, width: number): Mask {
  return { width, height, data: new Uint8Array(width * height).fill(1) };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export { seededRandom as random } from '../../../synth/random.js';
