import { afterAll, bench, describe } from 'vitest';
import type { CellposeModel } from '../src/cellpose/cellpose-model.js';
import { loadCellposeModel } from '../src/cellpose/model.js';
import { segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { createStack } from '../src/image/stack.js';
import { readImage } from '../src/io/read-image.js';
import { HAS_SHARED, sharedPath } from '../test/shared.js';

// What the large-object check costs `diameter: 'auto'`: ExampleHuman (512 × 512, actin + DNA)
// segmented with the packaged models, Cellpose's two stages alone (`largeObjectCheck: false`)
// against cellscope's default, which measures once more at twice the estimate. On ordinary
// images the check moves nothing, so both give the same masks. `npm run bench -- auto-diameter`

if (!HAS_SHARED) console.warn('auto-diameter bench: ../shared not found; skipped');
const field = (d: number) =>
  readImage(sharedPath('data', 'examplehuman', `AS_09125_050116030001_D03f00d${d}.tif`));
const stack = HAS_SHARED
  ? createStack([(await field(2)).planes[0], (await field(0)).planes[0]])
  : undefined;
const cases = [
  { name: 'cellscope-cells', channels: [1, 2] as [number, number] },
  { name: 'cellscope-nuclei', channels: [2, 0] as [number, number] },
];
const models: CellposeModel[] = HAS_SHARED
  ? await Promise.all(cases.map((c) => loadCellposeModel(c.name, { threads: 2 })))
  : [];
afterAll(async () => {
  for (const model of models) await model.release();
});

for (const [k, { name, channels }] of cases.entries()) {
  describe.skipIf(!HAS_SHARED)(`${name}, ExampleHuman, diameter auto`, () => {
    for (const largeObjectCheck of [false, true]) {
      bench(
        largeObjectCheck ? 'two stages + large-object check (default)' : 'two stages (Cellpose)',
        async () => {
          await segmentCellpose(stack!, {
            model: models[k],
            channels,
            diameter: 'auto',
            largeObjectCheck,
          });
        },
        { iterations: 4, warmupIterations: 1 },
      );
    }
  });
}
