import { loadCellposeModel } from '../cellpose/model.js';
import { segmentCellpose } from '../cellpose/segment-cellpose.js';
import { InvalidArgumentError } from '../errors.js';
import { createStack } from '../image/stack.js';
import { writeFileAtomic } from '../io/files.js';
import { encodePng } from '../io/raster.js';
import { readChannels } from '../io/read-image.js';
import { writeTiffFile } from '../io/tiff/write-file.js';
import { compositeRgba, DEFAULT_CHANNEL_COLOURS } from '../plot/composite.js';
import { drawOutlines } from '../plot/overlay.js';
import { siblingPath } from './segment.js';

export interface CellposeCommandOptions {
  out: string;
  model: string;
  diameter?: number | 'auto';
  channels?: string;
  flowThreshold?: number;
  cellprobThreshold?: number;
  minSize?: number;
  augment?: boolean;
  resample: boolean;
  niter?: number;
  download?: boolean;
  saveFlows?: boolean;
  overlay?: string;
  z?: number;
  t?: number;
}

/** `--channels 2,1`: Cellpose's 1-based [channel to segment, nuclear channel]; 0 = none/gray. */
export function parseCellposeChannels(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (
    parts.length !== 2 ||
    !numbers.every((n, i) => parts[i] !== '' && Number.isInteger(n) && n >= 0)
  ) {
    throw new InvalidArgumentError(
      `--channels must be two channel numbers like 2,1, got "${value}"`,
      {
        hint: '1-based as in Cellpose: the channel to segment, then the nuclear channel (0 = none)',
      },
    );
  }
  return [numbers[0], numbers[1]];
}

/** `cellscope segment --method cellpose`: Cellpose masks, optionally with flows and an overlay. */
export async function runSegmentCellpose(
  images: string[],
  options: CellposeCommandOptions,
  log: (line: string) => void,
): Promise<void> {
  const channels = parseCellposeChannels(options.channels);
  const stack = await readChannels(images, { z: options.z, t: options.t });
  const model = await loadCellposeModel(options.model, {
    download: options.download,
    onProgress: (received, total, file) =>
      log(
        `downloading ${file}: ${(received / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`,
      ),
  });
  try {
    const started = performance.now();
    const result = await segmentCellpose(stack, {
      model,
      diameter: options.diameter,
      channels,
      flowThreshold: options.flowThreshold,
      cellprobThreshold: options.cellprobThreshold,
      minSize: options.minSize,
      augment: options.augment,
      resample: options.resample,
      niter: options.niter,
    });
    const count = new Set(result.masks.data).size - (result.masks.data.includes(0) ? 1 : 0);
    log(
      `${count} masks with ${model.name} (diameter ${Number(result.diameter.toPrecision(5))} px) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const protect = images;
    const pixelSizeUm = stack.pixelSizeUm;
    await writeTiffFile(options.out, result.masks, { protect, pixelSizeUm });
    log(`wrote ${options.out}`);
    if (options.saveFlows) {
      const flowsPath = siblingPath(options.out, '_flows');
      const { dY, dX, cellprob } = result.flows;
      const flows = createStack([dY, dX, cellprob], { channelNames: ['dY', 'dX', 'cellprob'] });
      await writeTiffFile(flowsPath, flows, { protect: [...protect, options.out] });
      log(`wrote ${flowsPath} (dY, dX, cell probability logit)`);
    }
    if (options.overlay) {
      let rgba = compositeRgba(createStack(stack.planes.slice(0, 3)), {
        colours: DEFAULT_CHANNEL_COLOURS,
      });
      rgba = drawOutlines(rgba, result.masks, { colour: [255, 255, 255] });
      await writeFileAtomic(options.overlay, await encodePng(rgba), { protect });
      log(`wrote ${options.overlay}`);
    }
  } finally {
    await model.release();
  }
}
