import { describe, expect, it } from 'vitest';
import { cellposeModelFromForward, cellposeModelFromSession } from '../cellpose-model.js';
import type { CellposeArchitecture } from '../network/architecture.js';
import type { NetworkSession, NetworkTensor } from '../network-session.js';
import type { NetworkForward } from '../transforms/run-net.js';

const ARCHITECTURE: CellposeArchitecture = {
  nbase: [2, 32, 64, 128, 256],
  nout: 3,
  kernel: 3,
  parameterCount: 0,
};

describe('cellposeModelFromForward', () => {
  it("takes the architecture's diameters, else 30", () => {
    const forward: NetworkForward = async () => ({
      output: new Float32Array(),
      style: new Float32Array(),
    });
    const plain = cellposeModelFromForward(ARCHITECTURE, forward);
    expect(plain).toMatchObject({ name: 'custom', diamMean: 30, diamLabels: 30, forward });
    const trained = cellposeModelFromForward(
      { ...ARCHITECTURE, diamMean: 17, diamLabels: 15.5 },
      forward,
      {
        name: 'nuclei',
      },
    );
    expect(trained).toMatchObject({ name: 'nuclei', diamMean: 17, diamLabels: 15.5 });
    expect(cellposeModelFromForward(ARCHITECTURE, forward, { diamMean: 40 }).diamLabels).toBe(40);
  });
});

describe('cellposeModelFromSession', () => {
  it('feeds NCHW tiles to `input` and reads `flows_cellprob` and `style`', async () => {
    const seen: Record<string, NetworkTensor>[] = [];
    let released = false;
    const session: NetworkSession = {
      inputNames: ['input'],
      outputNames: ['flows_cellprob', 'style'],
      async run(inputs) {
        seen.push(inputs);
        const [n, , h, w] = inputs.input.dims;
        return {
          flows_cellprob: { data: new Float32Array(n * 3 * h * w).fill(1), dims: [n, 3, h, w] },
          style: { data: new Float32Array(n * 256).fill(2), dims: [n, 256] },
        };
      },
      async release() {
        released = true;
      },
    };
    const model = cellposeModelFromSession(ARCHITECTURE, session);
    const batch = new Float32Array(3 * 2 * 8 * 16);
    const out = await model.forward(batch, 3, 8, 16);
    expect(seen[0].input.dims).toEqual([3, 2, 8, 16]);
    expect(seen[0].input.data).toBe(batch);
    expect(out.output.length).toBe(3 * 3 * 8 * 16);
    expect(out.style.length).toBe(3 * 256);
    expect(out.styleLength).toBe(256);
    await model.release();
    expect(released).toBe(true);
  });
});
