import { bench, describe } from 'vitest';
import { computeMasks } from '../src/cellpose/dynamics/compute-masks.js';
import { followFlows } from '../src/cellpose/dynamics/follow-flows.js';
import { getMasks } from '../src/cellpose/dynamics/get-masks.js';
import { masksToFlows } from '../src/cellpose/dynamics/masks-to-flows.js';
import type { CellProbability, FlowField } from '../src/cellpose/dynamics/types.js';
import type { Labels } from '../src/image/types.js';
import { seededRandom } from '../src/synth/random.js';

// Cellpose's slow case: nuclei ~170 px across on a 1011 × 1557 image, where `eval` runs
// niter = 2000 (rescale 0.1). The flows are the exact heat-diffusion flows of 25 ellipses
// (dP = 5 · masksToFlows, cellprob ±5), so every pixel converges; Python Cellpose 3.1 takes
// 12–15 s for flows → masks at this size. One call per iteration: the mean is ms per image.

const WIDTH = 1557;
const HEIGHT = 1011;
const NITER = 2000;
const FEW = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

/** 5 × 5 jittered, rotated ellipses with semi-axes 75–95 px. */
function ellipses(seed = 7): Labels {
  const random = seededRandom(seed);
  const data = new Uint32Array(WIDTH * HEIGHT);
  let label = 0;
  for (let row = 0; row < 5; row++) {
    for (let column = 0; column < 5; column++) {
      label++;
      const cy = ((row + 0.5) * HEIGHT) / 5 + (random() - 0.5) * 20;
      const cx = ((column + 0.5) * WIDTH) / 5 + (random() - 0.5) * 20;
      const ry = 75 + random() * 20;
      const rx = 75 + random() * 20;
      const angle = random() * Math.PI;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let y = Math.max(0, Math.floor(cy - 100)); y < Math.min(HEIGHT, cy + 100); y++) {
        for (let x = Math.max(0, Math.floor(cx - 100)); x < Math.min(WIDTH, cx + 100); x++) {
          const u = ((y - cy) * cos + (x - cx) * sin) / ry;
          const v = (-(y - cy) * sin + (x - cx) * cos) / rx;
          if (u * u + v * v <= 1) data[y * WIDTH + x] = label;
        }
      }
    }
  }
  return { width: WIDTH, height: HEIGHT, data };
}

const labels = ellipses();
const dP: FlowField = {
  width: WIDTH,
  height: HEIGHT,
  data: Float32Array.from(masksToFlows(labels).flows.data, (v) => 5 * v),
};
const cellprob: CellProbability = {
  width: WIDTH,
  height: HEIGHT,
  data: Float32Array.from(labels.data, (v) => (v ? 5 : -5)),
};
const positions = followFlows(dP, cellprob, { niter: NITER });

describe(`Cellpose dynamics, ${WIDTH} × ${HEIGHT}, 25 ellipses ~170 px, niter ${NITER}`, () => {
  bench(
    'computeMasks (whole resize_and_compute_masks)',
    () => {
      computeMasks(dP, cellprob, { niter: NITER });
    },
    FEW,
  );
  bench(
    `followFlows (${positions.pixels.length} pixels)`,
    () => {
      followFlows(dP, cellprob, { niter: NITER });
    },
    FEW,
  );
  bench(
    'getMasks',
    () => {
      getMasks(positions);
    },
    FEW,
  );
  bench(
    'masksToFlows (the flow-error QC cost)',
    () => {
      masksToFlows(labels);
    },
    FEW,
  );
});
