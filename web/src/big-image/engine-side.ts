// The engine worker's side of big images: holds the levels (region sources, nothing decoded),
// the overview, and the last region segmentation; renders the overview and tiles as bitmaps.
import {
  checkRegion,
  minMax,
  percentile,
  stackDtype,
  type Labels,
  type RegionSource,
} from 'cellscope/browser';
import { imageName } from '../names.js';
import { compositeChannels, innerBoundaries } from '../engine/render.js';
import { state } from '../engine/state.js';
import { runWorkerJob } from '../engine/worker-job.js';
import { checkRegionSize } from './check-region.js';
import { downsamples, fitLevel, tileRegion } from './levels.js';
import { readOverview } from './overview.js';
import type { BigImageInfo, BigImageInput, BigImageRequests, RegionRect } from './protocol.js';
import type { RegionSegmentRequest, RegionSegmentResponse } from './segment-region.worker.js';
import { openLevels } from './sources.js';

/** Images from this size open lazily: 4096², or 2048² when the file carries a pyramid. */
export const BIG_IMAGE_PIXELS = 4096 * 4096;
const BIG_PYRAMID_PIXELS = 2048 * 2048;

const big: {
  input?: BigImageInput;
  levels?: RegionSource[];
  info?: BigImageInfo;
  overview?: import('cellscope/browser').Stack;
  region?: { rect: RegionRect; nuclei: Labels; cells: Labels };
} = {};

/** Forgets the big image (a small image is being opened the usual way). */
export function closeBigImage(): void {
  for (const key of Object.keys(big)) delete big[key as keyof typeof big];
}

type Handlers = {
  [K in keyof BigImageRequests]: (
    args: BigImageRequests[K]['args'],
    progress: (step: string, done: number, total: number) => void,
  ) => Promise<BigImageRequests[K]['result']>;
};

export const bigImageHandlers: Handlers = {
  async bigOpen({ input, viewWidth, viewHeight }) {
    const opened = await openLevels(input);
    if (!opened) return null;
    const { levels } = opened;
    const [full] = levels;
    const pixels = full.width * full.height;
    const isBig =
      input.kind === 'folder' ||
      pixels >= BIG_IMAGE_PIXELS ||
      (levels.length > 1 && pixels >= BIG_PYRAMID_PIXELS);
    if (!isBig) return null;
    const sizes = levels.map(({ width, height }) => ({ width, height }));
    const overviewLevel = fitLevel(sizes, viewWidth, viewHeight);
    const { stack, factor } = await readOverview(levels[overviewLevel]);
    closeBigImage();
    state.stack = undefined;
    state.layers = {};
    state.history = [];
    state.future = [];
    const names = input.kind === 'file' ? [input.file.name] : [input.name];
    const info: BigImageInfo = {
      name: imageName(names),
      files: names,
      width: full.width,
      height: full.height,
      dtype: stackDtype(stack),
      axes: opened.axes,
      channelNames: [...full.channelNames],
      pixelSizeUm: full.pixelSizeUm && { x: full.pixelSizeUm.x, y: full.pixelSizeUm.y },
      // Contrast from the overview: every pixel of the level it shows.
      ranges: stack.planes.map((plane) => {
        const [min, max] = minMax(plane);
        const [autoMin, autoMax] = percentile(plane, [0.35, 99.8]);
        return { min, max, autoMin, autoMax: autoMax > autoMin ? autoMax : max };
      }),
      levels: sizes,
      overviewLevel,
      overviewScale: factor / downsamples(sizes)[overviewLevel],
      overviewSource: factor === 1 ? 'level' : 'strided',
    };
    Object.assign(big, { input, levels, info, overview: stack });
    state.info = info;
    return info;
  },

  async bigOverview({ channels }) {
    const stack = requireOverview();
    const { width, height } = stack.planes[0];
    return createImageBitmap(
      new ImageData(compositeChannels(stack.planes, channels), width, height),
    );
  },

  async bigTile({ level, col, row, channels }) {
    const source = big.levels?.[level];
    if (!source) throw new Error(`no level ${level} is open`);
    const rect = tileRegion(source, col, row);
    const stack = await source.read(rect);
    return createImageBitmap(new ImageData(compositeChannels(stack.planes, channels), rect.width));
  },

  async bigSegment({ region, config, models, blockSize }, progress) {
    const info = big.info;
    if (!info || !big.input) throw new Error('no big image is open');
    checkRegion(region, info.width, info.height);
    checkRegionSize(region);
    const started = performance.now();
    progress(`segmenting ${region.width} × ${region.height} px in blocks of ${blockSize}`, 0, 1);
    const result = await runRegionWorker(
      { input: big.input, region, config, models, blockSize },
      (reads) => progress(`segmenting in blocks of ${blockSize} px: ${reads} reads`, 0, 1),
    );
    big.region = { rect: region, nuclei: result.nucleusLabels, cells: result.cellLabels };
    return {
      region,
      overlay: await outlineBitmap(result.nucleusLabels, result.cellLabels),
      counts: { nuclei: maxLabel(result.nucleusLabels), cells: maxLabel(result.cellLabels) },
      blocks: result.blocks,
      blockSize,
      steps: result.steps,
      seconds: (performance.now() - started) / 1000,
    };
  },
};

/**
 * The readout under the pointer for a big image: channel values at full resolution (one tile
 * decoded) and the labels of the last region segmentation there; null outside the image.
 */
export async function bigImagePixel({
  x,
  y,
}: {
  x: number;
  y: number;
}): Promise<{ values: number[]; nucleus: number; cell: number } | null> {
  const full = big.levels?.[0];
  if (!full) return null;
  const [px, py] = [Math.floor(x), Math.floor(y)];
  if (px < 0 || py < 0 || px >= full.width || py >= full.height) return null;
  const stack = await full.read({ x: px, y: py, width: 1, height: 1 });
  const region = big.region;
  let [nucleus, cell] = [0, 0];
  if (region) {
    const [rx, ry] = [px - region.rect.x, py - region.rect.y];
    if (rx >= 0 && ry >= 0 && rx < region.rect.width && ry < region.rect.height) {
      nucleus = region.nuclei.data[ry * region.rect.width + rx];
      cell = region.cells.data[ry * region.rect.width + rx];
    }
  }
  return { values: stack.planes.map((p) => p.data[0]), nucleus, cell };
}

function requireOverview() {
  if (!big.overview) throw new Error('no big image is open');
  return big.overview;
}

/** Stitched labels are numbered 1…n, so the largest label is the count. */
function maxLabel(labels: Labels): number {
  let max = 0;
  for (const v of labels.data) if (v > max) max = v;
  return max;
}

/** Cell outlines in green and nucleus outlines in magenta (napari's contour look), transparent elsewhere. */
async function outlineBitmap(nuclei: Labels, cells: Labels): Promise<ImageBitmap> {
  const { width, height } = nuclei;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const paint = (edges: Uint8Array, [r, g, b]: number[]): void => {
    for (let i = 0; i < edges.length; i++) {
      if (!edges[i]) continue;
      rgba.set([r, g, b, 255], i * 4);
    }
  };
  paint(innerBoundaries(cells), [60, 220, 90]);
  paint(innerBoundaries(nuclei), [255, 60, 220]);
  return createImageBitmap(new ImageData(rgba, width, height));
}

type RegionResult = Extract<RegionSegmentResponse, { kind: 'result' }>;

/** Runs one region segmentation in its own worker; the engine's cancel terminates it. */
function runRegionWorker(
  request: RegionSegmentRequest,
  onReads: (reads: number) => void,
): Promise<RegionResult> {
  const worker = new Worker(new URL('./segment-region.worker.ts', import.meta.url), {
    type: 'module',
  });
  return runWorkerJob<RegionSegmentResponse>(
    worker,
    (w) =>
      w.postMessage(
        request,
        request.models.map((m) => m.bytes),
      ),
    (message) => {
      if (message.kind === 'progress') onReads(message.done);
    },
  );
}
