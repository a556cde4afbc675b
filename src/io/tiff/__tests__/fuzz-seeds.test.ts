import { describe, expect, it } from 'vitest';
import { decodeTiffArray } from '../read.js';
import { Tag } from '../tags.js';
import {
  TYPE_SIZE,
  type SeedSpec,
  expectedPixels,
  buildTiff,
  BUILT_SEEDS,
  builtSeeds,
  MEMORY_LIMIT,
  memoryInUse,
} from './fuzz-build.js';
import { type EntryInfo, type TiffMap, mapTiff, writeUint } from './fuzz-mutate.js';

function specNamed(name: string): SeedSpec {
  return BUILT_SEEDS.find((spec) => spec.name.startsWith(name)) as SeedSpec;
}

function edited(name: string, edit: (bytes: Uint8Array, map: TiffMap) => void): Uint8Array {
  const bytes = buildTiff(specNamed(name));
  edit(bytes, mapTiff(bytes));
  return bytes;
}

function setTag(bytes: Uint8Array, map: TiffMap, tag: number, value: bigint): void {
  const entry = map.ifds[0].entries.find((e) => e.tag === tag) as EntryInfo;
  writeUint(bytes, entry.valueAt, TYPE_SIZE[entry.type], value, map.littleEndian);
}

describe('TIFF reader under fuzzing', () => {
  it.each(BUILT_SEEDS.map((spec, i) => [spec.name, spec, builtSeeds[i].bytes] as const))(
    'built seed %s reads back its pixels',
    (_, spec, bytes) => {
      const array = decodeTiffArray(bytes);
      expect(Array.from(array.data)).toEqual(expectedPixels(spec));
      if (spec.labels) expect(array.channelNames).toEqual(spec.labels);
    },
  );

  // One case per bug the fuzzer found, so each stays fixed whatever the case count.
  it('refuses a tile far larger than its stored bytes before allocating it', () => {
    const bytes = edited('u16 LE deflate tiles', (b, map) =>
      setTag(b, map, Tag.TileWidth, 2n ** 32n - 1n),
    );
    expect(() => decodeTiffArray(bytes)).toThrow(/strip\/tile 0 stores \d+ bytes, too few/);
  });

  it('ignores ImageJ labels whose header runs past the IJMetadata bytes', () => {
    const bytes = edited('ImageJ u16 BE', (b, map) => {
      setTag(b, map, Tag.ImageJMetadataByteCounts, 0x7ffffff0n);
      const data = map.ifds[0].entries.find((e) => e.tag === Tag.ImageJMetadata)!;
      b.set([0x69, 0x6e, 0x66, 0x6f], data.valueAt + 4); // "info" where "labl" was
    });
    expect(decodeTiffArray(bytes).imagej?.labels).toBeUndefined();
  });

  it('checks a contiguous ImageJ stack against the file before allocating it', () => {
    const before = memoryInUse();
    // 4,000,000 images of 546 bytes: 2.2 GB, under maxBytes, from a 2 kB file.
    const description = 'ImageJ=1.54f\nimages=4000000\n';
    const bytes = buildTiff({ ...specNamed('ImageJ contiguous'), description });
    expect(() => decodeTiffArray(bytes)).toThrow(/runs past the end of the file/);
    expect(memoryInUse() - before).toBeLessThan(MEMORY_LIMIT);
  });
});
