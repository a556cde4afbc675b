import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../errors.js';
import type { FontMetrics } from './font-metrics.js';

export interface SpecToSvgOptions {
  /** Pixels per plot unit. @default 1 */
  scale?: number;
  /**
   * Advance widths to measure text with (regular and bold). Without them vega measures with a
   * canvas where there is one (a browser) and estimates otherwise.
   */
  metrics?: { regular: FontMetrics; bold: FontMetrics };
  /** Receives Vega-Lite's and Vega's warnings (nothing is printed). */
  onWarning?: (message: string) => void;
}

/**
 * A Vega-Lite spec as SVG text: compiled to Vega, laid out headless, drawn by vega's SVG
 * renderer, with vega's clip-path ids restarted so the same spec gives the same SVG. Runs in
 * Node and in a browser; `renderSpec` adds the pinned font and PNG output in Node.
 */
export async function specToSvg(
  spec: TopLevelSpec,
  options: SpecToSvgOptions = {},
): Promise<string> {
  return toSvg(spec, options.scale ?? 1, options.metrics, options.onWarning);
}

type TextItem = { text?: unknown; fontSize?: number; fontWeight?: string | number; limit?: number };

// vega measures text through one shared object; while any render of ours runs, it measures with
// the font resvg draws, so layout matches the pixels and does not depend on the machine.
let activeRenders = 0;
let savedWidth: unknown;

async function toSvg(
  spec: TopLevelSpec,
  scale: number,
  metrics: SpecToSvgOptions['metrics'],
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
