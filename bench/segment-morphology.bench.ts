import { bench, describe } from 'vitest';
import type { Mask } from '../src/image/types.js';
import { label } from '../src/segment/labeling/label.js';
import { binaryOpening } from '../src/segment/morphology/binary-opening.js';
import { fillHoles } from '../src/segment/morphology/fill-holes.js';
import type { Chord } from '../src/segment/morphology/footprint.js';
import { diskReach, dilate, erode } from '../src/segment/morphology/reach.js';
import { removeSmallObjects } from '../src/segment/morphology/remove-small-objects.js';
import { seededRandom } from '../src/synthetic/random.js';

// One call per iteration on a 2048 × 2048 mask, so the mean is ms per image. scikit-image's
// times for the same mask come from a separate Python run (see the segment report).

const SIZE = 2048;

/**
 * 2,500 elliptical blobs on a jittered 50 × 50 grid (some touch their neighbours), a quarter of
 * them with a hole, plus 1,000 specks of 1 or 4 pixels: ~3,000 objects, and work for every operation.
 */
export function blobMask(seed = 2048): Mask {
  const random = seededRandom(seed);
  const data = new Uint8Array(SIZE * SIZE);
  const cells = 50;
  const pitch = SIZE / cells;
  for (let gy = 0; gy < cells; gy++) {
    for (let gx = 0; gx < cells; gx++) {
      const cy = (gy + 0.5 + (random() - 0.5) * 0.6) * pitch;
      const cx = (gx + 0.5 + (random() - 0.5) * 0.6) * pitch;
      const ry = 6 + random() * 12;
      const rx = 6 + random() * 12;
      const angle = random() * Math.PI;
      const hole = random() < 0.25 ? 0.25 + random() * 0.2 : 0;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const reach = Math.max(rx, ry) + 1;
      for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(SIZE, cy + reach); y++) {
        for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(SIZE, cx + reach); x++) {
          const u = ((x - cx) * cos + (y - cy) * sin) / rx;
          const v = (-(x - cx) * sin + (y - cy) * cos) / ry;
          const d = u * u + v * v;
          if (d <= 1 && d >= hole * hole) data[y * SIZE + x] = 1;
        }
      }
    }
  }
  for (let k = 0; k < 1000; k++) {
    const y = Math.floor(random() * (SIZE - 1));
    const x = Math.floor(random() * (SIZE - 1));
    const size = 1 + Math.floor(random() * 2);
    for (let dy = 0; dy < size; dy++) data.fill(1, (y + dy) * SIZE + x, (y + dy) * SIZE + x + size);
  }
  return { width: SIZE, height: SIZE, data };
}

/** disk(7) as 15 horizontal chords: the O(pixels × chords) path any footprint takes. */
function diskChords(radius: number): Chord[] {
  const chords: Chord[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    const half = Math.floor(Math.sqrt(radius * radius - dy * dy));
    chords.push({ dy, dx0: -half, dx1: half });
  }
  return chords;
}

const mask = blobMask();
const blobs = label(mask, { connectivity: 2 }).count;
const chords = { kind: 'chords', chords: diskChords(7) } as const;

describe(`binary opening, disk(7), 2048² mask with ${blobs} objects`, () => {
  bench('cellscope binaryOpening', () => {
    binaryOpening(mask, { radius: 7 });
  });
  bench('disk by column distances, O(pixels) (used when runs are many)', () => {
    const eroded = diskReach(mask, 7, false, true, 'columns');
    diskReach(eroded, 7, true, false, 'columns');
  });
  bench('disk as 15 chords with row prefix sums, O(pixels × chords)', () => {
    dilate(erode(mask, chords), chords);
  });
});

describe('label, 8-connectivity', () => {
  bench('cellscope label', () => {
    label(mask, { connectivity: 2 });
  });
});

describe('fill holes (cross structure)', () => {
  bench('cellscope fillHoles', () => {
    fillHoles(mask);
  });
});

describe('remove small objects, minSize 64, connectivity 1', () => {
  bench('cellscope removeSmallObjects', () => {
    removeSmallObjects(mask, { minSize: 64 });
  });
});
