// Messages between the page and the engine worker, which owns the image, the label images and
// the tables so that the main thread only draws bitmaps and handles input.
import type { AnalysisConfigInput, Table } from 'cellscope/browser';
import type { DetachedPieces } from './detached.js';

export type Rgb = [number, number, number];

/** How one channel is drawn: additive colour between a black and a white point. */
export interface ChannelDisplay {
  visible: boolean;
  colour: Rgb;
  min: number;
  max: number;
}

export interface ImageInfo {
  name: string;
  files: string[];
  width: number;
  height: number;
  dtype: string;
  /** Axes as the file stored them, e.g. `CYX` or `YXS`. */
  axes: string;
  channelNames: string[];
  pixelSizeUm?: { x: number; y: number };
  /** Per channel: the full range and the auto contrast (0.35th–99.8th percentile). */
  ranges: { min: number; max: number; autoMin: number; autoMax: number }[];
}

export type Layer = 'nuclei' | 'cells';
export type OverlayMode = 'off' | 'filled' | 'contours';

/** How a layer's objects get their colours: napari's random label colours, one colour, or a measurement through a colour map. */
export type OverlayColouring = 'random' | 'single' | 'measurement';

export interface LayerOverlay {
  mode: OverlayMode;
  /** Opacity of the fill (contours are drawn opaque). */
  opacity: number;
  colouring: OverlayColouring;
  /** The colour of 'single'. */
  colour: Rgb;
  /** For 'measurement': the table column and the range the colour map spans. */
  measurement?: { column: string; min: number; max: number };
  /** Contour width in screen pixels, whatever the zoom. */
  contourWidth: number;
}

export interface OverlaySettings {
  nuclei: LayerOverlay;
  cells: LayerOverlay;
  /** Draw only the highlighted objects of the highlight layer. */
  selectedOnly: boolean;
  /** Screen pixels per image pixel now (contour widths are in screen pixels). */
  scale: number;
  highlight: { layer: Layer; labels: number[] };
  /** Draw the "previous" layers (the labels a run replaced) as outlines under the others. */
  previous?: boolean;
}

/** Which steps a run does: both, the nuclei only, or the cells from the nuclei kept. */
export type RunSteps = 'both' | 'nuclei' | 'cells';

/** How a segmentation run goes (see run.ts); without it, both steps on the whole image. */
export interface RunControl {
  steps: RunSteps;
  /** Segment this rectangle only (image pixels) and write the result into it. */
  region?: { x: number; y: number; width: number; height: number };
  /** Keep the labels the run replaces as the "previous" layer. */
  keepPrevious: boolean;
}

/** The tables of the current labels, as `cellscope analyze` writes them. */
export interface Measurements {
  nuclei: Table;
  cells: Table;
  matched: Table;
  counts: { nuclei: number; cells: number; cellsWithNucleus: number };
}

export type LabelEdit =
  | { kind: 'delete'; labels: number[] }
  | { kind: 'merge'; labels: number[] }
  | {
      kind: 'paint';
      points: { x: number; y: number }[];
      radius: number;
      /** The label painted; 0 with mode 'paint' paints a new object. */
      value: number;
      mode: 'paint' | 'erase';
      /** Leave other objects alone (napari's "preserve labels"). */
      preserveOthers: boolean;
      /** What becomes of pieces an erase cuts off an object (see `resolveDetached`). */
      detached: DetachedPieces;
    }
  | {
      /** A filled polygon or lasso (image pixels, as the viewer gives them). */
      kind: 'polygon';
      points: { x: number; y: number }[];
      /** The label drawn; 0 draws a new object. */
      value: number;
      /** Draw only over background and `value` (napari's "preserve labels"). */
      preserveOthers: boolean;
      /** What becomes of pieces the polygon cuts off objects it overwrites. */
      detached: DetachedPieces;
    }
  | {
      /** Split every object a drawn line crosses (see `splitAlongLine`). */
      kind: 'split';
      points: { x: number; y: number }[];
    }
  | {
      kind: 'fill';
      x: number;
      y: number;
      /** The label filled in; 0 fills a new object. */
      value: number;
    };

/** What a file would be as a label image: read from its header and first plane only. */
export interface LabelProbe {
  width: number;
  height: number;
  channels: number;
  /** Integer pixels (label images never hold fractions). */
  integer: boolean;
  /** Of the non-zero pixels, the fraction equal to their right neighbour: ~1 for labels. */
  flatFraction: number;
}

/** Diameters (px) a segmentation used, estimated where the config said 'auto'. */
export interface UsedDiameters {
  nuclei?: number;
  cells?: number;
}

export interface ModelFile {
  /** The name the config gives (`model: <name>`). */
  name: string;
  bytes: ArrayBuffer;
  /** The size model (`size_*.npy`) for diameter 'auto', when there is one. */
  sizeBytes?: ArrayBuffer;
}

/** The engine's label layers with their undo (`history`) and redo (`future`) steps. */
export interface LabelState {
  width: number;
  height: number;
  layers: Partial<Record<Layer, Uint32Array>>;
  history: SavedStep[];
  future: SavedStep[];
}

/** An undo step as saved; `linked`: undone with the one before (a run's other layer). */
export interface SavedStep {
  layer: Layer;
  labels: Uint32Array;
  linked?: boolean;
}

/** A layer to restore: its pixels (autosave) or a label TIFF (project file). */
export type LabelSource = Uint32Array | { name: string; tiff: ArrayBuffer };

export interface RestoreArgs {
  layers: Partial<Record<Layer, LabelSource>>;
  history?: SavedStep[];
  future?: SavedStep[];
  config: AnalysisConfigInput;
}

export interface Requests {
  open: { args: { files: { name: string; bytes: ArrayBuffer }[] }; result: ImageInfo };
  composite: { args: { channels: ChannelDisplay[] }; result: ImageBitmap };
  overlay: { args: OverlaySettings; result: ImageBitmap | null };
  pixel: {
    args: { x: number; y: number };
    result: { values: number[]; nucleus: number; cell: number } | null;
  };
  /** Whether a file could be a label image of the open image (null: not a TIFF that fits). */
  probeLabels: { args: { bytes: ArrayBuffer }; result: LabelProbe | null };
  segment: {
    args: { config: AnalysisConfigInput; models: ModelFile[]; run?: RunControl };
    result: {
      measurements: Measurements;
      steps: string[];
      seconds: number;
      diameters: UsedDiameters;
      /** Whether a "previous" layer is kept now. */
      previous: boolean;
      /** What ran the network, e.g. "WebAssembly, 2 threads" (none without Cellpose). */
      backend?: string;
    };
  };
  /** Forgets the "previous" layer. */
  dropPrevious: { args: Record<string, never>; result: null };
  openLabels: {
    args: { layer: Layer; name: string; bytes: ArrayBuffer; config: AnalysisConfigInput };
    result: Measurements;
  };
  edit: {
    args: { layer: Layer; edit: LabelEdit; config: AnalysisConfigInput };
    result: { measurements: Measurements; changedLabel?: number };
  };
  undo: {
    args: { config: AnalysisConfigInput };
    result: { measurements: Measurements; layer: Layer } | null;
  };
  /** Takes back the last undo (until a new edit). */
  redo: {
    args: { config: AnalysisConfigInput };
    result: { measurements: Measurements; layer: Layer } | null;
  };
  /** The label state for the autosave (null before any labels). */
  snapshot: { args: Record<string, never>; result: LabelState | null };
  /** Saved label layers back over the open image, measured (null: there were none). */
  restore: { args: RestoreArgs; result: Measurements | null };
  relation: {
    args: { cell: number; size: number };
    result: { bitmap: ImageBitmap; nucleus: number } | null;
  };
  export: {
    args: { what: ExportKind };
    result: { name: string; mime: string; bytes: ArrayBuffer };
  };
}

export type ExportKind =
  | 'nuclei.tif'
  | 'cells.tif'
  | 'cells_matched.csv'
  | 'nuclei.csv'
  | 'cells_matched.parquet'
  | 'nuclei.parquet'
  | 'overlay.png'
  | 'cells_rois.zip'
  | 'nuclei_rois.zip'
  | 'cells.geojson';

export type RequestName = keyof Requests;

export type RequestMessage = {
  [K in RequestName]: { id: number; type: K; args: Requests[K]['args'] };
}[RequestName];

/** What the worker posts back: a result, an error, or progress of a running request. */
export type ResponseMessage =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; error: ErrorInfo }
  | { id: number; kind: 'progress'; step: string; done: number; total: number };

/** An error as the page shows it: what went wrong, which file, what to do. */
export interface ErrorInfo {
  name: string;
  message: string;
  file?: string;
  hint?: string;
}

/** The cancel message stops the running segmentation (its worker is terminated). */
export interface CancelMessage {
  type: 'cancel';
}
