import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_MODELS } from '../cellpose/models/packaged.js';
import { InvalidArgumentError } from '../errors.js';
import type { MeasureCommandOptions } from './measure.js';
import type { AnalyzeCommandOptions } from './analyze.js';
import type { SegmentCommandOptions } from './segment.js';
import type { SlurmCommandOptions } from './slurm.js';
import { ExitCode } from './exit-codes.js';
import { EXPORT_FORMATS } from '../export/formats.js';
import type { SegmentExportOptions } from './segment-exports.js';
import { formatImageInfo } from './info.js';
import {
  diameterValue,
  exportFormats,
  finite,
  integer,
  maxPixelsValue,
  nonNegative,
  positive,
  threadCount,
  thresholdList,
} from './option-parsers.js';
import { report } from './report-error.js';
import { parseAllowedHosts, parsePort, runView, type ViewCommandOptions } from './view.js';

// Every action imports what it needs when it runs, so `--help` or `info` never load the
// network runtime, the plotting stack or the table codecs (issue 17: start-up time).

/** The readers' DEFAULT_MAX_PIXELS, copied so that `--help` loads no reader (a test pins it). */
export const HELP_DEFAULT_MAX_PIXELS = 2 ** 30;

export function buildProgram(): Command {
  const program = new Command('cellscope')
    .description(
      'Fluorescence microscopy from pixels to biology: read, segment, measure, relate, explore.',
    )
    .version('0.1.0')
    .exitOverride()
    .option(
      '--max-pixels <n>',
      `refuse images with more pixels than this, all planes counted (default ${HELP_DEFAULT_MAX_PIXELS})`,
      maxPixelsValue,
    )
    .hook('preAction', async (command) => {
      const { maxPixels } = command.opts<{ maxPixels?: number }>();
      const { MAX_PIXELS_ENV } = await import('../io/read-image.js');
      if (maxPixels !== undefined) process.env[MAX_PIXELS_ENV] = String(maxPixels);
    });

  program
    .command('info')
    .description('print shape, axes, dtype, channel names, pixel size and per-channel min/max/mean')
    .argument('<images...>', 'TIFF, OME-TIFF, PNG or JPEG files')
    .option('--json', 'print JSON instead of a table')
    .action(async (images: string[], options: { json?: boolean }) => {
      const { inspectImage } = await import('../io/read-image.js');
      let failed = 0;
      const results = [];
      for (const image of images) {
        try {
          const info = await inspectImage(image);
          results.push(info);
          if (!options.json) process.stdout.write(`${formatImageInfo(info)}\n\n`);
        } catch (error) {
          // One bad file must not hide the others: report it and go on.
          failed = failed || report(error);
        }
      }
      if (options.json)
        process.stdout.write(
          `${JSON.stringify(images.length === 1 ? (results[0] ?? null) : results, null, 2)}\n`,
        );
      process.exitCode = failed;
    });

  program
    .command('segment')
    .description('segment nuclei (and optionally grow them into cells) and write the label image')
    .argument('<images...>', 'image file, or one file per channel (TIFF, OME-TIFF, PNG, JPEG)')
    .option('--method <name>', 'threshold (classical) or cellpose', 'threshold')
    .option('--channel <index|name>', 'channel holding the nuclei', '0')
    .requiredOption('--out <labels.tif>', 'label image to write (cells with --cells-from-nuclei)')
    .option(
      '--diameter <px|auto>',
      'typical object diameter in pixels, or auto (estimated; the default for threshold)',
      diameterValue,
    )
    .option(
      '--threshold <method|value>',
      'otsu, li, triangle, yen, mean, isodata, or a number',
      'otsu',
    )
    .option('--smoothing <sigma>', 'gaussian σ in pixels before thresholding', nonNegative)
    .option('--no-split', 'do not split touching nuclei by watershed')
    .option('--min-area <px>', 'remove objects smaller than this', nonNegative)
    .option('--cells-from-nuclei', 'grow every nucleus into its cell over --cell-channel')
    .option(
      '--cell-channel <index|name>',
      'channel that outlines the cells (cytoplasm or membrane)',
    )
    .option(
      '--cell-method <name>',
      'propagation, watershed-gradient, watershed-intensity',
      'propagation',
    )
    .option('--cell-threshold <method|value>', 'threshold of the cell channel', 'li')
    .option(
      '--nuclei-out <labels.tif>',
      'where to write the nuclei with --cells-from-nuclei or --nucleus-aware',
    )
    .option('--overlay <png>', 'write the outlines drawn over the channels')
    .option(
      '--export <formats>',
      `also write the labels for other tools, beside --out (comma-separated): ${EXPORT_FORMATS.join(', ')}; see README "Exports"`,
      exportFormats,
    )
    .option(
      '--model <name|path>',
      'cellpose: cellscope-cells, cellscope-nuclei (ship with cellscope), cyto3, nuclei, cyto2, cyto or a .pth file',
      DEFAULT_MODELS.cells,
    )
    .option(
      '--channels <c1,c2>',
      'cellpose: channel to segment and nuclear channel, 1-based, 0 = gray/none (e.g. 2,1)',
    )
    .option(
      '--flow-threshold <x>',
      'cellpose: drop masks whose flow error exceeds this',
      nonNegative,
    )
    .option('--cellprob-threshold <x>', 'cellpose: cell probability logit threshold', finite)
    .option('--min-size <px>', 'cellpose: drop masks smaller than this', integer)
    .option('--niter <n>', 'cellpose: Euler steps (default 200 / rescale)', integer)
    .option('--augment', 'cellpose: flip test-time augmentation')
    .option('--no-resample', 'cellpose: run the dynamics at network scale (faster, coarser)')
    .option(
      '--no-large-object-check',
      "cellpose: with --diameter auto, keep Cellpose's two-stage estimate (no check for objects larger than the size model knows)",
    )
    .option('--download', 'cellpose: download a built-in model that is not cached yet')
    .option(
      '--threads <n>',
      'cellpose: threads for the network and dynamics (default: the cores)',
      threadCount,
    )
    .option('--save-flows', 'cellpose: also write <out>_flows.tif (dY, dX, cell probability)')
    .option(
      '--nucleus-aware <mode>',
      'cellpose cells: off, merge-fragments (nucleus-free masks join a neighbour) or hybrid (cells grown from the nuclei over the flows); nuclei from the second of --channels',
      'off',
    )
    .option(
      '--nuclei-model <name|path>',
      'cellpose: the nucleus model for --nucleus-aware',
      DEFAULT_MODELS.nuclei,
    )
    .option('--drop-cells-without-nucleus', 'cellpose: every cell has a nucleus; drop the others')
    .option('--z <index>', 'Z slice of a Z stack', integer)
    .option('--t <index>', 'time point of a time series', integer)
    .option(
      '--block-size <px|auto|off>',
      'segment in overlapping blocks of this many pixels, stitched; auto: by free memory, for TIFF and OME-Zarr read lazily',
      'auto',
    )
    .action(async (images: string[], options: SegmentCommandOptions & SegmentExportOptions) => {
      const { runSegment } = await import('./segment.js');
      const log = (line: string): void => void process.stdout.write(`${line}\n`);
      const exporting = options.export ? await import('./segment-exports.js') : undefined;
      await exporting?.checkSegmentExports(images, options);
      const started = Date.now();
      await runSegment(images, options, log);
      await exporting?.writeSegmentExports(images, options, started, log);
    });

  program
    .command('measure')
    .description('measure every object of a label image, as scikit-image regionprops_table does')
    .argument('<labels>', 'label image (TIFF/PNG; 0 = background)')
    .requiredOption('--out <table>', 'table to write: .csv, .parquet or .json')
    .option('--image <files...>', 'intensity image, or one file per channel')
    .option(
      '--channels <list>',
      'channels of the image to measure, by index or name, comma-separated',
    )
    .option('--properties <list>', 'skimage property names, comma-separated')
    .option('--all', 'every property cellscope knows')
    .option('--pixel-size <µm>', 'pixel size: areas in µm², lengths in µm', positive)
    .action(async (labels: string, options: MeasureCommandOptions) => {
      const { runMeasure } = await import('./measure.js');
      await runMeasure(labels, options, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command('evaluate')
    .description(
      'match predicted objects to ground truth: F1, precision, recall and mean IoU per IoU threshold',
    )
    .argument('<predicted>', 'label image of the segmentation to score (with --image: the truth)')
    .argument('[truth]', 'label image of the ground truth')
    .option('--iou <list>', 'IoU thresholds, comma-separated', thresholdList, [0.5, 0.75])
    .option('--json', 'print JSON (with the matched pairs) instead of a table')
    .option(
      '--image <file>',
      'segment this single-channel image with each --methods entry and score each',
    )
    .option(
      '--methods <list>',
      'with --image: classical and/or Cellpose model names or .pth files',
      'classical,cellscope-nuclei',
    )
    .option(
      '--diameter <px>',
      'with --image: object diameter given to every method (default: estimated)',
      positive,
    )
    .option('--download', 'with --image: download official Cellpose models that are not cached')
    .option('--threads <n>', 'with --image: threads for Cellpose (default: the cores)', threadCount)
    .action(
      async (
        predicted: string,
        truth: string | undefined,
        options: {
          iou: number[];
          json?: boolean;
          image?: string;
          methods: string;
          diameter?: number;
          download?: boolean;
          threads?: number;
        },
      ) => {
        const [{ readLabels }, { readChannels }, evaluate, { matchLabels }] = await Promise.all([
          import('../io/read-labels.js'),
          import('../io/read-image.js'),
          import('./evaluate.js'),
          import('../evaluate/matching.js'),
        ]);
        const { evaluateMethods, formatMatching, formatMethodScores } = evaluate;
        if (options.image) {
          if (truth)
            throw new InvalidArgumentError('with --image, give only the truth label image');
          const reference = await readLabels(predicted);
          const image = (await readChannels([options.image])).planes[0];
          const results = await evaluateMethods(image, reference, {
            methods: options.methods
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
            diameter: options.diameter,
            iou: options.iou,
            download: options.download,
            threads: options.threads,
          });
          const trueObjects = results[0]?.scores[0]?.nTrue ?? 0;
          process.stdout.write(
            `${options.json ? JSON.stringify(results, null, 2) : formatMethodScores(results, trueObjects)}\n`,
          );
          return;
        }
        if (!truth)
          throw new InvalidArgumentError(
            'give the predicted and the truth label images (or --image)',
          );
        const [pred, true_] = [await readLabels(predicted), await readLabels(truth)];
        if (pred.width !== true_.width || pred.height !== true_.height) {
          throw new InvalidArgumentError(
            `${predicted} is ${pred.width}×${pred.height} but ${truth} is ${true_.width}×${true_.height}`,
            { hint: 'compare label images of the same field of view' },
          );
        }
        const scores = matchLabels(pred, true_, { iouThresholds: options.iou });
        process.stdout.write(
          `${options.json ? JSON.stringify(scores, null, 2) : formatMatching(scores)}\n`,
        );
      },
    );

  program
    .command('analyze')
    .description(
      'the whole workflow on every image: nuclei, cells, measurements, matched table, plots, report',
    )
    .argument('<inputs...>', 'image files or folders of images')
    .requiredOption('--out <dir>', 'results folder (one subfolder per image, combined tables)')
    .option(
      '--config <file>',
      'analysis config, YAML or JSON (default: cellscope-nuclei and cellscope-cells, channels 0,1,2)',
    )
    .option('--conditions <csv>', 'CSV with columns image,condition')
    .option('--resume', 'skip images whose outputs are complete')
    .option('--workers <n>', 'images analysed at once, each in a worker thread', integer, 1)
    .option(
      '--threads <n>',
      "Cellpose threads in all, shared among the workers (default: the config's threads, else the cores)",
      threadCount,
    )
    .option(
      '--channel-suffixes <list>',
      'files differing only by these name suffixes are one image, channels in this order (e.g. d0,d2,d1)',
    )
    .option(
      '--shard <i/N>',
      'run only shard i of N (0-based; image k goes to shard k mod N); then cellscope merge',
    )
    .option(
      '--block-size <px|auto|off>',
      'segment in overlapping blocks of this many pixels, stitched (overrides the config blockSize; auto: by free memory)',
    )
    .action(async (inputs: string[], options: AnalyzeCommandOptions) => {
      const { runAnalyze } = await import('./analyze.js');
      process.exitCode = await runAnalyze(inputs, options, (line) =>
        process.stdout.write(`${line}\n`),
      );
    });

  program
    .command('merge')
    .description('combine the shards of a batch (analyze --shard) into what one analyze run writes')
    .argument('<out>', 'the results folder the shards wrote into')
    .action(async (out: string) => {
      const { runMerge } = await import('./merge.js');
      process.exitCode = await runMerge(out, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command('slurm')
    .description(
      'write (and with --submit, queue) a Slurm array job that analyses a batch in shards',
    )
    .argument('<inputs...>', 'image files or folders of images')
    .requiredOption('--out <dir>', 'results folder, on a file system every node shares')
    .requiredOption('--shards <n>', 'number of shards (array tasks)', integer)
    .option('--config <file>', 'analysis config, YAML or JSON (as for analyze)')
    .option('--conditions <csv>', 'CSV with columns image,condition')
    .option('--channel-suffixes <list>', 'as for analyze')
    .option('--time <limit>', 'sbatch --time of each task, e.g. 2:00:00')
    .option('--mem <size>', 'sbatch --mem of each task, e.g. 8G')
    .option(
      '--cpus <n>',
      'sbatch --cpus-per-task; each task analyses as many images at once',
      integer,
    )
    .option('--partition <name>', 'sbatch --partition')
    .option('--account <name>', 'sbatch --account')
    .option('--resume', 'queue only the shards that have not finished; keep complete images')
    .option('--submit', 'queue the jobs with sbatch and print their ids')
    .option(
      '--cellscope <command>',
      'how the compute nodes start cellscope (default: this installation)',
    )
    .action(async (inputs: string[], options: SlurmCommandOptions) => {
      const { runSlurm } = await import('./slurm.js');
      process.exitCode = await runSlurm(inputs, options, (line) =>
        process.stdout.write(`${line}\n`),
      );
    });

  const models = program
    .command('models')
    .description('Cellpose models: list, download into the cache, convert to ONNX');
  models
    .command('list')
    .description('list the built-in Cellpose models and whether they are downloaded')
    .action(async () => {
      const { runModelsList } = await import('./models.js');
      await runModelsList((line) => process.stdout.write(`${line}\n`));
    });
  models
    .command('download')
    .description('download built-in Cellpose models (cyto3, nuclei, cyto2, cyto) into the cache')
    .argument('<names...>', 'model names')
    .action(async (names: string[]) => {
      const { runModelsDownload } = await import('./models.js');
      await runModelsDownload(names, (line) => process.stdout.write(`${line}\n`));
    });
  models
    .command('convert')
    .description('convert Cellpose PyTorch weights (.pth) into an ONNX model')
    .argument('<weights>', 'a Cellpose 1–3 state_dict file (cyto3, nuclei, custom)')
    .requiredOption('--out <model.onnx>', 'ONNX file to write')
    .action(async (weights: string, options: { out: string }) => {
      const { runModelsConvert } = await import('./models.js');
      await runModelsConvert(weights, options, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command('demo')
    .description(
      'run the whole workflow on a real sample image (CellProfiler ExampleHuman) and write its outputs',
    )
    .option('--out <dir>', 'output folder', 'demo-output')
    .option(
      '--synthetic',
      'use a generated 3-channel image with ground truth, and score against it',
    )
    .option('--seed <n>', 'random seed of the generated image (with --synthetic)', integer, 1)
    .action(async (options: { out: string; seed: number; synthetic?: boolean }) => {
      const { runDemo } = await import('./demo.js');
      const written = await runDemo({
        outDir: options.out,
        synthetic: options.synthetic,
        seed: options.seed,
        log: (l) => process.stdout.write(`${l}\n`),
      });
      process.stdout.write(
        `wrote ${written.length} files to ${options.out}/:\n${written.map((p) => `  ${p}`).join('\n')}\n`,
      );
    });

  program
    .command('view')
    .description('open the cellscope web app in the browser, with these images to explore')
    .argument('[images...]', 'image files the app may read (nothing else on disk is served)')
    .option('--port <n>', 'port to listen on, 0 for any free port', parsePort, 0)
    .option(
      '--host <h>',
      'address to listen on (beyond 127.0.0.1: see README, Security)',
      '127.0.0.1',
    )
    .option(
      '--allow-host <name>',
      'a host name (or name:port) the browser may use besides localhost; repeat or comma-separate',
      parseAllowedHosts,
      [],
    )
    .option('--no-open', 'only print the URL, do not open a browser')
    .option('--no-download', 'do not let the app download models; it uses the model cache only')
    // For development: the built app to serve (default: dist/web, see defaultAppDir).
    .addOption(new Option('--app-dir <dir>', 'folder of the built web app').hideHelp())
    .action(async (images: string[], options: ViewCommandOptions) => {
      await runView(
        images,
        options,
        (line) => process.stdout.write(`${line}\n`),
        (line) => process.stderr.write(`${line}\n`),
      );
    });

  oneLineUsageErrors(program);
  return program;
}

/**
 * A usage error is one line that names the command's help, as git does, instead of the whole
 * help text: `cellscope: unknown option '--foo'; see 'cellscope segment --help'`.
 */
function oneLineUsageErrors(command: Command): void {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  command.configureOutput({
    outputError: (message, write) => {
      // "error: unknown option '--outt'\n(Did you mean --out?)" becomes one line.
      const what = message
        .replace(/^error: /, '')
        .trim()
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\.$/, '');
      write(`cellscope: ${what}; see '${path.join(' ')} --help'\n`);
    },
  });
  command.commands.forEach(oneLineUsageErrors);
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.InvalidArgument;
    }
    return report(error);
  }
}
