/**
 * Whole analyses: the analysis config (JSON/YAML, validated), `analyzeImage` and `analyzeBatch`
 * with conditions and resume, segmentation with models, the answers to the per-condition
 * questions and the HTML report.
 *
 * @packageDocumentation
 */
export { analysisConfigSchema, parseAnalysisConfig, parseAnalysisConfigText } from './config.js';
export type { AnalysisConfig, AnalysisConfigInput } from './config.js';
export {
  DEFAULT_NUCLEUS_AWARE,
  NUCLEUS_AWARE_MODES,
  nucleusAwareCells,
} from './nucleus-aware-cells.js';
export type {
  NucleusAwareMode,
  NucleusAwareOptions,
  NucleusAwareResult,
} from './nucleus-aware-cells.js';
export { analyzeImage } from './analyze-image.js';
export type { AnalyzeImageOptions, ImageSummary } from './analyze-image.js';
export { analyzeBatch, collectImages, readConditions } from './batch.js';
export type { BatchImage, BatchOptions, BatchResult } from './batch.js';
export { segmentImage } from './segment-image.js';
export { measureSegmented } from './measure-segmented.js';
export { segmentBlocksWithModels } from './blocks/segment-blocks-with-models.js';
export { channelRoleOf, guessChannelRoles } from './channel-roles.js';
export type { ChannelRole, GuessedChannelRoles } from './channel-roles.js';
export type { MeasuredImage } from './measure-segmented.js';
export type { ModelCache, SegmentedImage } from './segment-image.js';
export { answerQuestions } from './questions.js';
export type { Answer, ChannelRoles } from './questions.js';
export { renderReport } from './report.js';
export type { ReportContent, ReportSection } from './report.js';
