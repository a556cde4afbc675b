/// <reference lib="webworker" />
// One segmentation run: classical steps and Cellpose (onnxruntime-web) on a copy of the image.
// The engine terminates this worker to cancel, so nothing here needs to poll for it.
import {
  segmentImage,
  parseAnalysisConfig,
  type AnalysisConfigInput,
  type CellposeModel,
  type CellposeStage,
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
  /** Nuclei kept from before: only the cells step runs (see segmentImage's options). */
  nucleusLabels?: Labels;
  /** Only the nuclei step runs. */
  nucleiOnly?: boolean;
}

export type SegmentResponse =
  | {
      kind: 'progress';
      pass: 'nuclei' | 'cells';
      done: number;
      total: number;
      stage?: CellposeStage;
    }
  | { kind: 'backend'; name: string }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'result'; result: SegmentResult };

export interface SegmentResult {
  nucleusLabels: Labels;
  cellLabels: Labels;
  steps: string[];
  /** Diameters used (px), estimated where the config said 'auto'. */
  nucleusDiameterPx?: number;
  cellDiameterPx?: number;
  /** What ran the network (none when no step used Cellpose). */
  backend?: string;
}

self.onmessage = async (event: MessageEvent<SegmentRequest>) => {
  const { stack, config, models, nucleusLabels: kept, nucleiOnly } = event.data;
  const post = (message: SegmentResponse, transfer: Transferable[] = []): void =>
    self.postMessage(message, transfer);
  try {
    const files = new Map(models.map((m) => [m.name, m]));
    let backend: string | undefined;
    const result = await segmentImage(stack, parseAnalysisConfig(config), {
      loadModel: async (name): Promise<CellposeModel> => {
        const opened = await openCellposeModel(files.get(name), name);
        backend = opened.backend;
        post({ kind: 'backend', name: backend });
        return opened.model;
      },
      onProgress: (pass, done, total, stage) =>
        post({ kind: 'progress', pass, done, total, stage }),
      nucleusLabels: kept,
      nucleiOnly,
    });
    const { nucleusLabels, cellLabels, steps, nucleusDiameterPx, cellDiameterPx } = result;
    const message: SegmentResult = {
      nucleusLabels,
      cellLabels,
      steps,
      nucleusDiameterPx,
      cellDiameterPx,
      backend,
    };
    post({ kind: 'result', result: message }, [nucleusLabels.data.buffer, cellLabels.data.buffer]);
  } catch (error) {
    post({ kind: 'error', error: errorInfo(error) });
  }
};
