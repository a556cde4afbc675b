import { InvalidArgumentError } from '../../errors.js';
import type { Region } from '../../image/region.js';

/** One block: the core it owns and the padded region it segments (the core plus the overlap). */
export interface Block {
  /** Position in the grid, row-major. */
  index: number;
  row: number;
  col: number;
  /** The pixels this block owns: objects whose centre falls here are its objects. */
  core: Region;
  /** What is segmented: the core grown by the overlap on every side, clipped to the image. */
  padded: Region;
}

export interface BlockPlanOptions {
  /** Side of a block's core, px. */
  blockSize: number;
  /** Margin segmented around each core, px: at least the largest object's diameter. */
  overlap: number;
}

/** Cores tile the image exactly (the last row and column may be narrower); paddings overlap. */
export function planBlocks(width: number, height: number, options: BlockPlanOptions): Block[] {
  const { blockSize, overlap } = options;
  if (!(Number.isInteger(blockSize) && blockSize >= 16)) {
    throw new InvalidArgumentError(
      `block size must be an integer of at least 16 px, got ${blockSize}`,
    );
  }
  if (!(Number.isInteger(overlap) && overlap >= 0)) {
    throw new InvalidArgumentError(
      `block overlap must be a whole number of pixels ≥ 0, got ${overlap}`,
    );
  }
  const rows = Math.ceil(height / blockSize);
  const cols = Math.ceil(width / blockSize);
  const blocks: Block[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = col * blockSize;
      const y = row * blockSize;
      const core = {
        x,
        y,
        width: Math.min(blockSize, width - x),
        height: Math.min(blockSize, height - y),
      };
      const x0 = Math.max(0, x - overlap);
      const y0 = Math.max(0, y - overlap);
      const x1 = Math.min(width, x + core.width + overlap);
      const y1 = Math.min(height, y + core.height + overlap);
      blocks.push({
        index: blocks.length,
        row,
        col,
        core,
        padded: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
      });
    }
  }
  return blocks;
}

/** The overlap that keeps whole every object up to `diameterPx`: two diameters, as the issue asks. */
export function overlapForDiameter(diameterPx: number): number {
  return Math.max(16, Math.ceil(2 * diameterPx));
}

export interface AutoBlockSizeOptions {
  /** Memory the segmentation of one block may use, bytes. */
  memoryBytes: number;
  /** Peak bytes the method needs per pixel of a padded block (inputs, flows, labels, scratch). */
  bytesPerPixel: number;
  /** Margin around each core, px (counted in the padded block's size). */
  overlap: number;
  /**
   * Bytes per row of a padded block's height held besides the block, e.g. label writers' bands
   * of rows across the whole image's width. @default 0
   */
  bytesPerRow?: number;
}

/**
 * The largest core side (a multiple of 256, 512–8192 px) whose padded block fits the memory:
 * `(side + 2·overlap)² · bytesPerPixel + (side + 2·overlap) · bytesPerRow ≤ memoryBytes`.
 */
export function autoBlockSize(options: AutoBlockSizeOptions): number {
  const { memoryBytes, bytesPerPixel, overlap } = options;
  const perRow = options.bytesPerRow ?? 0;
  // The positive root of bytesPerPixel·p² + perRow·p − memoryBytes, p the padded side.
  const padded =
    (Math.sqrt(perRow ** 2 + 4 * bytesPerPixel * memoryBytes) - perRow) / (2 * bytesPerPixel);
  const side = padded - 2 * overlap;
  return Math.min(8192, Math.max(512, Math.floor(side / 256) * 256));
}

/** A block size as the user gives it: pixels, `auto` (by memory) or `off` (one-shot). */
export type BlockSizeSetting = number | 'auto' | 'off';

/** Parses `--block-size` / `blockSize`: an integer ≥ 256, `auto` or `off`. */
export function parseBlockSize(value: string | number, where = '--block-size'): BlockSizeSetting {
  if (value === 'auto' || value === 'off') return value;
  const number = typeof value === 'number' ? value : Number(value);
  if (!(Number.isInteger(number) && number >= 256)) {
    throw new InvalidArgumentError(
      `${where} must be a whole number of pixels ≥ 256, auto or off, got "${value}"`,
      { hint: 'auto picks the largest block that fits in memory; off segments the image at once' },
    );
  }
  return number;
}

/**
 * The core side to use, or undefined for a one-shot run: `off`, or an image that fits in one
 * block, keeps the one-shot result (identical to earlier versions).
 */
export function resolveBlockSize(
  setting: BlockSizeSetting,
  image: { width: number; height: number },
  auto: () => number,
): number | undefined {
  if (setting === 'off') return undefined;
  const size = setting === 'auto' ? auto() : setting;
  return image.width <= size && image.height <= size ? undefined : size;
}
