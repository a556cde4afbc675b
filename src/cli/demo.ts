import { join } from 'node:path';
import { rescaleToUint8 } from '../image/normalize.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { inspectImage, readImage } from '../io/read-image.js';
import { encodeLabelsTiff, encodeTiff } from '../io/tiff/write.js';
import { compositeRgba } from '../plot/composite.js';
import { syntheticCells } from '../synth/cells.js';
import { formatImageInfo } from './info.js';
import { matchLabels } from '../evaluate/matching.js';
import { readLabels } from '../io/read-labels.js';
import { analyzeImage } from '../pipeline/analyze-image.js';
import { parseAnalysisConfig } from '../pipeline/config.js';

export interface DemoOptions {
  outDir: string;
  seed: number;
  log: (line: string) => void;
}

/**
 * The main job on a generated image: write it as a 3-channel TIFF with its ground truth, read it
 * back, then run the whole analysis workflow on it (labels, tables, plots, overlay, report) and
 * score the segmentation against the ground truth.
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

  // The whole workflow on the defaults: cellscope's own models, which ship in the package (offline).
  const config = parseAnalysisConfig({
    channels: { nuclei: 'DNA', cytoplasm: 'cytoplasm', others: ['signal'] },
  });
  const analysisDir = join(outDir, 'analysis');
  const summary = await analyzeImage(image, config, {
    outDir: analysisDir,
    name: 'synthetic',
    protect: [imagePath],
    onProgress: (step) => log(`analysis: ${step}`),
  });
  written.push(...summary.outputs.map((file) => join(analysisDir, file)));
  const scores = {
    nuclei: matchLabels(await readLabels(join(analysisDir, 'nuclei.tif')), nucleusLabels)[0],
    cells: matchLabels(await readLabels(join(analysisDir, 'cells.tif')), cellLabels)[0],
  };
  log(
    `${summary.cells} cells (${summary.cellsWithNucleus} with their nucleus); against the ground truth ` +
      `F1@0.5 nuclei ${scores.nuclei.f1.toFixed(3)}, cells ${scores.cells.f1.toFixed(3)} ` +
      `(${[config.nuclei, config.cells].map((s) => ('model' in s ? s.model : s.method)).join(' and ')})`,
  );
  log(`report: ${join(analysisDir, 'report.html')}`);
  await save(
    'summary.json',
    `${JSON.stringify(
      {
        image: info,
        analysis: summary,
        groundTruth: Object.fromEntries(
          Object.entries(scores).map(([k, s]) => [
            k,
            { f1: s.f1, meanMatchedIoU: s.meanMatchedIoU },
          ]),
        ),
        outputs: written.map((p) => p.slice(outDir.length + 1)),
      },
      null,
      2,
    )}\n`,
  );
  return written;
}
