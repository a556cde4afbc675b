// The page's side of a big image: an overview drawn under finer tiles fetched for the visible
// part as the user zooms and pans (the QuPath / napari way), held in a bounded LRU cache, and
// the outlines of the last region segmentation. The viewer calls `draw` in image coordinates.
import type { AnalysisConfigInput } from 'cellscope/browser';
import type { EngineClient } from '../engine/client.js';
import type { ChannelDisplay, ModelFile } from '../engine/protocol.js';
import type { ViewTransform } from '../viewer/geometry.js';
import {
  downsamples,
  levelForScale,
  TILE_SIZE,
  tileRegion,
  visibleRegion,
  visibleTiles,
  type TileKey,
} from './levels.js';
import type { BigImageInfo, BigImageInput, RegionRect } from './protocol.js';
import { TileCache, type CachedTile } from './tile-cache.js';

/** Tile memory by default; `?tileCacheMb=` in the page's address sets another limit. */
const DEFAULT_CACHE_MB = 256;
/** Tile requests in flight at once (the engine answers one at a time; two keep it busy). */
const IN_FLIGHT = 2;
/** Core side of the blocks a region is segmented in, px (as `segment --block-size`). */
export const REGION_BLOCK_SIZE = 1024;

export interface BigImageHost {
  engine: EngineClient;
  /** Asks the viewer for a new frame (tiles arrived). */
  redraw(): void;
  /** The viewer's element: state for tests goes in its dataset. */
  element: HTMLElement;
}

export interface Progress {
  setRunning(running: boolean): void;
  setProgress(step: string, done: number, total: number): void;
}

const keyOf = (t: TileKey): string => `${t.level}/${t.col}/${t.row}`;

export class BigImageView {
  private info?: BigImageInfo;
  private overview?: ImageBitmap;
  private channels: ChannelDisplay[] = [];
  private readonly cache: TileCache;
  /** Bumped when the image or the channel settings change: older tiles are dropped on arrival. */
  private generation = 0;
  private readonly inFlight = new Set<string>();
  /** Tiles that failed to read in this generation: not asked for again. */
  private readonly failed = new Set<string>();
  private wanted: TileKey[] = [];
  private loaded = 0;
  private segmentation?: { region: RegionRect; overlay: ImageBitmap };
  private lastView?: { view: ViewTransform; width: number; height: number };

  constructor(private readonly host: BigImageHost) {
    const mb = Number(new URLSearchParams(location.search).get('tileCacheMb')) || DEFAULT_CACHE_MB;
    this.cache = new TileCache<CachedTile>(mb * 2 ** 20, (tile) => tile.bitmap.close());
  }

  get active(): boolean {
    return this.info !== undefined;
  }

  /**
   * Opens `input` lazily when it is a big image (an OME-Zarr folder, a tiled TIFF of 4096² or
   * more); undefined otherwise, and the caller opens it the usual way.
   */
  async open(
    input: BigImageInput,
    view: { width: number; height: number },
  ): Promise<BigImageInfo | undefined> {
    const ratio = window.devicePixelRatio || 1;
    const info = await this.host.engine.request('bigOpen', {
      input,
      viewWidth: view.width * ratio,
      viewHeight: view.height * ratio,
    });
    this.close();
    if (!info) return undefined;
    this.info = info;
    const data = this.host.element.dataset;
    data.bigLevels = info.levels.map((l) => `${l.width}x${l.height}`).join(',');
    data.overviewLevel = String(info.overviewLevel);
    data.overviewSource = info.overviewSource;
    return info;
  }

  /** Back to a small image: tiles, overview and outlines go. */
  close(): void {
    this.info = undefined;
    this.generation++;
    this.cache.clear();
    this.failed.clear();
    this.overview?.close();
    this.overview = undefined;
    this.wanted = [];
    this.clearSegmentation();
    for (const key of Object.keys(this.host.element.dataset)) {
      if (/^(bigLevels|overview|tile|region)/.test(key)) delete this.host.element.dataset[key];
    }
  }

  /** New channel colours or contrast: a new overview, and tiles fetched again. */
  async setChannels(channels: ChannelDisplay[]): Promise<void> {
    if (!this.info) return;
    this.channels = structuredClone(channels);
    this.generation++;
    this.cache.clear();
    this.failed.clear();
    const bitmap = await this.host.engine.requestLatest('bigOverview', { channels });
    if (!bitmap) return;
    this.overview?.close();
    this.overview = bitmap;
    this.host.redraw();
  }

  /** Draws overview, cached tiles and outlines; asks for the tiles this view still lacks. */
  draw(
    context: CanvasRenderingContext2D,
    view: ViewTransform,
    width: number,
    height: number,
  ): void {
    const info = this.info;
    if (!info) return;
    this.lastView = { view, width, height };
    if (this.overview) {
      const { width: w, height: h } = this.overview;
      context.drawImage(this.overview, 0, 0, w / info.overviewScale, h / info.overviewScale);
    }
    const ratio = window.devicePixelRatio || 1;
    const level = levelForScale(info.levels, view.scale * ratio);
    const scales = downsamples(info.levels);
    // Finer than the overview: tiles. Cached tiles of coarser levels fill in while these load.
    const needed = scales[level] < 1 / info.overviewScale - 1e-9;
    this.wanted = [];
    if (needed) {
      // Room for this view's tiles and the ring around it, whatever the limit.
      const inView = visibleTiles(info.levels, level, view, width, height).length;
      this.cache.floorBytes = 2 * inView * TILE_SIZE * TILE_SIZE * 4;
      for (let k = info.overviewLevel; k >= level; k--) {
        if (scales[k] >= 1 / info.overviewScale - 1e-9) continue;
        for (const tile of visibleTiles(info.levels, k, view, width, height)) {
          const cached = this.cache.get(keyOf(tile));
          if (cached) this.drawTile(context, tile, cached.bitmap, scales[k]);
          else if (k === level) this.wanted.push(tile);
        }
      }
    }
    if (this.segmentation) {
      const { region, overlay } = this.segmentation;
      context.drawImage(overlay, region.x, region.y);
    }
    const data = this.host.element.dataset;
    data.tileLevel = needed ? String(level) : 'overview';
    this.pump();
    this.report();
  }

  /**
   * Segments the visible region (full resolution, at most 4096²) block by block in the worker
   * and draws the outlines; the counts go to the progress line.
   */
  async segmentVisible(
    config: AnalysisConfigInput,
    models: ModelFile[],
    progress: Progress,
  ): Promise<void> {
    const info = this.info;
    if (!info || !this.lastView) return;
    const { view, width, height } = this.lastView;
    const region = visibleRegion(info, view, width, height);
    if (!region) throw new Error('the image is out of view: press Fit first');
    progress.setRunning(true);
    progress.setProgress('starting', 0, 1);
    try {
      const result = await this.host.engine.request(
        'bigSegment',
        { region, config, models, blockSize: REGION_BLOCK_SIZE },
        {
          progress: (step, done, total) => progress.setProgress(step, done, total),
          transfer: models.map((m) => m.bytes),
        },
      );
      this.clearSegmentation();
      this.segmentation = { region: result.region, overlay: result.overlay };
      const { nuclei, cells } = result.counts;
      const data = this.host.element.dataset;
      data.regionRect = [region.x, region.y, region.width, region.height].join(',');
      data.regionNuclei = String(nuclei);
      data.regionCells = String(cells);
      data.regionBlocks = String(result.blocks);
      progress.setProgress(
        `${nuclei} nuclei, ${cells} cells in ${result.seconds.toFixed(1)} s ` +
          `(visible ${region.width} × ${region.height} px, ${result.blocks} blocks of ${result.blockSize})`,
        1,
        1,
      );
      this.host.redraw();
    } catch (error) {
      const cancelled = (error as Error).name === 'AbortError';
      progress.setProgress(cancelled ? 'cancelled' : 'failed', 0, 1);
      if (!cancelled) throw error;
    } finally {
      progress.setRunning(false);
    }
  }

  private clearSegmentation(): void {
    this.segmentation?.overlay.close();
    this.segmentation = undefined;
  }

  private drawTile(
    context: CanvasRenderingContext2D,
    tile: TileKey,
    bitmap: ImageBitmap,
    scale: number,
  ): void {
    const r = tileRegion(this.info!.levels[tile.level], tile.col, tile.row);
    context.drawImage(bitmap, r.x * scale, r.y * scale, r.width * scale, r.height * scale);
  }

  /** Requests wanted tiles, nearest the centre first, a few at a time. */
  private pump(): void {
    for (const tile of this.wanted) {
      if (this.inFlight.size >= IN_FLIGHT) break;
      const key = keyOf(tile);
      if (this.inFlight.has(key) || this.cache.has(key) || this.failed.has(key)) continue;
      this.inFlight.add(key);
      const generation = this.generation;
      this.host.engine
        .request('bigTile', { ...tile, channels: this.channels })
        .then(
          (bitmap) => {
            if (generation !== this.generation) return bitmap.close();
            this.cache.set(key, { bitmap, bytes: bitmap.width * bitmap.height * 4 });
            this.loaded++;
          },
          () => {
            if (generation === this.generation) this.failed.add(key); // stays the overview's pixels
          },
        )
        .finally(() => {
          this.inFlight.delete(key);
          this.host.redraw();
        });
    }
  }

  private report(): void {
    const data = this.host.element.dataset;
    data.tileCount = String(this.cache.size);
    data.tileBytes = String(this.cache.bytes);
    data.tileCacheLimit = String(this.cache.limit);
    data.tilesLoaded = String(this.loaded);
    data.tilesEvicted = String(this.cache.evicted);
    data.tilesPending = String(
      this.wanted.filter((t) => !this.cache.has(keyOf(t))).length + this.inFlight.size,
    );
  }
}
