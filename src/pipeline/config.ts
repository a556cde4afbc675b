import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_MODELS } from '../cellpose/models/packaged.js';
import { EXPORT_FORMATS } from '../export/formats.js';
import { CELL_METHODS } from '../segment/cells.js';
import { THRESHOLD_METHODS } from '../segment/threshold/index.js';
import { DEFAULT_NUCLEUS_AWARE, NUCLEUS_AWARE_MODES } from './nucleus-aware-cells.js';
import { CELLPOSE_DEFAULTS } from '../cellpose/defaults.js';

/** A channel by 0-based index or by name (case-insensitive), as `selectChannel` takes it. */
const channel = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const threshold = z.union([z.enum(THRESHOLD_METHODS), z.number()]);
const diameter = z.union([z.number().positive(), z.literal('auto')]);

const classicalNuclei = z.strictObject({
  method: z.literal('classical'),
  /** Typical nucleus diameter (px); estimated when 'auto' or left out. */
  diameter: diameter.optional(),
  threshold: threshold.default('otsu'),
  smoothingSigma: z.number().nonnegative().optional(),
  split: z.boolean().default(true),
  minAreaPx: z.number().nonnegative().optional(),
});
/** What every Cellpose step takes besides its model. */
const cellposeStepFields = {
  diameter: diameter.optional(),
  /** With diameter auto, follow objects larger than the size model knows (false: Cellpose's estimate). */
  largeObjectCheck: z.boolean().default(true),
  flowThreshold: z.number().nonnegative().default(CELLPOSE_DEFAULTS.flowThreshold),
  cellprobThreshold: z.number().default(CELLPOSE_DEFAULTS.cellprobThreshold),
  minSize: z.number().int().default(CELLPOSE_DEFAULTS.minSize),
};
const cellposeNuclei = z.strictObject({
  method: z.literal('cellpose'),
  /** A packaged, built-in (cached or downloaded) model name, or a .pth / .onnx path. */
  model: z.string().default(DEFAULT_MODELS.nuclei),
  ...cellposeStepFields,
});
const fromNucleiCells = z.strictObject({
  method: z.literal('from-nuclei'),
  /** How nuclei grow into cells over the cytoplasm channel. */
  growth: z.enum(CELL_METHODS).default('propagation'),
  threshold: threshold.default('li'),
  smoothingSigma: z.number().nonnegative().optional(),
  /** Cells reach at most this far (px) from their nucleus; required for growth 'distance'. */
  maxDistancePx: z.number().positive().optional(),
});
const cellposeCells = z.strictObject({
  method: z.literal('cellpose'),
  model: z.string().default(DEFAULT_MODELS.cells),
  ...cellposeStepFields,
  /** Give the network the nuclear channel too (Cellpose `channels=[cytoplasm, nuclei]`). */
  useNuclearChannel: z.boolean().default(true),
  /**
   * How the cells use the nuclei: 'off' keeps the network's masks, 'merge-fragments' merges each
   * nucleus-free mask into the touching cell it shares most border with, 'hybrid' grows every
   * nucleus over the network's flows within its foreground.
   */
  nucleusAware: z.enum(NUCLEUS_AWARE_MODES).default(DEFAULT_NUCLEUS_AWARE),
  /** Every cell has a nucleus: drop the cells that still hold none. */
  dropCellsWithoutNucleus: z.boolean().default(false),
});

/** The analysis recipe `cellscope analyze` runs on every image: JSON or YAML. */
export const analysisConfigSchema = z.strictObject({
  channels: z.strictObject({
    nuclei: channel,
    cytoplasm: channel,
    /** Further channels to measure in every compartment (e.g. a third signal). */
    others: z.array(channel).default([]),
  }),
  // cellscope's own models by default: they ship in the package, so this runs offline.
  nuclei: z.discriminatedUnion('method', [classicalNuclei, cellposeNuclei]).default({
    method: 'cellpose',
    model: DEFAULT_MODELS.nuclei,
    diameter: 'auto',
    largeObjectCheck: true,
    ...CELLPOSE_DEFAULTS,
  }),
  cells: z.discriminatedUnion('method', [fromNucleiCells, cellposeCells]).default({
    method: 'cellpose',
    model: DEFAULT_MODELS.cells,
    diameter: 'auto',
    largeObjectCheck: true,
    useNuclearChannel: true,
    ...CELLPOSE_DEFAULTS,
    nucleusAware: DEFAULT_NUCLEUS_AWARE,
    dropCellsWithoutNucleus: false,
  }),
  /**
   * Pixel size in µm: tables then give areas in µm² and lengths in µm. Without it they are in
   * pixels, as the notebook's, whatever the file says (its pixel size still goes into the label
   * TIFFs).
   */
  pixelSizeUm: z.number().positive().optional(),
  /**
   * Threads for Cellpose's network and dynamics (the masks are the same for any count); absent:
   * the machine's cores. A batch with several workers gives each max(1, ⌊threads / workers⌋).
   */
  threads: z.number().int().min(1).optional(),
  /** Allow downloading built-in Cellpose models that are not cached yet. */
  downloadModels: z.boolean().default(false),
  /**
   * Segment in overlapping blocks of this many pixels, stitched by object centre: `auto` (the
   * default when absent) sizes them by free memory, and images that fit in one block run at
   * once; `off` always runs at once.
   */
  blockSize: z.union([z.number().int().min(256), z.enum(['auto', 'off'])]).optional(),
  outputs: z
    .strictObject({
      tables: z.array(z.enum(['csv', 'parquet'])).default(['csv', 'parquet']),
      plots: z.array(z.enum(['png', 'svg'])).default(['png', 'svg']),
      overlay: z.boolean().default(true),
      report: z.boolean().default(true),
      /**
       * Label exports for other tools, beside cells.tif: roi-zip (ImageJ/Fiji), geojson
       * (QuPath cells with nucleus), ome-zarr (napari), tiff (tiled BigTIFF). None by default.
       */
      exports: z.array(z.enum(EXPORT_FORMATS)).optional(),
    })
    .default({ tables: ['csv', 'parquet'], plots: ['png', 'svg'], overlay: true, report: true }),
});

export type AnalysisConfig = z.infer<typeof analysisConfigSchema>;
export type AnalysisConfigInput = z.input<typeof analysisConfigSchema>;

/** A config with hundreds of typos still gives one readable line: the first problems only. */
const MAX_PROBLEMS = 5;

/** One line of at most `max` characters: keys and YAML excerpts may hold newlines or pages. */
function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Checks a config object and fills in the defaults; the error lists the problems by path. */
export function parseAnalysisConfig(value: unknown, file?: string): AnalysisConfig {
  const result = analysisConfigSchema.safeParse(value);
  if (!result.success) {
    const { issues } = result.error;
    const listed = issues
      .slice(0, MAX_PROBLEMS)
      .map((issue) => clip(`${issue.path.join('.') || '(top level)'}: ${issue.message}`));
    if (issues.length > MAX_PROBLEMS) listed.push(`and ${issues.length - MAX_PROBLEMS} more`);
    throw new InvalidArgumentError(`invalid analysis config: ${listed.join('; ')}`, {
      file,
      hint: 'see the README for the config fields',
    });
  }
  return result.data;
}

/** Parses a config file's text: YAML (a superset of JSON) or JSON. */
export function parseAnalysisConfigText(text: string, file?: string): AnalysisConfig {
  let value: unknown;
  try {
    // 'error': library code never prints, and yaml would emit a warning for an unknown tag.
    value = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    // yaml's first line says what and where; the rest is a multi-line excerpt of the text.
    const [first] = String((error as Error)?.message).split('\n');
    const what = clip(first.replace(/:$/, ''));
    throw new InvalidArgumentError(`the config is not valid YAML/JSON: ${what}`, { file });
  }
  return parseAnalysisConfig(value ?? {}, file);
}
