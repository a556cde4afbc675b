import { bench, describe } from 'vitest';
import { label } from '../src/segment/labeling/label.js';
import { binaryOpening } from '../src/segment/morphology/binary-opening.js';
import { fillHoles } from '../src/segment/morphology/fill-holes.js';
import type { Chord } from '../src/segment/morphology/footprint.js';
import { diskReach, dilate, erode } from '../src/segment/morphology/reach.js';
import { removeSmallObjects } from '../src/segment/morphology/remove-small-objects.js';
import { fluorescenceScene } from './scenes.js';

// One call per iteration on the 2048 × 2048 scene mask, so the mean is ms per image.
// scikit-image's times for the same mask come from `npm run bench:skimage`.

/** disk(7) as 15 horizontal chords: the O(pixels × chords) path any footprint takes. */
function diskChords(radius: number): Chord[] {
  const chords: Chord[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    const half = Math.floor(Math.sqrt(radius * radius - dy * dy));
    chords.push({ dy, dx0: -half, dx1: half });
  }
  return chords;
}

const { mask } = fluorescenceScene();
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
