import { expectedShapes } from '../src/cellpose/network/architecture.js';
import type { StateDict } from '../src/cellpose/weights/state-dict.js';
import { seededRandom } from '../src/synth/random.js';

/** The layout of cyto3 and nuclei. */
export const FULL_NBASE = [2, 32, 64, 128, 256];

/**
 * A CPnet state_dict with random weights: convolutions and Linears uniform in ±1/√fan-in (the
 * scale of PyTorch's default init), BatchNorm weights and running variances 1, so activations
 * keep their size through the depth; `diam_mean` = `diam_labels` = `diamMean`.
 */
export function randomCellposeWeights(
  options: { nbase?: number[]; seed?: number; diamMean?: number } = {},
): StateDict {
  const random = seededRandom(options.seed ?? 7);
  const diamMean = options.diamMean ?? 30;
  const weights: StateDict = new Map();
  weights.set('diam_mean', { dtype: 'float32', shape: [1], data: Float32Array.of(diamMean) });
  weights.set('diam_labels', { dtype: 'float32', shape: [1], data: Float32Array.of(diamMean) });
  for (const [name, shape] of expectedShapes(options.nbase ?? FULL_NBASE, 3, 3)) {
    const count = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    const unit = name.endsWith('running_var') || name.endsWith('.0.weight');
    const data = Float32Array.from({ length: count }, () =>
      unit ? 1 : (2 * random() - 1) / Math.sqrt(fanIn),
    );
    weights.set(name, { dtype: 'float32', shape, data });
  }
  return weights;
}
