// The bucket fill of napari's label layer: the 4-connected region of the clicked pixel's label
// (an object, or a stretch of background) takes the new label.
import { createLabels, InvalidArgumentError, type Labels } from 'cellscope/browser';

export interface FillResult {
  labels: Labels;
  /** Pixels that changed. */
  filled: number;
}

/**
 * Fills from the pixel at (x, y) (image pixels, fractions floor) with `value`. The input is
 * never changed; a fill with the label already there returns a copy with `filled` 0.
 */
export function fillLabel(labels: Labels, x: number, y: number, value: number): FillResult {
  const { width, height, data } = labels;
  const [px, py] = [Math.floor(x), Math.floor(y)];
  if (!(px >= 0 && py >= 0 && px < width && py < height))
    throw new InvalidArgumentError(`fill at (${x}, ${y}) is outside the ${width}×${height} image`);
  if (!Number.isInteger(value) || value < 0)
    throw new InvalidArgumentError(`a fill label is a whole number ≥ 0, not ${value}`);
  const out = new Uint32Array(data);
  const start = py * width + px;
  const target = data[start];
  if (target === value) return { labels: createLabels(width, height, out), filled: 0 };
  // Scanline-free stack fill: each pixel is pushed at most once because it is written on push.
  const stack = [start];
  out[start] = value;
  let filled = 1;
  while (stack.length) {
    const i = stack.pop()!;
    const cx = i % width;
    const neighbours = [
      cx > 0 ? i - 1 : -1,
      cx < width - 1 ? i + 1 : -1,
      i >= width ? i - width : -1,
      i + width < data.length ? i + width : -1,
    ];
    for (const n of neighbours) {
      if (n >= 0 && out[n] === target && data[n] === target) {
        out[n] = value;
        filled++;
        stack.push(n);
      }
    }
  }
  return { labels: createLabels(width, height, out), filled };
}
