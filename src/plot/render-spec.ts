import type { TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import { type FontMetrics, parseFontMetrics } from './font-metrics.js';
import { specToSvg } from './spec-to-svg.js';

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
 * Node only (`@resvg/resvg-js`, `dejavu-fonts-ttf`); in a browser, `specToSvg` gives the SVG.
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
  const svg = await specToSvg(spec, {
    scale: format === 'svg' ? scale : 1,
    metrics: fonts?.metrics,
    onWarning: options.onWarning,
  });
  if (format === 'svg') return svg;
  return rasterizeSvg(svg, { scale });
}

/**
 * An SVG from `renderSpec` (format 'svg', scale 1) as PNG bytes: resvg with the bundled DejaVu
 * Sans, exactly the PNG `renderSpec` gives for the same spec, without laying the plot out again.
 */
export async function rasterizeSvg(
  svg: string,
  options: { scale?: number } = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  const [fonts, { Resvg }] = await Promise.all([loadNodeFonts(), import('@resvg/resvg-js')]);
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: fonts.files,
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
