import { describe, expect, it } from 'vitest';
import { TileCache } from '../tile-cache.js';

describe('TileCache: least recently used out once the memory limit is passed', () => {
  it('holds at most maxBytes, evicting the oldest and disposing of it', () => {
    const closed: string[] = [];
    const cache = new TileCache<{ bytes: number; name: string }>(3_000, (t) => closed.push(t.name));
    for (const name of ['a', 'b', 'c']) cache.set(name, { bytes: 1_000, name });
    expect([cache.size, cache.bytes]).toEqual([3, 3_000]);
    cache.get('a'); // a is now the most recent: b goes first
    cache.set('d', { bytes: 1_000, name: 'd' });
    expect(closed).toEqual(['b']);
    expect(['a', 'b', 'c', 'd'].map((k) => cache.has(k))).toEqual([true, false, true, true]);
    cache.set('e', { bytes: 2_000, name: 'e' });
    expect(closed).toEqual(['b', 'c', 'a']);
    expect([cache.size, cache.bytes, cache.evicted]).toEqual([2, 3_000, 3]);
  });

  it('keeps a tile larger than the limit (the one in view) and replaces a key in place', () => {
    const cache = new TileCache<{ bytes: number }>(100);
    cache.set('big', { bytes: 500 });
    expect(cache.size).toBe(1);
    cache.set('big', { bytes: 50 });
    expect([cache.size, cache.bytes]).toEqual([1, 50]);
    cache.clear();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });

  it('never goes below floorBytes, the tiles one view needs', () => {
    const cache = new TileCache<{ bytes: number }>(2_000);
    cache.floorBytes = 4_000;
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, { bytes: 1_000 });
    expect([cache.size, cache.limit, cache.evicted]).toEqual([4, 4_000, 1]);
    cache.floorBytes = 0; // a view with fewer tiles: down to maxBytes at once, newest kept
    expect([cache.size, cache.bytes, cache.has('e'), cache.has('d')]).toEqual([
      2,
      2_000,
      true,
      true,
    ]);
  });
});
