// A least-recently-used cache of drawn tiles, bounded by a memory limit (as napari's and
// QuPath's tile caches): the oldest tiles are closed once the bytes held pass the limit.

export interface CachedTile {
  bitmap: ImageBitmap;
  bytes: number;
}

export class TileCache<T extends { bytes: number } = CachedTile> {
  private readonly tiles = new Map<string, T>();
  private held = 0;
  /** Tiles evicted so far (for the e2e test's check that the bound holds). */
  evicted = 0;
  private floor = 0;

  constructor(
    readonly maxBytes: number,
    private readonly dispose: (tile: T) => void = () => undefined,
  ) {}

  get size(): number {
    return this.tiles.size;
  }

  get bytes(): number {
    return this.held;
  }

  /** The bytes held at most now. */
  get limit(): number {
    return Math.max(this.maxBytes, this.floor);
  }

  /**
   * Bytes always allowed, whatever maxBytes says: what one view shows, so that tiles in view
   * never evict each other (and are never fetched over and over). Lowering it evicts at once.
   */
  set floorBytes(bytes: number) {
    this.floor = bytes;
    this.trim();
  }

  has(key: string): boolean {
    return this.tiles.has(key);
  }

  /** The tile, now the most recently used. */
  get(key: string): T | undefined {
    const tile = this.tiles.get(key);
    if (tile) {
      this.tiles.delete(key);
      this.tiles.set(key, tile);
    }
    return tile;
  }

  set(key: string, tile: T): void {
    const old = this.tiles.get(key);
    if (old) this.remove(key, old);
    this.tiles.set(key, tile);
    this.held += tile.bytes;
    this.trim();
  }

  /** Evicts the least recently used tiles (Map keeps insertion order) down to the limit; never the newest. */
  private trim(): void {
    for (const [oldest, value] of this.tiles) {
      if (this.held <= this.limit || this.tiles.size === 1) break;
      this.remove(oldest, value);
      this.evicted++;
    }
  }

  clear(): void {
    for (const [key, tile] of this.tiles) this.remove(key, tile);
  }

  private remove(key: string, tile: T): void {
    this.tiles.delete(key);
    this.held -= tile.bytes;
    this.dispose(tile);
  }
}
