import { describe, expect, it } from 'vitest';
import { withUsedDiameters } from '../config-diameters.js';

describe('withUsedDiameters', () => {
  it("replaces 'auto' by the diameters the run estimated, for nuclei and Cellpose cells", () => {
    const config = {
      channels: { nuclei: 'DNA', cytoplasm: 'actin' },
      nuclei: { method: 'cellpose' as const, model: 'cellscope-nuclei', diameter: 'auto' as const },
      cells: { method: 'cellpose' as const, model: 'cellscope-cells', diameter: 'auto' as const },
    };
    const saved = withUsedDiameters(config, { nuclei: 11.734, cells: 38.25 });
    expect(saved.nuclei).toEqual({
      method: 'cellpose',
      model: 'cellscope-nuclei',
      diameter: 11.734,
    });
    expect(saved.cells).toMatchObject({ diameter: 38.25 });
    expect(config.nuclei.diameter).toBe('auto'); // the input is left as it was
  });

  it('keeps diameters the user gave, cells grown from nuclei, and unusable estimates', () => {
    const config = {
      channels: { nuclei: 0, cytoplasm: 1 },
      nuclei: { method: 'classical' as const, diameter: 14 },
      cells: { method: 'from-nuclei' as const },
    };
    expect(withUsedDiameters(config, { nuclei: 12.5, cells: 40 })).toEqual(config);
    const auto = { ...config, nuclei: { method: 'classical' as const } };
    expect(withUsedDiameters(auto, { nuclei: 0 }).nuclei).toEqual({ method: 'classical' });
    expect(withUsedDiameters(auto, { nuclei: 9.5 }).nuclei).toEqual({
      method: 'classical',
      diameter: 9.5,
    });
  });
});
