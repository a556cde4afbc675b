import { join } from 'node:path';
import { rescaleToUint8 } from '../image/normalize.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { inspectImage, readImage } from '../io/read-image.js';
import { encodeLabelsTiff, encodeTiff } from '../io/tiff/write.js';
import { compositeRgba } from '../plot/composite.js';
import { syntheticCells } from '../synthetic/cells.js';
import { formatImageInfo } from './info.js';

export interface DemoOptions {
  outDir: string;
  seed: number;
  log: (line: string) => void;
}

/**
 * The main job on a generated image: write it as a 3-channel TIFF with its ground truth, read it
 * back, and write what an analyst looks at first. Grows into the whole workflow as cellscope does.
 */
export async function runDemo({ outDir, seed, log }: DemoOptions): Promise<string[]> {
  const written: string[] = [];
  const save = async (name: string, bytes: Uint8Array | string): Promise<string> => {
    const path = join(outDir, name);
    await writeFileAtomic(path, bytes);
    written.push(path);
    return path;
  };

  const { stack, nucleusLabels, cellLabels } = syntheticCells({ seed });
  const imagePath = await save('synthetic.tif', encodeTiff(stack));
  await save('truth_nuclei.tif', encodeLabelsTiff(nucleusLabels));
  await save('truth_cells.tif', encodeLabelsTiff(cellLabels));

  const info = await inspectImage(imagePath);
  log(formatImageInfo(info));
  log('');

  const image = await readImage(imagePath);
  await save('composite.png', await encodePng(compositeRgba(image)));
  for (const [c, plane] of image.planes.entries()) {
    await save(`channel_${image.channelNames[c]}.png`, await encodePng(rescaleToUint8(plane)));
  }
  await save(
    'summary.json',
    `${JSON.stringify({ image: info, outputs: written.map((p) => p.slice(outDir.length + 1)) }, null, 2)}\n`,
  );
  return written;
}
