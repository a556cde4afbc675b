import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import { type FontMetrics, parseFontMetrics } from './font-metrics.js';

export interface RenderSpecOptions {
  /** `svg` (a string) or `png` (bytes). @default 'svg' */
  format?: 'svg' | 'png';
  /** Pixels per plot unit, e.g. 2 for a sharp PNG on a high-density screen. @default 1 */
  scale?: number;
  /** Receives Vega-Lite's and Vega's warnings (nothing is printed). */
  onWarning?: (message: string) => void;
}

/**
 * Renders a Vega-Lite spec: compiled to Vega, laid out headless, drawn as SVG, and for PNG
 * rasterised by resvg with the bundled DejaVu Sans (no system fonts), so the same spec gives the
 * same bytes on every machine. Text is measured with DejaVu Sans' own advance widths.
 * PNG needs Node (`@resvg/resvg-js`, `dejavu-fonts-ttf`); SVG also runs in a browser.
 */
export async function renderSpec(
  spec: TopLevelSpec,
  options: RenderSpecOptions & { format: 'png' },
): Promise<Uint8Array>;
export async function renderSpec(
  spec: TopLevelSpec,
  options?: RenderSpecOptions & { format?: 'svg' },
): Promise<string>;
export async function renderSpec(
  spec: TopLevelSpec,
  options?: RenderSpecOptions,
): Promise<string | Uint8Array>;
export async function renderSpec(
  spec: TopLevelSpec,
  options: RenderSpecOptions = {},
): Promise<string | Uint8Array> {
  const format = options.format ?? 'svg';
  const scale = options.scale ?? 1;
  if (format !== 'svg' && format !== 'png') {
    throw new InvalidArgumentError(`format must be 'svg' or 'png', got ${String(format)}`);
  }
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  // Node: measure and draw with the bundled font. A browser measures with its own canvas.
  const fonts = await loadNodeFonts().catch((cause: unknown) => {
    if (format === 'png') throw cause;
    return undefined;
  });
  const svg = await toSvg(spec, format === 'svg' ? scale : 1, fonts?.metrics, options.onWarning);
  if (format === 'svg') return svg;
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: fonts!.files,
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    shapeRendering: 2,
    textRendering: 1,
  })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}

interface Fonts {
  files: string[];
  metrics: { regular: FontMetrics; bold: FontMetrics };
}

let nodeFonts: Promise<Fonts> | undefined;
/** Paths of DejaVu Sans regular and bold, and their metrics (read once). */
async function loadNodeFonts(): Promise<Fonts> {
  nodeFonts ??= (async () => {
    const [{ createRequire }, { readFile }] = await Promise.all([
      import('node:module'),
      import('node:fs/promises'),
    ]);
    const require = createRequire(import.meta.url);
    const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
      require.resolve(`dejavu-fonts-ttf/ttf/${f}`),
    );
    const [regular, bold] = await Promise.all(files.map((f) => readFile(f)));
    return {
      files,
      metrics: { regular: parseFontMetrics(regular), bold: parseFontMetrics(bold) },
    };
  })();
  return nodeFonts;
}

type TextItem = { text?: unknown; fontSize?: number; fontWeight?: string | number; limit?: number };

// vega measures text through one shared object; while any render of ours runs, it measures with
// the font resvg draws, so layout matches the pixels and does not depend on the machine.
let activeRenders = 0;
let savedWidth: unknown;

async function toSvg(
  spec: TopLevelSpec,
  scale: number,
  metrics: Fonts['metrics'] | undefined,
  onWarning: ((message: string) => void) | undefined,
): Promise<string> {
  const logger = quietLogger(onWarning);
  const compiled = compile(spec, { logger }).spec;
  const scenegraph = vega as unknown as {
    textMetrics: { width: (item: TextItem, text?: unknown) => number };
    resetSVGDefIds: () => void;
  };
  const metricsTarget = scenegraph.textMetrics;
  if (metrics && activeRenders++ === 0) {
    savedWidth = metricsTarget.width;
    metricsTarget.width = (item, text) => {
      const size = item.fontSize != null ? +item.fontSize || 0 : 11;
      const weight = item.fontWeight;
      const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
      const width = (bold ? metrics.bold : metrics.regular).width(String(text ?? '').trim(), size);
      // vega truncates text longer than `limit` to fit it.
      return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
    };
  }
  let view: vega.View | undefined;
  try {
    view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
    await view.runAsync();
    // Clip-path and gradient ids count up per process: restart them so the same spec gives the same SVG.
    scenegraph.resetSVGDefIds();
    const svg = await view.toSVG(scale);
    if (logger.errors.length > 0) {
      throw new InvalidArgumentError(`the plot failed to render: ${logger.errors.join('; ')}`);
    }
    return svg;
  } finally {
    view?.finalize();
    if (metrics && --activeRenders === 0) {
      metricsTarget.width = savedWidth as typeof metricsTarget.width;
    }
  }
}

/** A Vega / Vega-Lite logger that prints nothing: warnings go to the callback, errors are kept. */
function quietLogger(
  onWarning: ((message: string) => void) | undefined,
): vega.LoggerInterface & { errors: string[] } {
  let level = vega.Warn;
  const text = (args: readonly unknown[]): string => args.map(String).join(' ');
  const logger: vega.LoggerInterface & { errors: string[] } = {
    errors: [],
    level(value?: number) {
      if (value === undefined) return level as never;
      level = value;
      return logger as never;
    },
    error(...args: readonly unknown[]) {
      logger.errors.push(text(args));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      onWarning?.(text(args));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}
