import { afterAll, bench, describe } from 'vitest';
import { computeMasks } from '../src/cellpose/dynamics/compute-masks.js';
import { defaultNiter } from '../src/cellpose/dynamics/default-niter.js';
import { masksToFlows } from '../src/cellpose/dynamics/masks-to-flows.js';
import { createCellposeModel } from '../src/cellpose/model.js';
import { normalizeImage } from '../src/cellpose/transforms/normalize.js';
import { runNet } from '../src/cellpose/transforms/run-net.js';
import type { Labels } from '../src/image/types.js';
import { HAS_SHARED } from '../test/shared.js';
import { randomCellposeWeights } from '../test/cellpose-weights.js';
import { loadInput, npyLabels, npyPlane, skimageCase } from '../test/skimage-fixtures.js';

// Cellpose on a 1011 × 1557 single-channel image, as the notebook runs it: nuclei at diameter
// 170 (diam_mean 17: rescale 0.1, 2000 Euler steps) and cyto3 at diameter 200 (diam_mean 30:
// rescale 0.15, 1333 steps), with a full-width network (nbase 2, 32, 64, 128, 256) of random
// weights. Random weights give meaningless flows, so the dynamics run on realistic ones: 5 ×
// the heat-diffusion flows of the fixture's 25 nuclei / 20 cells, cell probability ±5 — the
// flows a trained network gives. "total" is network + those dynamics. Pixels/s of the dynamics
// = 1011·1557 / the mean time. `npm run bench -- cellpose` (needs ../shared for the fixture
// image and labels). For orientation (the figures, not measured here): Python
// Cellpose 3.1 takes ≤ 0.3 s for the network and 12–15 s for flows → masks on this machine type.

/** What a trained network outputs for these labels: 5 × unit flows, cellprob ±5. */
function realisticFlows(labels: Labels) {
  const { flows } = masksToFlows(labels);
  const dP = {
    width: labels.width,
    height: labels.height,
    data: Float32Array.from(flows.data, (v) => 5 * v),
  };
  const cellprob = {
    width: labels.width,
    height: labels.height,
    data: Float32Array.from(labels.data, (v) => (v ? 5 : -5)),
  };
  return { dP, cellprob };
}

if (!HAS_SHARED) console.warn('cellpose bench: ../shared not found; skipped');
const image = HAS_SHARED
  ? npyPlane(loadInput(skimageCase('big/cells_all_props'), 'intensity_image'))
  : undefined;
const cases = [
  { title: 'nuclei, diameter 170', diamMean: 17, diameter: 170, labels: 'big/nuclei_timing_props' },
  { title: 'cyto3, diameter 200', diamMean: 30, diameter: 200, labels: 'big/cells_timing_props' },
];

const models = await Promise.all(
  HAS_SHARED
    ? cases.map((k) =>
        createCellposeModel(randomCellposeWeights({ diamMean: k.diamMean }), {
          diamMean: k.diamMean,
        }),
      )
    : [],
);
afterAll(async () => {
  for (const model of models) await model.release();
});

for (const [index, k] of cases.entries()) {
  describe.skipIf(!HAS_SHARED)(`cellpose ${k.title}, 1011 × 1557`, () => {
    if (!image) return;
    const model = models[index];
    const labels = npyLabels(loadInput(skimageCase(k.labels), 'label_image'));
    const { dP, cellprob } = realisticFlows(labels);
    const rescale = k.diamMean / k.diameter;
    const niter = defaultNiter({ rescale });
    const planes = normalizeImage([image, { ...image, data: new Float32Array(image.data.length) }]);
    const network = () => runNet(planes, model.forward, { rescale });
    const dynamics = () => computeMasks(dP, cellprob, { niter });

    bench('network: resize, tiles, CPnet, blend, resize back', async () => {
      await network();
    });
    bench(`dynamics: flows → masks, ${niter} steps (pixels/s = 1.574 M / mean s)`, () => {
      dynamics();
    });
    bench('total: network + dynamics', async () => {
      await network();
      dynamics();
    });
  });
}
