/**
 * Cellpose 3 in TypeScript: `.pth` weights, the CPnet network as an ONNX graph, a network session
 * (onnxruntime-node or onnxruntime-web) or cellscope's own WebAssembly kernels, preprocessing and
 * tiling, the flow dynamics that turn flows into masks, the size model, and the model registry
 * and cache.
 *
 * @packageDocumentation
 */
export {
  segmentCellpose,
  estimateCellposeDiameter,
  medianEquivalentDiameter,
} from './segment-cellpose.js';
export type {
  CellposeResult,
  CellposeStage,
  DiameterEstimate,
  SegmentCellposeOptions,
} from './segment-cellpose.js';
export { createCellposeModel, loadCellposeModel } from './model.js';
export type {
  CellposeModel,
  CreateCellposeModelOptions,
  LoadCellposeModelOptions,
} from './model.js';
export { decodeSizeModel, diameterFromStyle } from './size-model.js';
export type { SizeModel } from './size-model.js';
export { decodeStateDict } from './weights/state-dict.js';
export type { StateDict, Tensor, TensorDtype } from './weights/state-dict.js';
export { encodeStateDict } from './weights/encode-state-dict.js';
export type { EncodeStateDictOptions } from './weights/encode-state-dict.js';
export {
  buildCellposeOnnx,
  CELLPOSE_ONNX_ARCHITECTURE_KEY,
  CELLPOSE_ONNX_NAMES,
} from './network/onnx-graph.js';
export { decodeCellposeOnnx } from './network/read-onnx.js';
export type { CellposeOnnxOptions } from './network/onnx-graph.js';
export { cellposeArchitecture } from './network/architecture.js';
export type { CellposeArchitecture } from './network/architecture.js';
export { packCpnetWeights } from './network/cpnet-weights.js';
export type { CpnetWeights } from './network/cpnet-weights.js';
export { createCpnetRunner, cpnetModule } from './network/cpnet-wasm.js';
export type { CpnetRunner, CpnetTileOutput } from './network/cpnet-wasm.js';
export { createNetworkSession } from './runtime.js';
export { networkSessionFromOrt } from './ort-session.js';
export type { OrtPackage, OrtSession } from './ort-session.js';
export type { NetworkSession, NetworkTensor, SessionOptions } from './runtime.js';
export {
  BUILT_IN_MODEL_NAMES,
  BUILT_IN_MODELS,
  getBuiltInModel,
  isPackagedModelName,
  listModels,
  modelCacheDir,
  DEFAULT_MODELS,
  PACKAGED_MODEL_NAMES,
  PACKAGED_MODELS,
  packagedModelPath,
  resolveModel,
} from './models/index.js';
export type {
  BuiltInModel,
  BuiltInModelName,
  ListedModel,
  PackagedModelName,
  ResolvedModel,
} from './models/index.js';
export * from './dynamics/index.js';
export * from './transforms/index.js';
