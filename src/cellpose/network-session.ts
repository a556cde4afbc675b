/**
 * What a runtime's session looks like to the code above it: `runtime.ts` opens one on
 * `onnxruntime-node`; a browser runtime opens the same shape on `onnxruntime-web`.
 */

/** A float32 tensor in NCHW (or N×C) layout. */
export interface NetworkTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface NetworkSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on named inputs; returns every output by name. */
  run(inputs: Record<string, NetworkTensor>): Promise<Record<string, NetworkTensor>>;
  release(): Promise<void>;
}
