/// <reference lib="webworker" />
// Block-wise segmentation of a big image's region: reopens the image from its files (File
// objects cross to this worker cheaply), reads only the blocks, stitches labels by centre.
// The engine terminates this worker to cancel.
import {
  parseAnalysisConfig,
  segmentBlocksWithModels,
  type AnalysisConfigInput,
  type CellposeModel,
  type Labels,
} from 'cellscope/browser';
import { errorInfo } from '../engine/errors.js';
import { openCellposeModel } from '../engine/ort-model.js';
import type { ErrorInfo, ModelFile } from '../engine/protocol.js';
import type { BigImageInput, RegionRect } from './protocol.js';
import { regionView } from './region-view.js';
import { openLevels } from './sources.js';

declare const self: DedicatedWorkerGlobalScope;

export interface RegionSegmentRequest {
  input: BigImageInput;
  region: RegionRect;
  config: AnalysisConfigInput;
  models: ModelFile[];
  blockSize: number;
}

export type RegionSegmentResponse =
  | { kind: 'progress'; done: number }
  | { kind: 'error'; error: ErrorInfo }
  | {
      kind: 'result';
      nucleusLabels: Labels;
      cellLabels: Labels;
      steps: string[];
      blocks: number;
    };

self.onmessage = async (event: MessageEvent<RegionSegmentRequest>) => {
  const { input, region, config, models, blockSize } = event.data;
  const post = (message: RegionSegmentResponse, transfer: Transferable[] = []): void =>
    self.postMessage(message, transfer);
  try {
    const opened = await openLevels(input);
    if (!opened) throw new Error('the image can no longer be read');
    const full = opened.levels[0];
    let reads = 0;
    // Every pass reads through here: counting reads is the progress there is to show.
    const view = regionView(full, region);
    const counted = {
      ...view,
      read: (r: RegionRect, channels?: readonly number[]) => {
        post({ kind: 'progress', done: ++reads });
        return view.read(r, channels);
      },
    };
    const files = new Map(models.map((m) => [m.name, m]));
    const result = await segmentBlocksWithModels(counted, parseAnalysisConfig(config), blockSize, {
      loadModel: async (name): Promise<CellposeModel> =>
        (await openCellposeModel(files.get(name), name)).model,
    });
    const { nucleusLabels, cellLabels, steps, blocks } = result;
    post({ kind: 'result', nucleusLabels, cellLabels, steps, blocks }, [
      nucleusLabels.data.buffer,
      cellLabels.data.buffer,
    ]);
  } catch (error) {
    post({ kind: 'error', error: errorInfo(error) });
  }
};
