/** One answered question of the report: a heading, the numbers, and its plots. */
export interface ReportSection {
  title: string;
  /** Short sentences or `label: value` lines with the numbers (n, means, medians, r, p). */
  lines: string[];
  /** Plots as SVG text (inlined) or PNG bytes (embedded as data URLs). */
  figures: { caption: string; svg?: string; png?: Uint8Array }[];
}

export interface ReportContent {
  title: string;
  /** When and from what the report was made. */
  subtitle: string;
  sections: ReportSection[];
  /** The config the run used, shown verbatim. */
  config: unknown;
  /** Tables shown as HTML (first rows). */
  tables?: { caption: string; columns: string[]; rows: (string | number)[][] }[];
}

const STYLE = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } .subtitle { color: #666; margin-top: 0; }
section { border-top: 1px solid #ddd; padding-top: 0.5rem; margin-top: 1.5rem; }
figure { display: inline-block; margin: 0.5rem 1rem 0.5rem 0; vertical-align: top; }
figure img, figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85rem; color: #555; }
ul.numbers { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.8rem; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
pre { background: #f6f6f6; padding: 0.75rem; overflow-x: auto; font-size: 0.8rem; }
`;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * A single self-contained HTML file: every figure inlined (SVG) or embedded (PNG data URL), no
 * external scripts, styles or fonts, so it can be mailed or archived as one file.
 */
export function renderReport(content: ReportContent): string {
  const figure = (f: ReportSection['figures'][number]): string => {
    const body = f.svg
      ? f.svg.replace(/^<\?xml[^>]*>\s*/, '')
      : `<img alt="${escapeHtml(f.caption)}" src="data:image/png;base64,${Buffer.from(f.png ?? []).toString('base64')}">`;
    return `<figure>${body}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`;
  };
  const sections = content.sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.title)}</h2>` +
        (s.lines.length
          ? `<ul class="numbers">${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
          : '') +
        s.figures.map(figure).join('') +
        '</section>',
    )
    .join('\n');
  const tables = (content.tables ?? [])
    .map(
      (t) =>
        `<section><h2>${escapeHtml(t.caption)}</h2><table><tr>${t.columns
          .map((c) => `<th>${escapeHtml(c)}</th>`)
          .join('')}</tr>${t.rows
          .map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(String(v))}</td>`).join('')}</tr>`)
          .join('')}</table></section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(content.title)}</h1>
<p class="subtitle">${escapeHtml(content.subtitle)}</p>
${sections}
${tables}
<section><h2>Config</h2><pre>${escapeHtml(JSON.stringify(content.config, null, 2))}</pre></section>
</body></html>
`;
}
