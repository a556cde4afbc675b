// Reads the shards training/generate.ts writes: each image as a Stack (one plane where the
// nuclear channel is all zero, as for the nuclei target) with its labels.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellposeModel } from '../src/cellpose/model.js';
import { medianEquivalentDiameter, segmentCellpose } from '../src/cellpose/segment-cellpose.js';
import { resizeLinear } from '../src/cellpose/transforms/resize.js';
import type { Float32Plane } from '../src/cellpose/transforms/types.js';
import { crop } from '../src/image/crop.js';
import { createStack } from '../src/image/stack.js';
import type { Labels, Stack } from '../src/image/types.js';
import { decodeNpy } from '../src/io/npy.js';

export interface GeneratedSample {
  stack: Stack;
  /** The stack's planes, float32 as the shard holds them. */
  planes: Float32Plane[];
  labels: Labels;
  /** True where the nuclear channel is all zero: segment the one plane with channels [0, 0]. */
  nuclei: boolean;
}

/** The first `limit` images of a folder's `images_XXXX.npy` / `labels_XXXX.npy` shards. */
export function readShards(folder: string, limit = Infinity): GeneratedSample[] {
  const shards = readdirSync(folder)
    .filter((f) => f.startsWith('images_'))
    .sort();
  const samples: GeneratedSample[] = [];
  for (const shard of shards) {
    const images = decodeNpy(readFileSync(join(folder, shard)));
    const labels = decodeNpy(readFileSync(join(folder, shard.replace('images_', 'labels_'))));
    const [n, , height, width] = images.shape;
    const plane = width * height;
    for (let k = 0; k < n && samples.length < limit; k++) {
      const data = images.data as Float32Array;
      const planes = [0, 1].map((c) => ({
        width,
        height,
        data: data.slice((k * 2 + c) * plane, (k * 2 + c + 1) * plane),
      }));
      const nuclei = planes[1].data.every((v) => v === 0);
      const used = nuclei ? [planes[0]] : planes;
      samples.push({
        stack: createStack(used),
        planes: used,
        labels: {
          width,
          height,
          data: Uint32Array.from((labels.data as Int32Array).subarray(k * plane, (k + 1) * plane)),
        },
        nuclei,
      });
    }
  }
  return samples;
}

/**
 * The sample's image resized by `scale` (bilinear, as Cellpose resizes), and the exact scale the
 * integer size gives: the labels' diameters scale by it (Cellpose's `log(diam) + log(scale)`).
 */
export function rescaleSample(
  sample: GeneratedSample,
  scale: number,
): { stack: Stack; scale: number } {
  const { width, height } = sample.labels;
  const size = { height: Math.round(height * scale), width: Math.round(width * scale) };
  const planes = sample.planes.map((p) => resizeLinear(p, size));
  return {
    stack: createStack(planes),
    scale: Math.sqrt((size.height * size.width) / (height * width)),
  };
}

/** The sample's central `size` × `size` window (the whole side where the image is smaller). */
export function centreCrop(sample: GeneratedSample, size: number): GeneratedSample {
  const { width, height } = sample.labels;
  const [w, h] = [Math.min(size, width), Math.min(size, height)];
  const region = { top: (height - h) >> 1, left: (width - w) >> 1, width: w, height: h };
  const planes = sample.planes.map((plane) => crop(plane, region));
  return {
    stack: createStack(planes),
    planes,
    labels: crop(sample.labels, region),
    nuclei: sample.nuclei,
  };
}

/** The first `limit` samples of a folder, each cut to its central `crop` window where given. */
export function readSamples(folder: string, limit: number, crop?: number): GeneratedSample[] {
  const samples = readShards(folder, limit);
  return crop === undefined ? samples : samples.map((sample) => centreCrop(sample, crop));
}

/** A model's masks for a sample at its true median diameter; undefined where it holds no object. */
export async function segmentAtTrueDiameter(
  model: CellposeModel,
  { stack, labels, nuclei }: GeneratedSample,
): Promise<Labels | undefined> {
  const diameter = medianEquivalentDiameter(labels);
  if (!(diameter > 0)) return undefined;
  const channels: [number, number] = nuclei ? [0, 0] : [1, 2];
  return (await segmentCellpose(stack, { model, diameter, channels })).masks;
}
