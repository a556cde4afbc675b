import { describe, expect, it } from 'vitest';
import { createLabels, createPlane, labelColour } from '../../../../src/browser.js';
import {
  compositeChannels,
  HIGHLIGHT_COLOUR,
  innerBoundaries,
  renderOverlay,
  widenBoundaries,
} from '../render.js';

/** A 6×5 label image: object 1 a 3×3 square at (1,1), object 2 a single pixel at (4,3). */
function labels() {
  const data = new Uint32Array(30);
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) data[y * 6 + x] = 1;
  data[3 * 6 + 4] = 2;
  return createLabels(6, 5, data);
}

const pixel = (rgba: Uint8ClampedArray, width: number, x: number, y: number) => [
  ...rgba.slice((y * width + x) * 4, (y * width + x) * 4 + 4),
];

describe('compositeChannels', () => {
  it('maps [min, max] of each visible channel onto its colour, adding channels and clipping', () => {
    const a = createPlane(2, 1, new Uint16Array([100, 300]));
    const b = createPlane(2, 1, new Uint16Array([0, 1000]));
    const rgba = compositeChannels(
      [a, b],
      [
        { visible: true, colour: [255, 0, 0], min: 100, max: 200 },
        { visible: true, colour: [255, 128, 0], min: 0, max: 2000 },
      ],
    );
    expect([...rgba]).toEqual([0, 0, 0, 255, 255, 64, 0, 255]); // 255+127.5 clips to 255
    const hidden = compositeChannels(
      [a, b],
      [
        { visible: false, colour: [255, 0, 0], min: 100, max: 200 },
        { visible: true, colour: [0, 0, 255], min: 0, max: 1000 },
      ],
    );
    expect(pixel(hidden, 2, 1, 0)).toEqual([0, 0, 255, 255]);
  });

  it('handles float images without a lookup table', () => {
    const f = createPlane(3, 1, new Float32Array([-1, 0.5, 2]));
    const rgba = compositeChannels(
      [f],
      [{ visible: true, colour: [200, 200, 200], min: 0, max: 1 }],
    );
    expect([rgba[0], rgba[4], rgba[8]]).toEqual([0, 100, 200]);
  });
});

describe('innerBoundaries', () => {
  it('marks object pixels with a 4-neighbour of another label or the image edge', () => {
    const edge = innerBoundaries(labels());
    expect(edge[2 * 6 + 2]).toBe(0); // the square's centre
    expect(edge[1 * 6 + 1]).toBe(1);
    expect(edge[3 * 6 + 3]).toBe(1); // touches object 2
    expect(edge[3 * 6 + 4]).toBe(1);
    expect(edge.reduce((n, v) => n + v, 0)).toBe(9);
  });
});

describe('renderOverlay', () => {
  const image = labels();
  const boundaries = innerBoundaries(image);

  it('draws contours in each label colour and nothing inside', () => {
    const rgba = renderOverlay(
      [{ labels: image, boundaries, mode: 'contours', opacity: 0.5 }],
      6,
      5,
    )!;
    expect(pixel(rgba, 6, 1, 1)).toEqual([...labelColour(1), 255]);
    expect(pixel(rgba, 6, 2, 2)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 6, 0, 0)).toEqual([0, 0, 0, 0]);
  });

  it('fills at the given opacity', () => {
    const rgba = renderOverlay(
      [{ labels: image, boundaries, mode: 'filled', opacity: 0.4 }],
      6,
      5,
    )!;
    expect(pixel(rgba, 6, 2, 2)).toEqual([...labelColour(1), 102]);
  });

  it('draws highlighted labels in the highlight colour even with the layer off', () => {
    const rgba = renderOverlay(
      [{ labels: image, boundaries, mode: 'off', opacity: 0.4, highlight: new Set([1]) }],
      6,
      5,
    )!;
    expect(pixel(rgba, 6, 1, 1)).toEqual([...HIGHLIGHT_COLOUR, 255]);
    expect(pixel(rgba, 6, 2, 2)).toEqual([...HIGHLIGHT_COLOUR, 90]);
    expect(pixel(rgba, 6, 4, 3)).toEqual([0, 0, 0, 0]);
  });

  it('keeps highlighted contours on top of a later layer sharing them', () => {
    const nucleus = createLabels(
      6,
      5,
      image.data.map((v) => (v === 1 ? 7 : 0)),
    );
    const rgba = renderOverlay(
      [
        { labels: image, boundaries, mode: 'contours', opacity: 0.4, highlight: new Set([1]) },
        { labels: nucleus, boundaries: innerBoundaries(nucleus), mode: 'contours', opacity: 0.4 },
      ],
      6,
      5,
    )!;
    expect(pixel(rgba, 6, 1, 1)).toEqual([...HIGHLIGHT_COLOUR, 255]);
  });

  it('returns nothing when every layer is off and nothing is highlighted', () => {
    expect(
      renderOverlay([{ labels: image, boundaries, mode: 'off', opacity: 0.4 }], 6, 5),
    ).toBeUndefined();
  });

  it('colours each layer its own way at its own opacity, and can show the selected only', () => {
    const rgba = renderOverlay(
      [
        {
          labels: image,
          boundaries,
          mode: 'filled',
          opacity: 0.2,
          colourOf: (label) => (label === 1 ? [10, 20, 30] : undefined),
        },
      ],
      6,
      5,
    )!;
    expect(pixel(rgba, 6, 2, 2)).toEqual([10, 20, 30, 51]);
    expect(pixel(rgba, 6, 4, 3)).toEqual([0, 0, 0, 0]); // no colour: left out
    const only = renderOverlay(
      [{ labels: image, boundaries, mode: 'filled', opacity: 1, only: new Set([2]) }],
      6,
      5,
    )!;
    expect(pixel(only, 6, 2, 2)).toEqual([0, 0, 0, 0]);
    expect(pixel(only, 6, 4, 3)).toEqual([...labelColour(2), 255]);
  });
});

describe('widenBoundaries', () => {
  it('grows contours inward by whole pixels, never into another label', () => {
    // A 7×7 object 1 with a 1-pixel object 2 to its right.
    const data = new Uint32Array(9 * 9);
    for (let y = 1; y <= 7; y++) for (let x = 1; x <= 7; x++) data[y * 9 + x] = 1;
    data[4 * 9 + 8] = 2;
    const labels = createLabels(9, 9, data);
    const edge1 = innerBoundaries(labels);
    expect(widenBoundaries(labels, edge1, 1)).toBe(edge1);
    const edge3 = widenBoundaries(labels, edge1, 3);
    // Row 4 across object 1: three edge pixels from each side, the centre pixel inside.
    expect([...edge3.slice(4 * 9 + 1, 4 * 9 + 8)]).toEqual([1, 1, 1, 0, 1, 1, 1]);
    expect(edge3[4 * 9 + 8]).toBe(1);
    expect(edge3[0]).toBe(0);
  });
});
