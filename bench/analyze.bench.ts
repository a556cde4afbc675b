import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { writeTiffFile } from '../src/io/tiff/write-file.js';
import { analyzeBatch, type BatchImage } from '../src/pipeline/batch.js';
import { parseAnalysisConfig } from '../src/pipeline/config.js';
import { syntheticCells } from '../src/synth/cells.js';
import { HAS_SHARED, sharedPath } from '../test/shared.js';

// The whole workflow (classical nuclei and cells, tables, plots, overlay, report) on a batch of
// 4 images, with 1 and 2 worker threads: images/s = 4 / mean s. Worker runs include starting the
// pool (from source: each thread also compiles the TypeScript, so dist/ is faster).
// `npm run bench -- analyze`

const dir = mkdtempSync(join(tmpdir(), 'cellscope-analyze-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generated = join(dir, 'generated.tif');
await writeTiffFile(
  generated,
  syntheticCells({ width: 1557, height: 1011, cells: 160, nucleusDiameterPx: 40, seed: 2 }).stack,
);
const config = parseAnalysisConfig({
  channels: { nuclei: 0, cytoplasm: 1, others: [2] },
  nuclei: { method: 'classical' },
});
const examplehuman = ['d0', 'd2', 'd1'].map((d) =>
  sharedPath(`data/examplehuman/AS_09125_050116030001_D03f00${d}.tif`),
);

const batches: [string, string[]][] = [['generated 1011 × 1557, 3 channels', [generated]]];
if (HAS_SHARED) batches.unshift(['examplehuman (3 channel files)', examplehuman]);

let run = 0;
for (const [title, files] of batches) {
  const images: BatchImage[] = Array.from({ length: 4 }, (_, k) => ({ name: `image${k}`, files }));
  describe(`analyze: 4 × ${title}`, () => {
    for (const workers of [1, 2]) {
      bench(
        `${workers} worker${workers > 1 ? 's' : ''}`,
        async () => {
          await analyzeBatch(images, config, { outDir: join(dir, `run${run++}`), workers });
        },
        { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 },
      );
    }
  });
}
