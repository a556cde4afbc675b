import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { parseAnalysisConfig, parseAnalysisConfigText } from '../config.js';

describe('analysis config', () => {
  it("fills in the defaults from the channels alone: cellscope's own models, which ship offline", () => {
    const config = parseAnalysisConfig({ channels: { nuclei: 0, cytoplasm: 'actin' } });
    const cellpose = {
      diameter: 'auto',
      largeObjectCheck: true,
      flowThreshold: 0.4,
      cellprobThreshold: 0,
      minSize: 15,
    };
    expect(config.nuclei).toEqual({ method: 'cellpose', model: 'cellscope-nuclei', ...cellpose });
    expect(config.cells).toEqual({
      method: 'cellpose',
      model: 'cellscope-cells',
      useNuclearChannel: true,
      ...cellpose,
      nucleusAware: 'merge-fragments',
      dropCellsWithoutNucleus: false,
    });
    // Named methods fill in their own defaults.
    expect(
      parseAnalysisConfig({
        channels: { nuclei: 0, cytoplasm: 1 },
        nuclei: { method: 'classical' },
        cells: { method: 'from-nuclei' },
      }),
    ).toMatchObject({
      nuclei: { method: 'classical', threshold: 'otsu', split: true },
      cells: { method: 'from-nuclei', growth: 'propagation', threshold: 'li' },
    });
    expect(config.channels.others).toEqual([]);
    expect(config.outputs.tables).toEqual(['csv', 'parquet']);
  });

  it('reads YAML with Cellpose steps and their defaults', () => {
    const config = parseAnalysisConfigText(`
channels: { nuclei: DNA, cytoplasm: 1, others: [2] }
nuclei: { method: cellpose, diameter: 170 }
cells:
  method: cellpose
  diameter: auto
pixelSizeUm: 0.65
`);
    expect(config.nuclei).toMatchObject({
      method: 'cellpose',
      model: 'cellscope-nuclei',
      diameter: 170,
    });
    expect(config.cells).toMatchObject({
      method: 'cellpose',
      model: 'cellscope-cells',
      diameter: 'auto',
    });
    expect(config.pixelSizeUm).toBe(0.65);
  });

  it('reads the nucleus-aware cell options and refuses unknown modes', () => {
    const config = parseAnalysisConfigText(`
channels: { nuclei: 0, cytoplasm: 1 }
cells: { method: cellpose, nucleusAware: hybrid, dropCellsWithoutNucleus: true }
`);
    expect(config.cells).toMatchObject({ nucleusAware: 'hybrid', dropCellsWithoutNucleus: true });
    expect(
      parseAnalysisConfig({
        channels: { nuclei: 0, cytoplasm: 1 },
        cells: { method: 'cellpose', nucleusAware: 'off' },
      }).cells,
    ).toMatchObject({ nucleusAware: 'off', dropCellsWithoutNucleus: false });
    expect(() =>
      parseAnalysisConfig({
        channels: { nuclei: 0, cytoplasm: 1 },
        cells: { method: 'cellpose', nucleusAware: 'merge' },
      }),
    ).toThrow(/cells\.nucleusAware/);
    // Cells grown from the nuclei hold one each already: the option belongs to Cellpose cells.
    expect(() =>
      parseAnalysisConfig({
        channels: { nuclei: 0, cytoplasm: 1 },
        cells: { method: 'from-nuclei', nucleusAware: 'hybrid' },
      }),
    ).toThrow(InvalidArgumentError);
  });

  it('names every problem by its path', () => {
    const bad = () =>
      parseAnalysisConfig({
        channels: { nuclei: -1 },
        nuclei: { method: 'magic' },
        typo: true,
      });
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow(/channels\.nuclei: .*; channels\.cytoplasm: .*nuclei\.method/);
    expect(() => parseAnalysisConfigText('channels: [unclosed')).toThrow(/not valid YAML/);
  });
});
