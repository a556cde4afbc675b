// The batch of issue 19's tests: 8 generated images in 2 conditions, one made corrupt on purpose.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTiffFile } from '../../io/tiff/write-file.js';
import { parseAnalysisConfig } from '../../pipeline/config.js';
import { syntheticCells } from '../../synth/cells.js';

export const CORRUPT = 'img5';

/** Classical segmentation, CSV and Parquet tables, no plots or report: seconds for 8 images. */
export const QUICK_CONFIG = parseAnalysisConfig({
  channels: { nuclei: 0, cytoplasm: 1, others: [2] },
  nuclei: { method: 'classical', diameter: 18 },
  cells: { method: 'from-nuclei' },
  outputs: { tables: ['csv', 'parquet'], plots: [], overlay: false, report: false },
});

export interface BatchFixture {
  inputs: string;
  conditions: string;
  config: string;
  names: string[];
}

/**
 * Writes `img0`…`img7` into `<dir>/inputs` (img0–3 control, img4–7 treated; img5 is not a TIFF),
 * the conditions CSV and the config. `large` images get more pixels, so they take longer.
 */
export async function writeBatchFixture(
  dir: string,
  options: { large?: string[] } = {},
): Promise<BatchFixture> {
  const inputs = join(dir, 'inputs');
  const names = Array.from({ length: 8 }, (_, k) => `img${k}`);
  for (const [k, name] of names.entries()) {
    if (name === CORRUPT) continue;
    const large = options.large?.includes(name);
    const { stack } = syntheticCells({
      width: large ? 768 : 128,
      height: large ? 768 : 128,
      cells: large ? 130 : 6 + k,
      seed: 40 + k,
    });
    await writeTiffFile(join(inputs, `${name}.tif`), stack);
  }
  writeFileSync(join(inputs, `${CORRUPT}.tif`), 'II*\0 this is not a TIFF');
  const conditions = join(dir, 'conditions.csv');
  const rows = names.map((name, k) => `${name},${k < 4 ? 'control' : 'treated'}`);
  writeFileSync(conditions, `image,condition\n${rows.join('\n')}\n`);
  const config = join(dir, 'config.json');
  writeFileSync(config, `${JSON.stringify(QUICK_CONFIG, null, 2)}\n`);
  return { inputs, conditions, config, names };
}
