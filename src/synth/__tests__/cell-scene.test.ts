import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cellScene, SCENE_KINDS, type CellScene, type SceneKind } from '../cell-scene.js';
import { trainingSample } from '../training-sample.js';

const SIZE = 160;
const scenes = new Map<string, CellScene>();
/** Scenes are drawn once per (kind, seed) and shared by the tests below. */
function scene(kind: SceneKind, seed: number): CellScene {
  const key = `${kind}/${seed}`;
  if (!scenes.has(key)) scenes.set(key, cellScene({ seed, kind, size: SIZE, cellDiameterPx: 30 }));
  return scenes.get(key)!;
}

/** Per-label pixel lists of a label image. */
function pixelsByLabel(data: Uint32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  data.forEach((label, i) => {
    if (label === 0) return;
    if (!out.has(label)) out.set(label, []);
    out.get(label)!.push(i);
  });
  return out;
}

/** Whether a set of pixels is one 4-connected piece. */
function connected(pixels: number[], width: number): boolean {
  const inside = new Set(pixels);
  const seen = new Set([pixels[0]]);
  const queue = [pixels[0]];
  while (queue.length > 0) {
    const i = queue.pop()!;
    const x = i % width;
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
      if (inside.has(j) && !seen.has(j)) {
        seen.add(j);
        queue.push(j);
      }
    }
  }
  return seen.size === pixels.length;
}

/** Mean of the plane over each label's pixels, less the image's 1st percentile (the offset). */
function labelMeans(scene: CellScene, channel: number): number[] {
  const data = scene.stack.planes[channel].data;
  const floor = [...data].sort((a, b) => a - b)[Math.floor(data.length / 100)];
  return [...pixelsByLabel(scene.cellLabels.data).values()].map(
    (pixels) => pixels.reduce((sum, i) => sum + data[i], 0) / pixels.length - floor,
  );
}

describe('cellScene', () => {
  it('is a deterministic function of its seed and kind', () => {
    const a = cellScene({ seed: 7, kind: 'spread', size: 96 });
    const b = cellScene({ seed: 7, kind: 'spread', size: 96 });
    expect(b.stack.planes[0].data).toEqual(a.stack.planes[0].data);
    expect(b.cellLabels.data).toEqual(a.cellLabels.data);
    expect(cellScene({ seed: 8, kind: 'spread', size: 96 }).cellLabels.data).not.toEqual(
      a.cellLabels.data,
    );
  });

  it('draws every cell as one piece, with its nucleus inside it', () => {
    for (const kind of SCENE_KINDS) {
      const s = scene(kind, 1);
      const cells = pixelsByLabel(s.cellLabels.data);
      expect(cells.size, kind).toBeGreaterThan(3);
      for (const [label, pixels] of cells)
        expect(connected(pixels, SIZE), `${kind} ${label}`).toBe(true);
      s.nucleusLabels.data.forEach((nucleus, i) => {
        if (nucleus !== 0) expect(s.cellLabels.data[i]).toBe(nucleus);
      });
    }
  });

  it('gives neurons long processes that belong to their cell', () => {
    // Share of each cell's pixels farther from its centroid than twice its equivalent radius:
    // ~0 for compact cells, large where neurites reach out.
    const reach = (s: CellScene): number => {
      let far = 0;
      let total = 0;
      for (const pixels of pixelsByLabel(s.cellLabels.data).values()) {
        const ys = pixels.map((i) => Math.floor(i / SIZE));
        const xs = pixels.map((i) => i % SIZE);
        const cy = ys.reduce((a, b) => a + b) / ys.length;
        const cx = xs.reduce((a, b) => a + b) / xs.length;
        const radius = Math.sqrt(pixels.length / Math.PI);
        far += ys.filter((y, k) => Math.hypot(y - cy, xs[k] - cx) > 2 * radius).length;
        total += pixels.length;
      }
      return far / total;
    };
    expect(reach(scene('neurons', 1))).toBeGreaterThan(0.05);
    expect(reach(scene('culture', 1))).toBeLessThan(0.01);
  });

  it('packs tissue with shared borders and leaves cultures with background', () => {
    const covered = (s: CellScene): number =>
      s.cellLabels.data.filter((v) => v > 0).length / s.cellLabels.data.length;
    expect(covered(scene('tissue-membrane', 1))).toBeGreaterThan(0.85);
    expect(covered(scene('tissue-rim', 1))).toBeGreaterThan(0.85);
    expect(covered(scene('neurons', 1))).toBeLessThan(0.5);
  });

  it('varies cell brightness 10× or more between cells of one image', () => {
    const spreads = [1, 2, 3, 4].map((seed) => {
      const means = labelMeans(scene('culture', seed), 0).sort((a, b) => a - b);
      return (
        means[Math.floor(0.9 * means.length)] / Math.max(1, means[Math.floor(0.1 * means.length)])
      );
    });
    expect(Math.max(...spreads)).toBeGreaterThan(10);
  });

  it('stains membranes at the cell borders, brighter than the interiors', () => {
    const s = scene('tissue-membrane', 2);
    const { data: labels } = s.cellLabels;
    const cytoplasm = s.stack.planes[0].data;
    let [edge, edgeCount, inner, innerCount] = [0, 0, 0, 0];
    for (let y = 1; y < SIZE - 1; y++) {
      for (let x = 1; x < SIZE - 1; x++) {
        const i = y * SIZE + x;
        if (labels[i] === 0) continue;
        const neighbours = [
          i - 1,
          i + 1,
          i - SIZE,
          i + SIZE,
          i - 3,
          i + 3,
          i - 3 * SIZE,
          i + 3 * SIZE,
        ];
        const onBorder = [i - 1, i + 1, i - SIZE, i + SIZE].some((j) => labels[j] !== labels[i]);
        const deep = neighbours.every(
          (j) => j >= 0 && j < labels.length && labels[j] === labels[i],
        );
        if (onBorder) [edge, edgeCount] = [edge + cytoplasm[i], edgeCount + 1];
        else if (deep) [inner, innerCount] = [inner + cytoplasm[i], innerCount + 1];
      }
    }
    expect(edge / edgeCount).toBeGreaterThan(1.5 * (inner / innerCount));
  });

  it('sizes cells 0.5–3× the median within an image', () => {
    const ratios = [1, 2, 3].map((seed) => {
      const areas = [...pixelsByLabel(scene('tissue-rim', seed).cellLabels.data).values()]
        .map((p) => p.length)
        .sort((a, b) => a - b);
      return Math.sqrt(areas[areas.length - 1] / areas[0]);
    });
    expect(Math.max(...ratios)).toBeGreaterThan(2.5);
  });

  it('leaves the nuclear stain out of some membrane-stained tissue', () => {
    const stains = Array.from(
      { length: 8 },
      (_, seed) => cellScene({ seed, kind: 'tissue-membrane', size: 64 }).nuclearStain,
    );
    expect(stains).toContain(true);
    expect(stains).toContain(false);
  });
});

describe('trainingSample recipes', () => {
  it('keeps recipe 1 (the default) bit-identical to what cellscope-cells v1 was trained on', () => {
    const hash = createHash('sha256');
    for (const seed of [0, 5]) {
      const sample = trainingSample({ seed, target: 'cells', size: 96 });
      for (const plane of sample.stack.planes) hash.update(new Uint8Array(plane.data.buffer));
      hash.update(new Uint8Array(sample.labels.data.buffer));
    }
    // Pinned when recipe 2 was added: the v1 training data must not drift.
    expect(hash.digest('hex').slice(0, 16)).toBe('729d091bc49a2421');
  });

  it('draws recipe 2 cells from the scene kinds, with no nuclear channel where none is stained', () => {
    const samples = Array.from({ length: 30 }, (_, seed) =>
      trainingSample({ seed, target: 'cells', size: 64, recipe: 2 }),
    );
    const kinds = new Set(samples.map((s) => s.settings.kind).filter(Boolean));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    expect(samples.some((s) => s.settings.kind === undefined)).toBe(true);
    const unstained = samples.filter((s) => s.settings.nuclearStain === false);
    expect(unstained.length).toBeGreaterThan(0);
    for (const s of unstained) expect(s.stack.planes[1].data.every((v) => v === 0)).toBe(true);
  });

  it('draws recipe 2 nuclei partly from the scenes, with bleed-through up to the nuclei', () => {
    const samples = Array.from({ length: 30 }, (_, seed) =>
      trainingSample({ seed, target: 'nuclei', size: 64, recipe: 2 }),
    );
    const fromScenes = samples.filter((s) => s.settings.kind !== undefined);
    expect(fromScenes.length).toBeGreaterThan(5);
    expect(fromScenes.length).toBeLessThan(25);
    for (const s of samples) expect(s.stack.channelNames).toEqual(['DNA']);
    expect(Math.max(...samples.map((s) => Number(s.settings.bleedThrough)))).toBeGreaterThan(0.3);
  });
});
