/// <reference lib="webworker" />
// One segmentation run: classical steps and Cellpose (onnxruntime-web) on a copy of the image.
// The engine terminates this worker to cancel, so nothing here needs to poll for it.
import {
  segmentImage,
  parseAnalysisConfig,
  type AnalysisConfigInput,
  type CellposeModel,
  type Labels,
  type Stack,
} from 'cellscope/browser';
import { errorInfo } from './errors.js';
import { openCellposeModel } from './ort-model.js';
import type { ErrorInfo, ModelFile } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

export interface SegmentRequest {
  stack: Stack;
  config: AnalysisConfigInput;
  models: ModelFile[];
}

export type SegmentResponse =
  | { kind: 'progress'; step: string; done: number; total: number }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'result'; result: { nucleusLabels: Labels; cellLabels: Labels; steps: string[] } };

self.onmessage = async (event: MessageEvent<SegmentRequest>) => {
  const { stack, config, models } = event.data;
  const post = (message: SegmentResponse, transfer: Transferable[] = []): void =>
    self.postMessage(message, transfer);
  try {
    const files = new Map(models.map((m) => [m.name, m]));
    const result = await segmentImage(stack, parseAnalysisConfig(config), {
      loadModel: (name): Promise<CellposeModel> => openCellposeModel(files.get(name), name),
      onProgress: (step, done, total) =>
        post({ kind: 'progress', step: `segmenting ${step}`, done, total }),
    });
    const { nucleusLabels, cellLabels, steps } = result;
    post({ kind: 'result', result: { nucleusLabels, cellLabels, steps } }, [
      nucleusLabels.data.buffer,
      cellLabels.data.buffer,
    ]);
  } catch (error) {
    post({ kind: 'error', error: errorInfo(error) });
  }
};
