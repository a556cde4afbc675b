import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileAccessError } from '../errors.js';

/** The packaged sample: CellProfiler's ExampleHuman field, one file per channel (see its README). */
export const SAMPLE = {
  name: 'examplehuman',
  title: "CellProfiler's ExampleHuman field (HT29 cells, CC0)",
  files: ['DNA.tif', 'PH3.tif', 'phalloidin.tif'],
} as const;

/**
 * The sample's channel files, in channel order: `samples/examplehuman/` beside `dist/` in the
 * package, two levels up from this file when running from source.
 * @throws FileAccessError when the package lacks them
 */
export function samplePaths(): string[] {
  const candidates = ['../samples/', '../../samples/'].map((p) =>
    fileURLToPath(new URL(`${p}${SAMPLE.name}/`, import.meta.url)),
  );
  const dir = candidates.find((d) => SAMPLE.files.every((f) => existsSync(`${d}${f}`)));
  if (dir === undefined) {
    throw new FileAccessError('the sample image is missing from the package', {
      file: `${candidates[0]}${SAMPLE.files[0]}`,
      hint: 'reinstall cellscope (samples/ ships with it), or run `cellscope demo --synthetic`',
    });
  }
  return SAMPLE.files.map((f) => `${dir}${f}`);
}
