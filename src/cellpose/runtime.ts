import { availableParallelism } from 'node:os';
import { UnsupportedError } from '../errors.js';
import type { NetworkSession } from './network-session.js';
import { networkSessionFromOrt } from './ort-session.js';

/**
 * The one place that knows which ONNX runtime runs the network in Node: `onnxruntime-node`. In
 * the browser the app opens an `onnxruntime-web` session behind the same {@link NetworkSession}
 * interface (network-session.ts) and hands it to `cellposeModelFromSession`; nothing above sees
 * which runtime it is.
 */

export type { NetworkSession, NetworkTensor } from './network-session.js';

export interface SessionOptions {
  /** Threads for one operator. @default the machine's cores */
  threads?: number;
}

/** Loads an ONNX model (bytes or a path) into an onnxruntime-node session on the CPU. */
export async function createNetworkSession(
  model: Uint8Array | string,
  options: SessionOptions = {},
): Promise<NetworkSession> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    throw new UnsupportedError('onnxruntime-node could not be loaded on this machine', {
      cause: error,
      hint: 'reinstall with `npm ci`; the CPU binaries ship inside the npm package',
    });
  }
  const session = await ort.InferenceSession.create(model as Uint8Array, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? availableParallelism(),
    interOpNumThreads: 1,
    // Random or badly trained weights can produce subnormals, which are ~100× slower on x86.
    extra: { session: { set_denormal_as_zero: '1' } },
  });
  return networkSessionFromOrt(ort, session);
}
