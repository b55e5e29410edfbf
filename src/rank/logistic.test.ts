import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../eval/split.js';
import { fitLogistic, fitSoftmaxRanker, sigmoid } from './logistic.js';

/** Rows drawn from a known logistic model, so a fit has something true to recover. */
function synthetic(n: number, w: number[], b: number, seed = 7): { rows: number[][]; labels: number[] } {
  const rand = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = w.map(() => rand() * 2 - 1);
    const p = sigmoid(b + x.reduce((a, v, j) => a + v * (w[j] as number), 0));
    rows.push(x);
    labels.push(rand() < p ? 1 : 0);
  }
  return { rows, labels };
}

describe('fitLogistic (Newton / IRLS)', () => {
  it('recovers the weights that generated the data', () => {
    const truth = [2, -1.5, 0];
    const { rows, labels } = synthetic(20_000, truth, 0.5);
    const fit = fitLogistic(rows, labels, { l2: 0.01 });
    fit.weights.forEach((w, j) => expect(Math.abs(w - (truth[j] as number))).toBeLessThan(0.15));
    expect(Math.abs(fit.bias - 0.5)).toBeLessThan(0.1);
    expect(fit.iterations).toBeLessThan(20);
  });

  it('gives the same weights whatever the order of the rows (the optimum is unique)', () => {
    const { rows, labels } = synthetic(3_000, [1, -2], -0.3, 11);
    const a = fitLogistic(rows, labels);
    const order = rows.map((_, i) => i).reverse();
    const b = fitLogistic(order.map((i) => rows[i] as number[]), order.map((i) => labels[i] as number));
    a.weights.forEach((w, j) => expect(w).toBeCloseTo(b.weights[j] as number, 8));
  });

  it('stays finite on separable data thanks to the L2 penalty', () => {
    const rows = [[1], [2], [-1], [-2]];
    const fit = fitLogistic(rows, [1, 1, 0, 0], { l2: 1 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
  });
});

describe('fitSoftmaxRanker (listwise)', () => {
  it('learns which feature marks the right candidate within each group', () => {
    const rand = mulberry32(3);
    const groups = Array.from({ length: 400 }, () => {
      const rows = Array.from({ length: 8 }, () => [rand(), rand()]);
      // The right one has the largest first feature; the second feature is noise.
      const best = rows.reduce((bi, r, i) => ((r[0] as number) > ((rows[bi] as number[])[0] as number) ? i : bi), 0);
      return { rows, labels: rows.map((_, i) => (i === best ? 1 : 0)) };
    });
    const fit = fitSoftmaxRanker(groups, { l2: 0.1 });
    expect(fit.weights[0]).toBeGreaterThan(5);
    expect(Math.abs(fit.weights[1] as number)).toBeLessThan(1);
  });

  it('refuses data with no right candidate at all', () => {
    expect(() => fitSoftmaxRanker([{ rows: [[1], [2]], labels: [0, 0] }])).toThrow(/no group/u);
  });
});
