// The image canvas: draws the composite and overlay bitmaps under a pan/zoom transform, and
// turns pointer input into pan, zoom, clicks, a measuring line and brush strokes. Bitmaps come
// from the engine worker, so a frame here is only a few drawImage calls.
import {
  fitTransform,
  imageToScreen,
  lineLength,
  scaleBar,
  screenToImage,
  zoomAbout,
  type ViewTransform,
} from './geometry.js';

/**
 * `fill` and `pick` act on a click, as `select`; a drag with any of the three pans. `polygon`
 * draws a new object (drag: lasso; clicks: vertices), `split` a line that cuts objects.
 */
export type Tool = 'select' | 'line' | 'brush' | 'erase' | 'fill' | 'pick' | 'polygon' | 'split';

export interface Line {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ViewerCallbacks {
  /** The image pixel under the pointer (fractional), or undefined when it leaves. */
  onHover(point: { x: number; y: number } | undefined): void;
  /** A click (no drag) with the select, fill or pick tool. */
  onClick(point: { x: number; y: number }, event: PointerEvent): void;
  /** The measuring line changed (undefined when cleared). */
  onLine(line: Line | undefined): void;
  /** A finished brush or eraser stroke, in image pixels. */
  onStroke(points: { x: number; y: number }[], tool: 'brush' | 'erase'): void;
  /** A closed polygon or lasso, in image pixels (three or more vertices). */
  onPolygon?(points: { x: number; y: number }[]): void;
  /** A finished split line, in image pixels. */
  onCut?(points: { x: number; y: number }[]): void;
  /** The zoom (screen px per image px) changed, e.g. so contours can keep their width. */
  onZoom?(scale: number): void;
}

const DRAG_THRESHOLD_PX = 4;
/** A click this close (screen px) to the first vertex closes the polygon, as in QuPath. */
const CLOSE_PX = 8;

/** Draws the image itself in image coordinates instead of the composite (a big image's tiles). */
export interface ImageLayer {
  draw(context: CanvasRenderingContext2D, view: ViewTransform, width: number, height: number): void;
}

export class Viewer {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private view: ViewTransform = { scale: 1, offsetX: 0, offsetY: 0 };
  private image?: { width: number; height: number; pixelSizeUm?: number };
  private composite?: ImageBitmap;
  private overlay?: ImageBitmap | null;
  private line?: Line;
  private stroke?: { x: number; y: number }[];
  /** The polygon being drawn: a lasso while dragging, else clicked vertices. */
  private shape?: { points: { x: number; y: number }[]; lasso: boolean };
  private pointer?: { x: number; y: number };
  private frameRequested = false;
  private reportedScale = 0;
  private readonly resizeObserver: ResizeObserver;
  tool: Tool = 'select';
  /** When set, draws the image in place of the composite bitmap. */
  imageLayer?: ImageLayer;
  /** Brush radius in image pixels. */
  brushRadius = 6;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: ViewerCallbacks,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'viewer-canvas';
    this.canvas.dataset.testid = 'viewer';
    container.append(this.canvas);
    this.context = this.canvas.getContext('2d')!;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.listen();
    this.resize();
  }

  /** A new image: fits it in the view and forgets the line and overlays. */
  setImage(width: number, height: number, pixelSizeUm?: number): void {
    this.image = { width, height, pixelSizeUm };
    this.composite = undefined;
    this.overlay = undefined;
    this.line = undefined;
    this.shape = undefined;
    this.fit();
  }

  setPixelSize(pixelSizeUm: number | undefined): void {
    if (this.image) this.image.pixelSizeUm = pixelSizeUm;
    this.redraw();
  }

  setComposite(bitmap: ImageBitmap): void {
    this.composite?.close();
    this.composite = bitmap;
    this.redraw();
  }

  setOverlay(bitmap: ImageBitmap | null): void {
    this.overlay?.close();
    this.overlay = bitmap;
    this.redraw();
  }

  clearLine(): void {
    this.line = undefined;
    this.callbacks.onLine(undefined);
    this.redraw();
  }

  fit(): void {
    if (!this.image) return;
    const { clientWidth, clientHeight } = this.container;
    this.view = fitTransform(this.image.width, this.image.height, clientWidth, clientHeight);
    this.redraw();
  }

  zoom(factor: number, screenX?: number, screenY?: number): void {
    const x = screenX ?? this.container.clientWidth / 2;
    const y = screenY ?? this.container.clientHeight / 2;
    this.view = zoomAbout(this.view, factor, x, y);
    this.redraw();
  }

  /** Centres the view on an image point (e.g. a selected object), keeping the zoom. */
  centreOn(x: number, y: number): void {
    this.view = {
      ...this.view,
      offsetX: this.container.clientWidth / 2 - x * this.view.scale,
      offsetY: this.container.clientHeight / 2 - y * this.view.scale,
    };
    this.redraw();
  }

  /** Whether a polygon is being drawn (Enter closes it, Esc drops it). */
  get drawingShape(): boolean {
    return this.shape !== undefined;
  }

  /** Closes the polygon being drawn and reports it (fewer than three vertices: dropped). */
  finishShape(): void {
    const shape = this.shape;
    this.shape = undefined;
    // A double-click adds its point twice: vertices closer than a screen pixel are one.
    const points = (shape?.points ?? []).filter(
      (p, k, all) =>
        k === 0 || Math.hypot(p.x - all[k - 1].x, p.y - all[k - 1].y) * this.view.scale >= 1,
    );
    if (points.length >= 3) this.callbacks.onPolygon?.(points);
    this.redraw();
  }

  cancelShape(): void {
    this.shape = undefined;
    this.redraw();
  }

  /** The image region on screen now, clipped to the image (whole pixels), if any is. */
  visibleRegion(): { x: number; y: number; width: number; height: number } | undefined {
    if (!this.image) return undefined;
    const a = screenToImage(this.view, 0, 0);
    const b = screenToImage(this.view, this.container.clientWidth, this.container.clientHeight);
    const x0 = Math.max(0, Math.floor(a.x));
    const y0 = Math.max(0, Math.floor(a.y));
    const x1 = Math.min(this.image.width, Math.ceil(b.x));
    const y1 = Math.min(this.image.height, Math.ceil(b.y));
    return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
  }

  get transform(): Readonly<ViewTransform> {
    return this.view;
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.canvas.remove();
  }

  private resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const { clientWidth, clientHeight } = this.container;
    this.canvas.width = Math.max(1, Math.round(clientWidth * ratio));
    this.canvas.height = Math.max(1, Math.round(clientHeight * ratio));
    this.canvas.style.width = `${clientWidth}px`;
    this.canvas.style.height = `${clientHeight}px`;
    this.redraw();
  }

  /** Asks for a new frame (e.g. a tile arrived). */
  redraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    const context = this.context;
    const ratio = window.devicePixelRatio || 1;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = '#0b0c0f';
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.image) return;
    const { scale, offsetX, offsetY } = this.view;
    if (scale !== this.reportedScale) {
      this.reportedScale = scale;
      this.callbacks.onZoom?.(scale);
    }
    context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * offsetX, ratio * offsetY);
    // Crisp pixels when zoomed in, smooth when zoomed out (as napari and Fiji).
    context.imageSmoothingEnabled = scale < 1;
    if (this.imageLayer)
      this.imageLayer.draw(
        context,
        this.view,
        this.container.clientWidth,
        this.container.clientHeight,
      );
    else if (this.composite) context.drawImage(this.composite, 0, 0);
    if (this.overlay) context.drawImage(this.overlay, 0, 0);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.drawLine(context);
    this.drawBrush(context);
    this.drawShape(context);
    this.drawScaleBar(context);
  }

  private drawLine(context: CanvasRenderingContext2D): void {
    if (!this.line) return;
    const a = imageToScreen(this.view, this.line.x0, this.line.y0);
    const b = imageToScreen(this.view, this.line.x1, this.line.y1);
    context.strokeStyle = '#ffd400';
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(a.x, a.y);
    context.lineTo(b.x, b.y);
    context.stroke();
    for (const p of [a, b]) {
      context.beginPath();
      context.arc(p.x, p.y, 3, 0, 2 * Math.PI);
      context.fillStyle = '#ffd400';
      context.fill();
    }
    const length = lineLength(this.line);
    const um = this.image?.pixelSizeUm;
    const text = `${length.toFixed(1)} px` + (um ? ` · ${(length * um).toFixed(2)} µm` : '');
    drawLabel(context, text, (a.x + b.x) / 2 + 8, (a.y + b.y) / 2 - 8);
  }

  private drawBrush(context: CanvasRenderingContext2D): void {
    if (this.tool !== 'brush' && this.tool !== 'erase') return;
    const colour = this.tool === 'brush' ? '#4c9dff' : '#ff5d5d';
    const radius = Math.max(1, (this.brushRadius + 0.5) * this.view.scale);
    context.strokeStyle = colour;
    context.lineWidth = 1.5;
    for (const p of this.stroke ?? []) {
      const s = imageToScreen(this.view, p.x, p.y);
      context.beginPath();
      context.arc(s.x, s.y, radius, 0, 2 * Math.PI);
      context.fillStyle = this.tool === 'brush' ? 'rgba(76,157,255,0.35)' : 'rgba(255,93,93,0.35)';
      context.fill();
    }
    if (this.pointer) {
      context.beginPath();
      context.arc(this.pointer.x, this.pointer.y, radius, 0, 2 * Math.PI);
      context.stroke();
    }
  }

  /** The polygon being drawn (with a rubber band to the pointer) or the split line. */
  private drawShape(context: CanvasRenderingContext2D): void {
    const cut = this.tool === 'split' ? this.stroke : undefined;
    const points = this.shape?.points ?? cut;
    if (!points?.length) return;
    const screen = points.map((p) => imageToScreen(this.view, p.x, p.y));
    if (this.shape && !this.shape.lasso && this.pointer) screen.push(this.pointer);
    context.beginPath();
    screen.forEach((p, k) => (k ? context.lineTo(p.x, p.y) : context.moveTo(p.x, p.y)));
    context.lineWidth = 2;
    if (this.shape) {
      context.closePath();
      context.fillStyle = 'rgba(76,157,255,0.25)';
      context.fill();
      context.strokeStyle = '#4c9dff';
      context.setLineDash([]);
    } else {
      context.strokeStyle = '#ffd400';
      context.setLineDash([6, 4]);
    }
    context.stroke();
    context.setLineDash([]);
    if (this.shape && !this.shape.lasso)
      for (const p of screen.slice(0, points.length)) {
        context.fillStyle = '#4c9dff';
        context.fillRect(p.x - 3, p.y - 3, 6, 6);
      }
  }

  private drawScaleBar(context: CanvasRenderingContext2D): void {
    const um = this.image?.pixelSizeUm;
    if (!um) return;
    const bar = scaleBar(um, this.view.scale);
    const x = this.container.clientWidth - 20 - bar.screenPx;
    const y = this.container.clientHeight - 24;
    context.fillStyle = 'rgba(0,0,0,0.45)';
    context.fillRect(x - 8, y - 20, bar.screenPx + 16, 30);
    context.fillStyle = '#ffffff';
    context.fillRect(x, y, bar.screenPx, 4);
    context.font = '12px system-ui, sans-serif';
    context.textAlign = 'center';
    context.fillText(bar.label, x + bar.screenPx / 2, y - 6);
    context.textAlign = 'start';
  }

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
        this.zoom(factor, event.offsetX, event.offsetY);
      },
      { passive: false },
    );
    let drag:
      | { x: number; y: number; startX: number; startY: number; moved: boolean; pan: boolean }
      | undefined;
    canvas.addEventListener('pointerdown', (event) => {
      canvas.setPointerCapture(event.pointerId);
      const pan =
        event.button === 1 ||
        event.button === 2 ||
        event.shiftKey ||
        ['select', 'fill', 'pick'].includes(this.tool);
      drag = {
        x: event.offsetX,
        y: event.offsetY,
        startX: event.offsetX,
        startY: event.offsetY,
        moved: false,
        pan,
      };
      const p = screenToImage(this.view, event.offsetX, event.offsetY);
      if (!pan && this.tool === 'line') this.line = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
      if (!pan && (this.tool === 'brush' || this.tool === 'erase' || this.tool === 'split'))
        this.stroke = [p];
      // A press starts a polygon (a lasso if the pointer then moves); later clicks add vertices.
      if (!pan && this.tool === 'polygon' && !this.shape) this.shape = { points: [p], lasso: true };
      this.redraw();
    });
    canvas.addEventListener('pointermove', (event) => {
      this.pointer = { x: event.offsetX, y: event.offsetY };
      const p = screenToImage(this.view, event.offsetX, event.offsetY);
      this.callbacks.onHover(this.insideImage(p) ? p : undefined);
      if (drag) {
        const dx = event.offsetX - drag.x;
        const dy = event.offsetY - drag.y;
        if (
          Math.hypot(event.offsetX - drag.startX, event.offsetY - drag.startY) > DRAG_THRESHOLD_PX
        )
          drag.moved = true;
        drag.x = event.offsetX;
        drag.y = event.offsetY;
        if (drag.pan) {
          if (drag.moved)
            this.view = {
              ...this.view,
              offsetX: this.view.offsetX + dx,
              offsetY: this.view.offsetY + dy,
            };
        } else if (this.tool === 'line' && this.line) {
          this.line = { ...this.line, x1: p.x, y1: p.y };
          this.callbacks.onLine(this.line);
        } else if (this.stroke) {
          this.stroke.push(p);
        } else if (this.shape?.lasso && drag.moved) {
          this.shape.points.push(p);
        }
      }
      this.redraw();
    });
    const finish = (event: PointerEvent): void => {
      if (!drag) return;
      const p = screenToImage(this.view, event.offsetX, event.offsetY);
      if (drag.pan && !drag.moved && event.button === 0 && this.insideImage(p))
        this.callbacks.onClick(p, event);
      if (!drag.pan && this.tool === 'line' && this.line) {
        if (lineLength(this.line) < 1) this.clearLine();
        else this.callbacks.onLine(this.line);
      }
      if (!drag.pan && this.stroke && (this.tool === 'brush' || this.tool === 'erase')) {
        this.callbacks.onStroke(this.stroke, this.tool);
        this.stroke = undefined;
      }
      if (!drag.pan && this.stroke && this.tool === 'split') {
        if (drag.moved) this.callbacks.onCut?.([...this.stroke, p]);
        this.stroke = undefined;
      }
      if (!drag.pan && this.shape && this.tool === 'polygon') this.polygonRelease(p, drag.moved);
      drag = undefined;
      this.redraw();
    };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
    canvas.addEventListener('pointerleave', () => {
      this.pointer = undefined;
      this.callbacks.onHover(undefined);
      this.redraw();
    });
    canvas.addEventListener('contextmenu', (event) => event.preventDefault());
    canvas.addEventListener('dblclick', () => {
      if (this.tool === 'polygon' && this.shape) this.finishShape();
    });
  }

  /** A release with the polygon tool: a lasso closes; a click adds a vertex or closes. */
  private polygonRelease(p: { x: number; y: number }, moved: boolean): void {
    const shape = this.shape!;
    if (shape.lasso && moved) return this.finishShape();
    if (shape.lasso) {
      // The press was a click: the polygon goes on by vertices.
      shape.lasso = false;
      return;
    }
    const first = imageToScreen(this.view, shape.points[0].x, shape.points[0].y);
    const here = imageToScreen(this.view, p.x, p.y);
    if (shape.points.length >= 3 && Math.hypot(here.x - first.x, here.y - first.y) <= CLOSE_PX)
      return this.finishShape();
    shape.points.push(p);
  }

  private insideImage(p: { x: number; y: number }): boolean {
    return (
      !!this.image && p.x >= 0 && p.y >= 0 && p.x < this.image.width && p.y < this.image.height
    );
  }
}

function drawLabel(context: CanvasRenderingContext2D, text: string, x: number, y: number): void {
  context.font = '12px system-ui, sans-serif';
  const width = context.measureText(text).width;
  context.fillStyle = 'rgba(0,0,0,0.7)';
  context.fillRect(x - 4, y - 14, width + 8, 19);
  context.fillStyle = '#ffd400';
  context.fillText(text, x, y);
}
