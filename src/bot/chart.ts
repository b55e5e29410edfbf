/**
 * Questions per day as a PNG bar chart for admin `/report` (sent with sendPhoto): bars are the
 * questions of each day, their red part the refused ones. The SVG is built here from numbers only
 * (digits and dates — no text needing a CJK font) and rasterised by resvg (`@resvg/resvg-js`: Rust
 * resvg as a prebuilt Node addon, no system libraries such as cairo).
 */
import { Resvg } from '@resvg/resvg-js';

export interface DayCount {
  day: string;
  questions: number;
  refused: number;
}

const W = 960;
const H = 400;
const PAD = { left: 48, right: 24, top: 28, bottom: 44 };
export const CHART_COLORS = { questions: '#2b6cb0', refused: '#e53e3e' } as const;

/** The chart as SVG text (exposed for tests and for operators who want a vector file). */
export function perDaySvg(days: readonly DayCount[]): string {
  const max = Math.max(1, ...days.map((d) => d.questions));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / Math.max(1, days.length);
  const labelEvery = Math.ceil(days.length / 12);
  const y = (n: number) => PAD.top + plotH - (plotH * n) / max;
  const parts: string[] = [];
  days.forEach((d, i) => {
    const x = PAD.left + i * bw + bw * 0.15;
    const w = Math.max(1, bw * 0.7);
    const r = Math.min(d.refused, d.questions);
    if (d.questions > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y(d.questions).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(0) - y(d.questions)).toFixed(1)}" fill="${CHART_COLORS.questions}"/>`);
    if (r > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y(r).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(0) - y(r)).toFixed(1)}" fill="${CHART_COLORS.refused}"/>`);
    if (d.questions > 0 && days.length <= 31) parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${(y(d.questions) - 6).toFixed(1)}" font-size="13" text-anchor="middle" fill="#333">${d.questions}</text>`);
    if (i % labelEvery === 0) parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${H - PAD.bottom + 20}" font-size="13" text-anchor="middle" fill="#333">${d.day.slice(5)}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${PAD.left}" y="18" font-size="13" fill="#333">max ${max}/day</text>`,
    ...parts,
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${W - PAD.right}" y2="${y(0)}" stroke="#333"/>`,
    `</svg>`,
  ].join('');
}

/** PNG bytes of {@link perDaySvg}. */
export function perDayPng(days: readonly DayCount[]): Buffer {
  return new Resvg(perDaySvg(days), { font: { loadSystemFonts: true }, background: '#ffffff' }).render().asPng();
}
