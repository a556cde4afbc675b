import { describe, expect, it } from 'vitest';
import {
  fitTransform,
  imageToScreen,
  lineLength,
  scaleBar,
  screenToImage,
  zoomAbout,
} from '../geometry.js';

describe('viewer geometry', () => {
  it('fits a wide image to the viewport width, centred vertically', () => {
    const view = fitTransform(2000, 1000, 1000, 800);
    expect(view.scale).toBeCloseTo(0.49, 12);
    expect(view.offsetX).toBeCloseTo((1000 - 2000 * 0.49) / 2, 9);
    expect(view.offsetY).toBeCloseTo((800 - 1000 * 0.49) / 2, 9);
  });

  it('zooms about the cursor: the image point under it stays put', () => {
    const view = { scale: 0.5, offsetX: 13, offsetY: -7 };
    const before = screenToImage(view, 300, 200);
    const zoomed = zoomAbout(view, 3, 300, 200);
    expect(zoomed.scale).toBe(1.5);
    const after = imageToScreen(zoomed, before.x, before.y);
    expect(after.x).toBeCloseTo(300, 9);
    expect(after.y).toBeCloseTo(200, 9);
  });

  it('clamps the zoom', () => {
    expect(zoomAbout({ scale: 32, offsetX: 0, offsetY: 0 }, 10, 0, 0).scale).toBe(64);
  });

  it('picks round scale bar lengths that fit', () => {
    // 0.65 µm/px at scale 1: 120 screen px = 78 µm → 50 µm, 76.9 px.
    const bar = scaleBar(0.65, 1);
    expect(bar.um).toBe(50);
    expect(bar.screenPx).toBeCloseTo(50 / 0.65, 9);
    expect(bar.label).toBe('50 µm');
    expect(scaleBar(0.65, 8).label).toBe('5 µm'); // 9.75 µm fit → 5
    expect(scaleBar(0.01, 4).label).toBe('200 nm'); // 0.3 µm fit → 0.2
    expect(scaleBar(10, 0.05).label).toBe('20 mm'); // 24000 µm fit → 20000
  });

  it('measures line lengths', () => {
    expect(lineLength({ x0: 1, y0: 2, x1: 4, y1: 6 })).toBe(5);
  });
});
