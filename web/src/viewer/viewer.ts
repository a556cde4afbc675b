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

/** `fill` and `pick` act on a click, as `select`; a drag with any of the three pans. */
export type Tool = 'select' | 'line' | 'brush' | 'erase' | 'fill' | 'pick';

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
  /** The zoom (screen px per image px) changed, e.g. so contours can keep their width. */
  onZoom?(scale: number): void;
}

const DRAG_THRESHOLD_PX = 4;

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
      if (!pan && (this.tool === 'brush' || this.tool === 'erase')) this.stroke = [p];
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
