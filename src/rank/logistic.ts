/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares). The loss is convex, so the optimum is unique: the same rows give the same weights on
 * every machine, whatever their order — which is what makes `npm run train` reproducible.
 *
 * Why not a package: `ml-logistic-regression` (mljs) runs 50,000 full-batch gradient steps with no
 * intercept and no regularisation — minutes per fit on 100k rows and not converged. The linear
 * algebra here is ml-matrix's (mljs), the rest is the textbook update.
 */
import { Matrix, solve } from 'ml-matrix';

export interface FitOptions {
  /** L2 penalty on the weights (not the intercept). */
  l2?: number;
  maxIterations?: number;
  /** Stop when no weight moves more than this. */
  tolerance?: number;
  /** Per-row weights (e.g. to give each question the same total weight). */
  rowWeights?: number[];
}

export interface FittedLogistic {
  weights: number[];
  bias: number;
  iterations: number;
  /** Mean log-loss on the training rows at the optimum. */
  logLoss: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function fitLogistic(rows: number[][], labels: number[], opts: FitOptions = {}): FittedLogistic {
  const n = rows.length;
  if (n === 0) throw new Error('fitLogistic: no rows');
  const d = (rows[0] as number[]).length;
  const l2 = opts.l2 ?? 1;
  const rw = opts.rowWeights ?? rows.map(() => 1);
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-9;
  // Parameters: d weights then the intercept.
  let beta = new Array<number>(d + 1).fill(0);
  let it = 0;
  for (; it < maxIt; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Matrix.zeros(d + 1, d + 1);
    for (let i = 0; i < n; i++) {
      const x = rows[i] as number[];
      let z = beta[d] as number;
      for (let j = 0; j < d; j++) z += (beta[j] as number) * (x[j] as number);
      const p = sigmoid(z);
      const wi = rw[i] as number;
      const r = wi * ((labels[i] as number) - p);
      const s = wi * Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j <= d; j++) {
        const xj = j < d ? (x[j] as number) : 1;
        grad[j] = (grad[j] as number) + r * xj;
        if (xj === 0) continue;
        for (let k = j; k <= d; k++) {
          const xk = k < d ? (x[k] as number) : 1;
          if (xk !== 0) hess.set(j, k, hess.get(j, k) + s * xj * xk);
        }
      }
    }
    for (let j = 0; j < d; j++) {
      grad[j] = (grad[j] as number) - l2 * (beta[j] as number);
      hess.set(j, j, hess.get(j, j) + l2);
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hess.set(j, k, hess.get(k, j));
    const step = solve(hess, Matrix.columnVector(grad)).to1DArray();
    beta = beta.map((b, j) => b + (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < tol) {
      it++;
      break;
    }
  }
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const x = rows[i] as number[];
    let z = beta[d] as number;
    for (let j = 0; j < d; j++) z += (beta[j] as number) * (x[j] as number);
    const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(z)));
    loss -= (rw[i] as number) * ((labels[i] as number) ? Math.log(p) : Math.log(1 - p));
    wsum += rw[i] as number;
  }
  return { weights: beta.slice(0, d), bias: beta[d] as number, iterations: it, logLoss: loss / wsum };
}

/**
 * Conditional (softmax) logit over groups — a listwise ranker: within each group (a question's
 * candidates) P(i) = exp(w·xᵢ) / Σⱼ exp(w·xⱼ), fitted so the right candidates get the mass.
 * Only differences within a group matter, so it learns what tells the answering sentence from its
 * neighbours, which a pointwise fit spends on telling articles apart. Newton's method again: the
 * loss (mean over right candidates of −log P) is convex, the Hessian is the covariance of x under P.
 */
export function fitSoftmaxRanker(
  groups: { rows: number[][]; labels: number[]; weight?: number }[],
  opts: { l2?: number; maxIterations?: number; tolerance?: number } = {},
): { weights: number[]; iterations: number; logLoss: number } {
  const usable = groups.filter((g) => g.labels.some((l) => l === 1) && g.rows.length > 1);
  if (usable.length === 0) throw new Error('fitSoftmaxRanker: no group with a right candidate');
  const d = (usable[0]?.rows[0] as number[]).length;
  const l2 = opts.l2 ?? 1;
  const tol = opts.tolerance ?? 1e-9;
  let w = new Array<number>(d).fill(0);
  let it = 0;
  const probsAt = (rows: number[][], at: number[]): number[] => {
    const z = rows.map((x) => x.reduce((a, v, j) => a + v * (at[j] as number), 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };
  const probs = (rows: number[][]): number[] => probsAt(rows, w);
  /** Penalised loss, for the line search that keeps Newton steps from overshooting. */
  const lossAt = (at: number[]): number => {
    let loss = 0;
    for (const g of usable) {
      const p = probsAt(g.rows, at);
      const pos = p.filter((_, i) => g.labels[i] === 1);
      loss -= (g.weight ?? 1) * (pos.reduce((a, v) => a + Math.log(Math.max(v, 1e-300)), 0) / pos.length);
    }
    return loss + (l2 / 2) * at.reduce((a, v) => a + v * v, 0);
  };
  for (; it < (opts.maxIterations ?? 50); it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Matrix.zeros(d, d);
    for (const g of usable) {
      const gw = g.weight ?? 1;
      const p = probs(g.rows);
      const pos = g.rows.filter((_, i) => g.labels[i] === 1);
      const mean = new Array<number>(d).fill(0);
      g.rows.forEach((x, i) => x.forEach((v, j) => (mean[j] = (mean[j] as number) + (p[i] as number) * v)));
      for (let j = 0; j < d; j++) {
        const target = pos.reduce((a, x) => a + (x[j] as number), 0) / pos.length;
        grad[j] = (grad[j] as number) + gw * (target - (mean[j] as number));
      }
      g.rows.forEach((x, i) => {
        const pi = (p[i] as number) * gw;
        if (pi < 1e-12) return;
        for (let j = 0; j < d; j++) {
          const dj = (x[j] as number) - (mean[j] as number);
          if (dj === 0) continue;
          for (let k = j; k < d; k++) hess.set(j, k, hess.get(j, k) + pi * dj * ((x[k] as number) - (mean[k] as number)));
        }
      });
    }
    for (let j = 0; j < d; j++) {
      grad[j] = (grad[j] as number) - l2 * (w[j] as number);
      hess.set(j, j, hess.get(j, j) + l2);
      for (let k = 0; k < j; k++) hess.set(j, k, hess.get(k, j));
    }
    const full = solve(hess, Matrix.columnVector(grad)).to1DArray();
    const before = lossAt(w);
    let scale = 1;
    let next = w.map((b, j) => b + (full[j] as number));
    while (lossAt(next) > before && scale > 1e-4) {
      scale /= 2;
      next = w.map((b, j) => b + scale * (full[j] as number));
    }
    const moved = Math.max(...next.map((v, j) => Math.abs(v - (w[j] as number))));
    w = next;
    if (moved < tol) {
      it++;
      break;
    }
  }
  let loss = 0;
  let total = 0;
  for (const g of usable) {
    const p = probs(g.rows);
    const pos = p.filter((_, i) => g.labels[i] === 1);
    loss -= (g.weight ?? 1) * (pos.reduce((a, v) => a + Math.log(Math.max(v, 1e-12)), 0) / pos.length);
    total += g.weight ?? 1;
  }
  return { weights: w, iterations: it, logLoss: loss / total };
}
