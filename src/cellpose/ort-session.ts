import type { NetworkSession, NetworkTensor } from './network-session.js';

/** What the adapter needs of an onnxruntime package: `onnxruntime-node` and `-web` alike. */
export interface OrtPackage {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

/** The part of an onnxruntime `InferenceSession` the adapter uses. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Record<string, never>,
  ): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  release(): Promise<void>;
}

/**
 * A {@link NetworkSession} over an onnxruntime session, so Node (onnxruntime-node) and the
 * browser (onnxruntime-web) share one adapter: float32 tensors in, float32 tensors out.
 */
export function networkSessionFromOrt(ort: OrtPackage, session: OrtSession): NetworkSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([name, t]) => [
          name,
          new ort.Tensor('float32', t.data, [...t.dims]),
        ]),
      ) as Record<string, never>;
      const results = await session.run(feeds);
      return Object.fromEntries(
        Object.entries(results).map(([name, t]): [string, NetworkTensor] => [
          name,
          { data: t.data as Float32Array, dims: t.dims },
        ]),
      );
    },
    release: () => session.release(),
  };
}
