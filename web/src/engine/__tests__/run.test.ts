import { beforeEach, describe, expect, it } from 'vitest';
import { createLabels, createPlane, createStack, type Labels } from '../../../../src/browser.js';
import { stepHistory } from '../edits.js';
import { applyRun, runInput } from '../run.js';
import { setLayer, state } from '../state.js';

const W = 8;
const config = {
  channels: { nuclei: 0, cytoplasm: 1 },
  nuclei: { method: 'classical' as const },
  cells: { method: 'from-nuclei' as const },
};

/** An 8×8 label image holding `label` in the w × h box at (x, y). */
function box(label: number, x: number, y: number, w: number, h: number): Labels {
  const data = new Uint32Array(W * W);
  for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) data[r * W + c] = label;
  return createLabels(W, W, data);
}

const layer = (name: 'nuclei' | 'cells') => [...state.layers[name]!.labels.data];

describe('a segmentation run in the engine', () => {
  const [n1, c1] = [box(1, 1, 1, 2, 2), box(1, 0, 0, 4, 4)];
  const [n2, c2] = [box(1, 4, 4, 2, 2), box(1, 3, 3, 5, 5)];

  beforeEach(() => {
    const plane = () =>
      createPlane(
        W,
        W,
        new Uint16Array(W * W).map((_, i) => i),
      );
    state.stack = createStack([plane(), plane()], { channelNames: ['dna', 'actin'] });
    state.layers = {};
    state.history = [];
    state.future = [];
    state.previous = undefined;
  });

  it('has nothing to undo after the first run on an image', () => {
    applyRun({ nucleusLabels: n1, cellLabels: c1 }, { steps: 'both', keepPrevious: true });
    expect(state.history).toEqual([]);
    expect(state.previous).toBeUndefined();
  });

  it('undoes and redoes a re-run of both layers as one step, keeping the previous layers', () => {
    applyRun({ nucleusLabels: n1, cellLabels: c1 }, { steps: 'both', keepPrevious: false });
    applyRun({ nucleusLabels: n2, cellLabels: c2 }, { steps: 'both', keepPrevious: true });
    expect(state.history.map((s) => [s.layer, s.linked ?? false])).toEqual([
      ['nuclei', false],
      ['cells', true],
    ]);
    expect(state.previous?.cells?.labels).toBe(c1);
    expect(state.previous?.nuclei?.labels).toBe(n1);
    stepHistory('undo', config);
    expect([layer('nuclei'), layer('cells')]).toEqual([[...n1.data], [...c1.data]]);
    expect(state.history).toEqual([]);
    stepHistory('redo', config);
    expect([layer('nuclei'), layer('cells')]).toEqual([[...n2.data], [...c2.data]]);
    expect(state.history).toHaveLength(2);
    expect(state.future).toEqual([]);
  });

  it('changes only the nuclei on a nuclei-only run, one plain undo step', () => {
    applyRun({ nucleusLabels: n1, cellLabels: c1 }, { steps: 'both', keepPrevious: false });
    applyRun(
      { nucleusLabels: n2, cellLabels: createLabels(W, W) },
      { steps: 'nuclei', keepPrevious: false },
    );
    expect([layer('nuclei'), layer('cells')]).toEqual([[...n2.data], [...c1.data]]);
    expect(state.history.map((s) => s.layer)).toEqual(['nuclei']);
    expect(state.history[0].linked).toBeUndefined();
  });

  it('sends the region and its nuclei to a cells-only run, and refuses one without nuclei', () => {
    expect(() => runInput({ steps: 'cells', keepPrevious: false })).toThrow(
      'there are no nuclei to keep',
    );
    setLayer('nuclei', n2);
    const region = { x: 3, y: 2, width: 4, height: 5 };
    const input = runInput({ steps: 'cells', region, keepPrevious: false });
    expect(input.stack.planes[0].width).toBe(4);
    expect(input.stack.planes[1].data[0]).toBe(2 * W + 3);
    // n2 covers x 4..5, y 4..5: in the region at x 1..2, y 2..3.
    expect(input.nucleusLabels!.data.reduce((s, v) => s + v, 0)).toBe(4);
    expect(input.nucleusLabels!.data[2 * 4 + 1]).toBe(1);
    expect(input.nucleiOnly).toBeUndefined();
    expect(runInput({ steps: 'nuclei', keepPrevious: false }).nucleiOnly).toBe(true);
  });
});
