import type { TopLevelSpec } from 'vega-lite';
import type { Table } from '../table/table.js';
import { boxByGroupSpec } from '../plot/box-by-group-spec.js';
import { cohensD } from '../stats/cohens-d.js';
import { describeSample } from '../stats/describe.js';
import { mannWhitneyU } from '../stats/mann-whitney-u.js';
import { rankBiserial } from '../stats/rank-biserial.js';
import { welchT } from '../stats/welch-t.js';

/** One measure compared across conditions: per-condition summaries and tests against the first. */
export interface ConditionComparison {
  measure: string;
  groups: { condition: string; n: number; mean: number; median: number; sd: number }[];
  /** Each later condition against the first (the reference), per cell. */
  tests: {
    condition: string;
    reference: string;
    mannWhitneyP: number;
    welchP: number;
    cohensD: number;
    rankBiserial: number;
  }[];
  spec: TopLevelSpec;
}

/**
 * Compares per-cell measures between the conditions of a combined table (its `condition`
 * column): box plots with every cell, and for each condition against the first one the
 * Mann–Whitney U and Welch t p-values with Cohen's d and the rank-biserial correlation. Cells
 * are the units here; with few images per condition, compare per-image means as well.
 */
export function compareConditions(
  combined: Table,
  measures: readonly { column: string; title: string }[],
): ConditionComparison[] {
  const conditionColumn = combined.columns.condition;
  if (!Array.isArray(conditionColumn)) return [];
  const conditions = [...new Set(conditionColumn.filter((c) => c !== ''))];
  if (conditions.length < 2) return [];
  const out: ConditionComparison[] = [];
  for (const { column, title } of measures) {
    const values = combined.columns[column];
    if (!(values instanceof Float64Array)) continue;
    const byCondition = conditions.map((condition) =>
      Array.from(values).filter((v, i) => conditionColumn[i] === condition && Number.isFinite(v)),
    );
    if (byCondition.some((g) => g.length < 2)) continue;
    const groups = byCondition.map((g, k) => {
      const d = describeSample(g);
      return { condition: conditions[k], n: d.n, mean: d.mean, median: d.median, sd: d.sd };
    });
    const reference = byCondition[0];
    const tests = byCondition.slice(1).map((g, k) => ({
      condition: conditions[k + 1],
      reference: conditions[0],
      mannWhitneyP: mannWhitneyU(g, reference).p,
      welchP: welchT(g, reference).p,
      cohensD: cohensD(g, reference),
      rankBiserial: rankBiserial(g, reference),
    }));
    const spec = boxByGroupSpec({
      groups: byCondition.map((g, k) => ({ name: conditions[k], values: g })),
      yTitle: title,
      xTitle: 'Condition',
      title: `${title} by condition`,
    });
    out.push({ measure: column, groups, tests, spec });
  }
  return out;
}
