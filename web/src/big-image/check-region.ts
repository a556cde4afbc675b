import { InvalidArgumentError } from 'cellscope/browser';
import type { RegionRect } from './protocol.js';

/** The most pixels the app segments at once: 4096² (labels, flows and the pixels fit in ~0.5 GB). */
export const MAX_REGION_PIXELS = 4096 * 4096;

/** Throws a clear error when a region is too large to segment in the page. */
export function checkRegionSize(rect: RegionRect): void {
  if (rect.width * rect.height <= MAX_REGION_PIXELS) return;
  throw new InvalidArgumentError(
    `the region to segment is ${rect.width} × ${rect.height} px, more than the page segments at once (${MAX_REGION_PIXELS / 1e6} Mpx, e.g. 4096 × 4096)`,
    {
      hint: 'zoom in and segment the visible region, or segment the whole slide with `cellscope segment --block-size auto`',
    },
  );
}
