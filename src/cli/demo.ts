import { basename, join } from 'node:path';
import type { Stack } from '../image/types.js';
import { rescaleToUint8 } from '../image/normalize.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { inspectImage, readChannels, readImage } from '../io/read-image.js';
import { encodeLabelsTiff, encodeTiff } from '../io/tiff/write.js';
import { compositeRgba } from '../plot/composite.js';
import { syntheticCells } from '../synth/cells.js';
import { formatImageInfo } from './info.js';
import { matchLabels } from '../evaluate/matching.js';
import { readLabels } from '../io/read-labels.js';
import { analyzeImage, type ImageSummary } from '../pipeline/analyze-image.js';
import { guessChannelRoles } from '../pipeline/channel-roles.js';
import { parseAnalysisConfig, type AnalysisConfig } from '../pipeline/config.js';
import { SAMPLE, samplePaths } from './sample.js';

export interface DemoOptions {
  outDir: string;
  /** Run on a generated image with ground truth instead of the packaged sample. @default false */
  synthetic?: boolean;
  /** Seed of the generated image (with `synthetic`). */
  seed: number;
  log: (line: string) => void;
}

/**
 * The main job, start to end: by default on the packaged real sample (CellProfiler's
 * ExampleHuman), with `synthetic` on a generated image scored against its ground truth.
 * Returns the paths written.
 */
export async function runDemo(options: DemoOptions): Promise<string[]> {
  return options.synthetic ? runSyntheticDemo(options) : runSampleDemo(options);
}

/** Writes files atomically into the demo folder and lists them. */
function demoWriter(outDir: string) {
  const written: string[] = [];
  const save = async (name: string, bytes: Uint8Array | string): Promise<string> => {
    const path = join(outDir, name);
    await writeFileAtomic(path, bytes);
    written.push(path);
    return path;
  };
  return { written, save };
}

type Save = ReturnType<typeof demoWriter>['save'];

/** The composite and one grey PNG per channel. */
async function savePreviews(image: Stack, save: Save): Promise<void> {
  await save('composite.png', await encodePng(compositeRgba(image)));
  for (const [c, plane] of image.planes.entries()) {
    await save(`channel_${image.channelNames[c]}.png`, await encodePng(rescaleToUint8(plane)));
  }
}

/** The whole workflow on the defaults (cellscope's own models, shipped in the package). */
async function analyze(
  image: Stack,
  config: AnalysisConfig,
  name: string,
  { outDir, log }: DemoOptions,
  protect: string[],
  written: string[],
): Promise<ImageSummary> {
  const analysisDir = join(outDir, 'analysis');
  const summary = await analyzeImage(image, config, {
    outDir: analysisDir,
    name,
    protect,
    onProgress: (step) => log(`analysis: ${step}`),
  });
  written.push(...summary.outputs.map((file) => join(analysisDir, file)));
  return summary;
}

const modelNames = (config: AnalysisConfig): string =>
  [config.nuclei, config.cells].map((s) => ('model' in s ? s.model : s.method)).join(' and ');

/** The real sample: channel roles guessed from its channel names, as the app does. */
async function runSampleDemo(options: DemoOptions): Promise<string[]> {
  const { outDir, log } = options;
  const { written, save } = demoWriter(outDir);
  const paths = samplePaths();
  const image = await readChannels(paths);
  const names = image.channelNames;
  const { width, height } = image.planes[0];
  log(`${SAMPLE.title}: ${width} × ${height}, channels ${names.join(', ')}`);
  const guess = guessChannelRoles(names);
  const nuclei = guess.nuclei ?? 0;
  const cytoplasm = guess.cytoplasm ?? names.length - 1;
  const others = names.filter((_, c) => c !== nuclei && c !== cytoplasm);
  log(
    `channel roles from their names: nuclei ${names[nuclei]}, cytoplasm ${names[cytoplasm]}` +
      (others.length ? `, also measured ${others.join(', ')}` : ''),
  );
  log('');
  await savePreviews(image, save);

  const config = parseAnalysisConfig({
    channels: { nuclei: names[nuclei], cytoplasm: names[cytoplasm], others },
  });
  const summary = await analyze(image, config, SAMPLE.name, options, paths, written);
  log(
    `${summary.nuclei} nuclei and ${summary.cells} cells (${summary.cellsWithNucleus} with their ` +
      `nucleus) (${modelNames(config)})`,
  );
  log(`report: ${join(outDir, 'analysis', 'report.html')}`);
  await save(
    'summary.json',
    `${JSON.stringify(
      {
        sample: {
          title: SAMPLE.title,
          files: paths.map((p) => basename(p)),
          source: 'https://github.com/CellProfiler/examples (ExampleHuman/images)',
          licence: 'CC0-1.0',
        },
        analysis: summary,
        outputs: written.map((p) => p.slice(outDir.length + 1)),
      },
      null,
      2,
    )}\n`,
  );
  return written;
}

/**
 * A generated image: written as a 3-channel TIFF with its ground truth, read back, analysed,
 * and the segmentation scored against the ground truth.
 */
async function runSyntheticDemo(options: DemoOptions): Promise<string[]> {
  const { outDir, seed, log } = options;
  const { written, save } = demoWriter(outDir);
  const { stack, nucleusLabels, cellLabels } = syntheticCells({ seed });
  const imagePath = await save('synthetic.tif', encodeTiff(stack));
  await save('truth_nuclei.tif', encodeLabelsTiff(nucleusLabels));
  await save('truth_cells.tif', encodeLabelsTiff(cellLabels));

  const info = await inspectImage(imagePath);
  log(formatImageInfo(info));
  log('');

  const image = await readImage(imagePath);
  await savePreviews(image, save);
  const config = parseAnalysisConfig({
    channels: { nuclei: 'DNA', cytoplasm: 'cytoplasm', others: ['signal'] },
  });
  const summary = await analyze(image, config, 'synthetic', options, [imagePath], written);
  const analysisDir = join(outDir, 'analysis');
  const scores = {
    nuclei: matchLabels(await readLabels(join(analysisDir, 'nuclei.tif')), nucleusLabels)[0],
    cells: matchLabels(await readLabels(join(analysisDir, 'cells.tif')), cellLabels)[0],
  };
  log(
    `${summary.cells} cells (${summary.cellsWithNucleus} with their nucleus); against the ground truth ` +
      `F1@0.5 nuclei ${scores.nuclei.f1.toFixed(3)}, cells ${scores.cells.f1.toFixed(3)} ` +
      `(${modelNames(config)})`,
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
