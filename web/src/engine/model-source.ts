// Where the page's Cellpose weights come from: files the user chose, or the model cache of the
// `cellscope view` server (which downloads official weights on request; browsers cannot fetch
// them from cellpose.org themselves, and a static host has no server at all).
import { isPackagedModelName, PACKAGED_MODELS } from 'cellscope/browser';
import type { ModelFile } from './protocol.js';

export type ModelStatus =
  'in the page' | 'ships with cellscope' | 'model cache' | 'download' | 'choose its file';

interface ServedModel {
  name: string;
  cached: boolean;
  sizeModel: boolean;
}

export class ModelSource {
  private readonly local = new Map<string, { weights: ArrayBuffer; size?: ArrayBuffer }>();
  private served = new Map<string, ServedModel>();
  private canDownload = false;

  /** Asks the view server which official models it has; quietly none without a server. */
  async refresh(): Promise<void> {
    try {
      const response = await fetch('api/models');
      if (!response.ok) return;
      const listing = (await response.json()) as { models: ServedModel[] };
      this.served = new Map(listing.models.map((m) => [m.name, m]));
      this.canDownload = true;
    } catch {
      this.served = new Map();
    }
  }

  add(name: string, weights: ArrayBuffer): void {
    this.local.set(name, { weights });
  }

  get localNames(): string[] {
    return [...this.local.keys()];
  }

  status(name: string): ModelStatus {
    if (this.local.has(name)) return 'in the page';
    if (isPackagedModelName(name)) return 'ships with cellscope';
    const served = this.served.get(name);
    if (served?.cached) return 'model cache';
    if (served && this.canDownload) return 'download';
    return 'choose its file';
  }

  /** The weights (and size model) of `name`, downloading them through the server if needed. */
  async get(name: string, report: (text: string) => void): Promise<ModelFile> {
    let found = this.local.get(name);
    if (!found && isPackagedModelName(name)) {
      // Served beside the app (vite.config.ts publishes the package's models/ folder).
      report(`loading ${name}…`);
      const { file, sizeModelFile } = PACKAGED_MODELS[name];
      const [weights, size] = await Promise.all(
        [file, sizeModelFile].map(async (url) => (await apiCall(url)).arrayBuffer()),
      );
      found = { weights, size };
      this.local.set(name, found);
    }
    if (!found) {
      const served = this.served.get(name);
      if (!served) {
        throw Object.assign(new Error(`the Cellpose model "${name}" has no weights in the page`), {
          hint: 'choose its .pth or .onnx file, or run the app with "cellscope view" to use the model cache',
        });
      }
      if (!served.cached) {
        report(`downloading ${name} (cellscope view)…`);
        await apiCall(`api/models/${name}/download`, { method: 'POST' });
        served.cached = true;
        served.sizeModel = true;
      }
      report(`loading ${name} from the model cache…`);
      const weights = await (await apiCall(`api/models/${name}/weights`)).arrayBuffer();
      const size = served.sizeModel
        ? await (await apiCall(`api/models/${name}/size`)).arrayBuffer()
        : undefined;
      found = { weights, size };
      this.local.set(name, found);
    }
    // Copies: the page keeps its own for the next run, the worker gets these.
    return { name, bytes: found.weights.slice(0), sizeBytes: found.size?.slice(0) };
  }
}

/** A view-server call; its JSON `{ error, hint }` becomes the error the page shows. */
async function apiCall(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as { error?: string; hint?: string };
  throw Object.assign(new Error(body.error ?? `${url} answered ${response.status}`), {
    hint: body.hint,
  });
}
