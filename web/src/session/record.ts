// What a session is made of, as the autosave stores it and a project file carries it.
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { ChannelDisplay, LabelState, Layer } from '../engine/protocol.js';
import type { OverlayChoices } from '../panels/overlay-panel.js';
import type { Tool } from '../viewer/viewer.js';

/** The user's choices in the page: everything but the pixels. */
export interface AppSettings {
  channels: ChannelDisplay[];
  overlay: OverlayChoices;
  /** The segmentation panel's fields, as a config. */
  segment: AnalysisConfigInput;
  /** The config the tables were measured with (absent before the first segmentation). */
  measuredConfig?: AnalysisConfigInput;
  layer: Layer;
  selection: number[];
  tool: Tool;
  brushRadius: number;
}

export interface SessionRecord {
  version: 1;
  /** Milliseconds since 1970, when it was saved. */
  savedAt: number;
  image: { name: string; files: File[] };
  labels?: LabelState;
  settings: AppSettings;
  counts?: { nuclei: number; cells: number };
}
