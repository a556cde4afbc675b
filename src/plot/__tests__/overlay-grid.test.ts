import { describe, expect, it } from 'vitest';
import { createStack } from '../../image/stack.js';
import type { Labels } from '../../image/types.js';
import { overlayGrid } from '../overlay-grid.js';

// 12×8 image: a ramp nucleus channel, a flat cell channel, one 6×4 cell holding a 2×2 nucleus.
const width = 12;
const height = 8;
const ramp = Uint16Array.from({ length: width * height }, (_, i) => (i % width) * 100);
const flat = new Uint16Array(width * height).fill(1000);
flat[0] = 0; // a dark pixel so the stretch has a range
const stack = createStack(
  [
    { width, height, data: ramp },
    { width, height, data: flat },
  ],
  { channelNames: ['DNA', 'actin'] },
);
function box(label: number, x0: number, y0: number, w: number, h: number): Labels {
  const data = new Uint32Array(width * height);
  for (let y = y0; y < y0 + h; y++) data.fill(label, y * width + x0, y * width + x0 + w);
  return { width, height, data };
}
const cellLabels = box(5, 3, 2, 6, 4);
const nucleusLabels = box(9, 5, 3, 2, 2);

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 4;
  return Array.from(image.data.subarray(o, o + 4));
}

describe('overlayGrid', () => {
  const grid = overlayGrid({
    stack,
    nucleusLabels,
    cellLabels,
    nucleusChannel: 'DNA',
    cellChannel: 1,
  });

  it('is 2 × 2 panels of the image size', () => {
    expect([grid.width, grid.height]).toEqual([2 * width, 2 * height]);
    expect(grid.data.length).toBe(grid.width * grid.height * 4);
  });

  it('leaves the plain panels grey and the background of overlays untouched', () => {
    const [r, g, b, a] = pixel(grid, 11, 0);
    expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
    expect(pixel(grid, 0, 0)).toEqual([0, 0, 0, 255]);
    // Same background pixel in the overlay panel (top right): unchanged.
    expect(pixel(grid, width + 11, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(grid, width + 1, height + 1)).toEqual(pixel(grid, 1, height + 1));
  });

  it('outlines the nucleus in its label2rgb colour and the cells in theirs', () => {
    // Every pixel of a 2×2 nucleus is on its boundary: first label → red.
    expect(pixel(grid, width + 5, 3)).toEqual([255, 0, 0, 255]);
    // Cell boundary (bottom right panel): red too, its first label.
    expect(pixel(grid, width + 3, height + 2)).toEqual([255, 0, 0, 255]);
    // Nucleus outlines over the cell channel: white.
    expect(pixel(grid, width + 5, height + 3)).toEqual([255, 255, 255, 255]);
    // Cell interior away from the nucleus: 0.3 red over white, 0.7 · 255 = 178.49… → 178.
    expect(pixel(grid, width + 4, height + 3)).toEqual([255, 178, 178, 255]);
  });

  it('shrinks panels to maxPanelWidth and puts gap pixels between them', () => {
    const small = overlayGrid({
      stack,
      nucleusLabels,
      cellLabels,
      nucleusChannel: 0,
      cellChannel: 'actin',
      maxPanelWidth: 6,
      gap: 2,
      outlines: false,
    });
    expect([small.width, small.height]).toEqual([2 * 6 + 2, 2 * 4 + 2]);
    expect(pixel(small, 6, 0)).toEqual([255, 255, 255, 255]);
  });

  it('rejects labels of another size', () => {
    expect(() =>
      overlayGrid({
        stack,
        nucleusLabels: { width: 3, height: 3, data: new Uint32Array(9) },
        cellLabels,
        nucleusChannel: 0,
        cellChannel: 1,
      }),
    ).toThrow(/nucleusLabels are 3×3/);
  });
});
