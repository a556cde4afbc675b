// The browser-safe API: everything that works on bytes and arrays, nothing that needs Node
// (file system, sharp, onnxruntime-node, workers, resvg, the CLI). Modules whose index mixes the
// two are exported file by file; test/browser-entry.test.ts bundles this for the browser.
export * from './errors.js';
export * from './image/index.js';

// io: decoding and encoding bytes (files and PNG via sharp are Node-only).
export { encodeNpy, decodeNpy, npyToNumbers } from './io/npy.js';
export type { NpyArray, NpyData } from './io/npy.js';
export { decodeTiffArray, tiffArrayToStack, decodeTiff } from './io/tiff/read.js';
export type { ReadTiffOptions, StackSelection, TiffArray } from './io/tiff/read.js';
export type { ImageJMetadata, OmeMetadata } from './io/tiff/metadata.js';
export { sniffFormat } from './io/sniff-format.js';
export { combineChannels, fileStem } from './io/combine-channels.js';
export type { ImageFormat } from './io/sniff-format.js';
export { encodeLabelsTiff, encodeTiff, TIFF_COMPRESSIONS } from './io/tiff/write.js';
export type { TiffCompression, WriteLabelsTiffOptions, WriteTiffOptions } from './io/tiff/write.js';
// Region sources: tiled TIFF pyramids and OME-Zarr read region by region (the app's big images).
export { tiffPyramid, tiffRegionSource } from './io/tiff/region.js';
export type { ByteSource } from './io/tiff/source.js';
export { openOmeZarr, omeZarrRegionSource } from './io/zarr/ome-zarr.js';
export type { OmeZarrImage, OmeZarrLevel, OmeZarrRegionOptions } from './io/zarr/ome-zarr.js';
export { csvToTable, tableToCsv } from './io/table/csv.js';
export type { CsvToTableOptions, TableToCsvOptions } from './io/table/csv.js';
export { jsonToTable, tableToJson } from './io/table/json.js';
export type { JsonToTableOptions } from './io/table/json.js';
export { PARQUET_METADATA_KEY, parquetToTable, tableToParquet } from './io/table/parquet.js';
export type { ParquetToTableOptions } from './io/table/parquet.js';

// plot: overlays, Vega-Lite specs and specToSvg (renderSpec, for PNG, loads resvg and the font files).
export { specToSvg } from './plot/spec-to-svg.js';
export type { SpecToSvgOptions } from './plot/spec-to-svg.js';
export { compositeRgba, DEFAULT_CHANNEL_COLOURS } from './plot/composite.js';
export type { CompositeOptions, Rgb, RgbaImage } from './plot/composite.js';
export { drawOutlines, labelColour } from './plot/overlay.js';
export type { OutlineOptions } from './plot/overlay.js';
export { LABEL2RGB_DEFAULT_COLORS } from './plot/label-colours.js';
export type { ColourSpec, UnitRgb } from './plot/label-colours.js';
export { label2rgb } from './plot/label2rgb.js';
export type { Label2RgbOptions, RgbFloatImage } from './plot/label2rgb.js';
export { label2rgba } from './plot/label2rgba.js';
export { overlayGrid } from './plot/overlay-grid.js';
export type { OverlayGridOptions } from './plot/overlay-grid.js';
export { PLOT_CONFIG, PLOT_FONT, PLOT_PALETTE } from './plot/theme.js';
export type { PlotSize, PlotTitle } from './plot/theme.js';
export { histogramKdeSpec } from './plot/histogram-kde-spec.js';
export type {
  DensityCurve,
  HistogramGroup,
  HistogramKdeOptions,
} from './plot/histogram-kde-spec.js';
export { distributionSpec } from './plot/distribution-spec.js';
export type { DistributionOptions } from './plot/distribution-spec.js';
export { scatterRegressionSpec } from './plot/scatter-regression-spec.js';
export type {
  ConfidenceBand,
  RegressionLine,
  ScatterRegressionOptions,
  ScatterSeries,
} from './plot/scatter-regression-spec.js';
export { boxByGroupSpec } from './plot/box-by-group-spec.js';
export type { BoxByGroupOptions, BoxGroup } from './plot/box-by-group-spec.js';
export { correlationMatrixSpec } from './plot/correlation-matrix-spec.js';
export type { CorrelationMatrixOptions } from './plot/correlation-matrix-spec.js';

export { syntheticCells } from './synth/cells.js';
export type { SyntheticCells, SyntheticCellsOptions } from './synth/cells.js';
export * from './evaluate/index.js';
export * from './segment/index.js';
export * from './measure/index.js';

// cellpose: weights from bytes, the ONNX graph, transforms, dynamics and segmentation with a
// model built on any forward pass (createCellposeModel / loadCellposeModel are Node-only).
export {
  segmentCellpose,
  estimateCellposeDiameter,
  medianEquivalentDiameter,
} from './cellpose/segment-cellpose.js';
export type {
  CellposeResult,
  CellposeStage,
  DiameterEstimate,
  SegmentCellposeOptions,
} from './cellpose/segment-cellpose.js';
export { cellposeModelFromForward, cellposeModelFromSession } from './cellpose/cellpose-model.js';
export type {
  CellposeModel,
  CellposeModelFromForwardOptions,
  CellposeModelInfo,
} from './cellpose/cellpose-model.js';
export type { NetworkSession, NetworkTensor } from './cellpose/network-session.js';
export { networkSessionFromOrt } from './cellpose/ort-session.js';
export type { OrtPackage, OrtSession } from './cellpose/ort-session.js';
export { decodeSizeModel, diameterFromStyle } from './cellpose/size-model.js';
export type { SizeModel } from './cellpose/size-model.js';
export { decodeStateDict } from './cellpose/weights/state-dict.js';
export type { StateDict, Tensor, TensorDtype } from './cellpose/weights/state-dict.js';
export { encodeStateDict } from './cellpose/weights/encode-state-dict.js';
export type { EncodeStateDictOptions } from './cellpose/weights/encode-state-dict.js';
export {
  buildCellposeOnnx,
  CELLPOSE_ONNX_ARCHITECTURE_KEY,
  CELLPOSE_ONNX_NAMES,
} from './cellpose/network/onnx-graph.js';
export { decodeCellposeOnnx } from './cellpose/network/read-onnx.js';
export type { CellposeOnnxOptions } from './cellpose/network/onnx-graph.js';
export { cellposeArchitecture } from './cellpose/network/architecture.js';
export type { CellposeArchitecture } from './cellpose/network/architecture.js';
export { packCpnetWeights } from './cellpose/network/cpnet-weights.js';
export type { CpnetWeights } from './cellpose/network/cpnet-weights.js';
export { createCpnetRunner, cpnetModule } from './cellpose/network/cpnet-wasm.js';
export type { CpnetRunner, CpnetTileOutput } from './cellpose/network/cpnet-wasm.js';
export {
  BUILT_IN_MODEL_NAMES,
  BUILT_IN_MODELS,
  getBuiltInModel,
} from './cellpose/models/registry.js';
export type { BuiltInModel, BuiltInModelName } from './cellpose/models/registry.js';
export {
  isPackagedModelName,
  DEFAULT_MODELS,
  PACKAGED_MODEL_NAMES,
  PACKAGED_MODELS,
} from './cellpose/models/packaged.js';
export type { PackagedModelName } from './cellpose/models/packaged.js';
export * from './cellpose/dynamics/index.js';
export * from './cellpose/transforms/index.js';

export * from './stats/index.js';
export * from './relate/index.js';

// edit: interactive label corrections (delete, merge, paint and erase strokes).
export * from './edit/index.js';

// pipeline: config, segmentation with given models, questions and the report (analyzeImage and
// analyzeBatch write files). segmentImage here never loads a model: pass them in `models`.
export {
  analysisConfigSchema,
  parseAnalysisConfig,
  parseAnalysisConfigText,
} from './pipeline/config.js';
export type { AnalysisConfig, AnalysisConfigInput } from './pipeline/config.js';
export {
  DEFAULT_NUCLEUS_AWARE,
  NUCLEUS_AWARE_MODES,
  nucleusAwareCells,
} from './pipeline/nucleus-aware-cells.js';
export type {
  NucleusAwareMode,
  NucleusAwareOptions,
  NucleusAwareResult,
} from './pipeline/nucleus-aware-cells.js';
export { segmentWithModels as segmentImage } from './pipeline/segment-with-models.js';
export { measureSegmented } from './pipeline/measure-segmented.js';
export { segmentBlocksWithModels } from './pipeline/blocks/segment-blocks-with-models.js';
export { channelRoleOf, guessChannelRoles } from './pipeline/channel-roles.js';
export type { ChannelRole, GuessedChannelRoles } from './pipeline/channel-roles.js';
export type { MeasuredImage } from './pipeline/measure-segmented.js';
export type {
  ModelCache,
  SegmentedImage,
  SegmentImageOptions,
} from './pipeline/segment-with-models.js';
export { answerQuestions } from './pipeline/questions.js';
export type { Answer, ChannelRoles } from './pipeline/questions.js';
export { renderReport } from './pipeline/report.js';
export type { ReportContent, ReportSection } from './pipeline/report.js';

// export: label outlines, ImageJ ROI zip, QuPath GeoJSON, OME-Zarr labels into a store, tiled TIFF.
export * from './export/index.js';
