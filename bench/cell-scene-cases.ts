import { cellScene, type CellScene, type SceneKind } from '../src/synth/cell-scene.js';

/**
 * A `cellScene` with median cells of `diameter` px, as the cell-model benches draw it: about 12
 * median cells across (256–1024 px), segmented with the nuclear channel where it is stained.
 */
export function sceneAtDiameter(
  seed: number,
  kind: SceneKind,
  diameter: number,
): { scene: CellScene; channels: [number, number] } {
  const size = Math.min(1024, Math.max(256, Math.round((diameter * 12) / 32) * 32));
  const scene = cellScene({ seed, kind, size, cellDiameterPx: diameter });
  return { scene, channels: scene.nuclearStain ? [1, 2] : [1, 0] };
}
