// Pure maths of the viewer: view transform, zoom about a point, scale bar length.

/** Screen = image · scale + offset (CSS pixels). */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

/** The transform that shows the whole image centred in the viewport, with a small margin. */
export function fitTransform(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
): ViewTransform {
  const scale = clampScale(0.98 * Math.min(viewWidth / imageWidth, viewHeight / imageHeight));
  return {
    scale,
    offsetX: (viewWidth - imageWidth * scale) / 2,
    offsetY: (viewHeight - imageHeight * scale) / 2,
  };
}

/** Zooms by `factor` keeping the image point under (screenX, screenY) where it is. */
export function zoomAbout(
  view: ViewTransform,
  factor: number,
  screenX: number,
  screenY: number,
): ViewTransform {
  const scale = clampScale(view.scale * factor);
  const imageX = (screenX - view.offsetX) / view.scale;
  const imageY = (screenY - view.offsetY) / view.scale;
  return { scale, offsetX: screenX - imageX * scale, offsetY: screenY - imageY * scale };
}

export function screenToImage(view: ViewTransform, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.offsetX) / view.scale, y: (y - view.offsetY) / view.scale };
}

export function imageToScreen(view: ViewTransform, x: number, y: number): { x: number; y: number } {
  return { x: x * view.scale + view.offsetX, y: y * view.scale + view.offsetY };
}

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/**
 * A scale bar of a round length (1, 2 or 5 × 10ⁿ µm) whose on-screen size is the largest not
 * above `maxScreenPx`, as microscopy viewers draw it.
 */
export function scaleBar(
  umPerImagePx: number,
  viewScale: number,
  maxScreenPx = 120,
): { um: number; screenPx: number; label: string } {
  const umPerScreenPx = umPerImagePx / viewScale;
  const maxUm = maxScreenPx * umPerScreenPx;
  const power = 10 ** Math.floor(Math.log10(maxUm));
  const um = [5, 2, 1].map((m) => m * power).find((v) => v <= maxUm) ?? power;
  const label =
    um >= 1000 ? `${um / 1000} mm` : um >= 1 ? `${um} µm` : `${Math.round(um * 1000)} nm`;
  return { um, screenPx: um / umPerScreenPx, label };
}

/** Length of a line in image pixels. */
export function lineLength(line: { x0: number; y0: number; x1: number; y1: number }): number {
  return Math.hypot(line.x1 - line.x0, line.y1 - line.y0);
}
