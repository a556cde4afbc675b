// Pure maths of the pyramid viewer: which level to show at a zoom, which tiles a view needs.
import type { ViewTransform } from '../viewer/geometry.js';

export interface LevelSize {
  width: number;
  height: number;
}

/** Tiles are this many level pixels on a side (QuPath and napari use 256–512). */
export const TILE_SIZE = 512;

/** Each level's downsample from full resolution (level 0 is 1), from the widths. */
export function downsamples(levels: readonly LevelSize[]): number[] {
  return levels.map((level) => levels[0].width / level.width);
}

/**
 * The coarsest level that still has at least one pixel per screen pixel at `screenPerImagePx`
 * (device pixels per full-resolution pixel), as napari and QuPath pick; level 0 when zoomed in.
 */
export function levelForScale(levels: readonly LevelSize[], screenPerImagePx: number): number {
  const scales = downsamples(levels);
  let chosen = 0;
  // 1 % slack: a level of 1023 px for a 4096/4 view still counts as fitting.
  for (let k = 1; k < scales.length; k++) if (scales[k] <= 1.01 / screenPerImagePx) chosen = k;
  return chosen;
}

/** The level that fits the whole image in a `viewWidth` × `viewHeight` (device px) view. */
export function fitLevel(
  levels: readonly LevelSize[],
  viewWidth: number,
  viewHeight: number,
): number {
  const { width, height } = levels[0];
  return levelForScale(levels, Math.min(viewWidth / width, viewHeight / height));
}

export interface TileKey {
  level: number;
  col: number;
  row: number;
}

/** The tile's rectangle in its level's pixels (edge tiles are cut to the level). */
export function tileRegion(
  level: LevelSize,
  col: number,
  row: number,
): { x: number; y: number; width: number; height: number } {
  const x = col * TILE_SIZE;
  const y = row * TILE_SIZE;
  return {
    x,
    y,
    width: Math.min(TILE_SIZE, level.width - x),
    height: Math.min(TILE_SIZE, level.height - y),
  };
}

/**
 * The tiles of `level` that a view of `viewWidth` × `viewHeight` CSS px shows, centre first
 * (the ones the user looks at load first).
 */
export function visibleTiles(
  levels: readonly LevelSize[],
  level: number,
  view: ViewTransform,
  viewWidth: number,
  viewHeight: number,
): TileKey[] {
  const size = levels[level];
  const ds = downsamples(levels)[level];
  // The visible rectangle in this level's pixels.
  const x0 = Math.max(0, -view.offsetX / view.scale / ds);
  const y0 = Math.max(0, -view.offsetY / view.scale / ds);
  const x1 = Math.min(size.width, (viewWidth - view.offsetX) / view.scale / ds);
  const y1 = Math.min(size.height, (viewHeight - view.offsetY) / view.scale / ds);
  if (x1 <= x0 || y1 <= y0) return [];
  const tiles: TileKey[] = [];
  for (let row = Math.floor(y0 / TILE_SIZE); row * TILE_SIZE < y1; row++) {
    for (let col = Math.floor(x0 / TILE_SIZE); col * TILE_SIZE < x1; col++) {
      tiles.push({ level, col, row });
    }
  }
  const [cx, cy] = [(x0 + x1) / 2 / TILE_SIZE - 0.5, (y0 + y1) / 2 / TILE_SIZE - 0.5];
  return tiles.sort(
    (a, b) => Math.hypot(a.col - cx, a.row - cy) - Math.hypot(b.col - cx, b.row - cy),
  );
}

/** The part of the image a view shows, in full-resolution pixels (integers, inside the image). */
export function visibleRegion(
  image: LevelSize,
  view: ViewTransform,
  viewWidth: number,
  viewHeight: number,
): { x: number; y: number; width: number; height: number } | undefined {
  const x0 = Math.max(0, Math.floor(-view.offsetX / view.scale));
  const y0 = Math.max(0, Math.floor(-view.offsetY / view.scale));
  const x1 = Math.min(image.width, Math.ceil((viewWidth - view.offsetX) / view.scale));
  const y1 = Math.min(image.height, Math.ceil((viewHeight - view.offsetY) / view.scale));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}
