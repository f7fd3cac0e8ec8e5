/**
 * `--svg FILE`: throughput against block size, one panel per operation, one line per series
 * (engine or baseline), a shared legend and a title; size on a log axis, GB/s on a linear axis
 * from 0. Plain SVG 1.1 written by hand: no plotting dependency.
 *
 * Structure (what tests parse): `<g class="panel" data-op="…">` per operation, holding one
 * `<path class="series" data-series="…">` per series that has figures for that operation,
 * `<text class="axis-label">` for both axes; `<g class="legend">` with one entry per series.
 */
import type { BenchResult } from './run';
import { OP_LABELS, sizeName } from './sweep';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const PANEL_W = 440;
const PANEL_H = 300;
const M = { left: 58, right: 16, top: 34, bottom: 50 };
const COLS = 2;
const HEADER = 70;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step for about 5 ticks up to `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** The SVG document. */
export function formatBenchSvg(r: BenchResult): string {
  const ops = r.options.ops;
  const sizes = [...r.options.sizes].sort((a, b) => a - b);
  const series = r.series.filter((s) => r.figures.some((f) => f.series === s.id));
  const color = new Map(series.map((s, i) => [s.id, PALETTE[i % PALETTE.length]!]));
  const rows = Math.ceil(ops.length / COLS);
  const width = COLS * PANEL_W;
  const height = HEADER + rows * PANEL_H;
  const lo = Math.log2(sizes[0]!) - (sizes.length === 1 ? 1 : 0.3);
  const hi = Math.log2(sizes[sizes.length - 1]!) + (sizes.length === 1 ? 1 : 0.3);
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(
    `dmaengine bench: throughput against block size (GB/s of data in, medians of ${r.options.rounds})`)}</text>`);
  out.push(`<text x="${width / 2}" y="37" text-anchor="middle" fill="#555">${esc(`${r.machine.cpu}, ${r.machine.cpus} CPUs, Node ${r.machine.node}`)}</text>`);
  out.push('<g class="legend">');
  let lx = 10;
  series.forEach((s) => {
    const w = 30 + s.label.length * 6.2;
    if (lx + w > width) lx = 10;
    out.push(`<g class="legend-entry" data-series="${esc(s.id)}"><line x1="${lx}" y1="56" x2="${lx + 20}" y2="56" stroke="${color.get(s.id)}" stroke-width="2.5"/>` +
      `<text x="${lx + 25}" y="60">${esc(s.label)}</text></g>`);
    lx += w;
  });
  out.push('</g>');

  ops.forEach((op, i) => {
    const ox = (i % COLS) * PANEL_W;
    const oy = HEADER + Math.floor(i / COLS) * PANEL_H;
    const pw = PANEL_W - M.left - M.right;
    const ph = PANEL_H - M.top - M.bottom;
    const figs = r.figures.filter((f) => f.op === op);
    const maxG = Math.max(1e-9, ...figs.map((f) => f.gbps));
    const step = niceStep(maxG);
    const top = Math.ceil(maxG / step) * step;
    const x = (len: number): number => ox + M.left + ((Math.log2(len) - lo) / (hi - lo)) * pw;
    const y = (g: number): number => oy + M.top + ph - (g / top) * ph;
    out.push(`<g class="panel" data-op="${op}">`);
    out.push(`<text x="${ox + M.left + pw / 2}" y="${oy + 20}" text-anchor="middle" font-size="13" font-weight="bold">${esc(OP_LABELS[op])}</text>`);
    out.push(`<rect x="${ox + M.left}" y="${oy + M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    for (let g = 0; g <= top + step / 2; g += step) {
      const yy = y(g).toFixed(1);
      out.push(`<line x1="${ox + M.left}" y1="${yy}" x2="${ox + M.left + pw}" y2="${yy}" stroke="#e5e5e5"/>` +
        `<text x="${ox + M.left - 5}" y="${yy}" text-anchor="end" dominant-baseline="middle">${+g.toPrecision(6)}</text>`);
    }
    for (const len of sizes) {
      const xx = x(len).toFixed(1);
      out.push(`<line x1="${xx}" y1="${oy + M.top}" x2="${xx}" y2="${oy + M.top + ph}" stroke="#eeeeee"/>` +
        `<text x="${xx}" y="${oy + M.top + ph + 15}" text-anchor="middle">${esc(sizeName(len))}</text>`);
    }
    out.push(`<text class="axis-label" x="${ox + M.left + pw / 2}" y="${oy + PANEL_H - 12}" text-anchor="middle">block size (log scale)</text>`);
    out.push(`<text class="axis-label" x="${ox + 16}" y="${oy + M.top + ph / 2}" text-anchor="middle" transform="rotate(-90 ${ox + 16} ${oy + M.top + ph / 2})">GB/s</text>`);
    for (const s of series) {
      const pts = figs.filter((f) => f.series === s.id).sort((a, b) => a.len - b.len);
      if (pts.length === 0) continue;
      const d = pts.map((f, k) => `${k === 0 ? 'M' : 'L'}${x(f.len).toFixed(1)},${y(f.gbps).toFixed(1)}`).join(' ');
      out.push(`<path class="series" data-series="${esc(s.id)}" d="${d}" fill="none" stroke="${color.get(s.id)}" stroke-width="2"/>`);
      for (const f of pts) {
        out.push(`<circle cx="${x(f.len).toFixed(1)}" cy="${y(f.gbps).toFixed(1)}" r="2.5" fill="${color.get(s.id)}"><title>${esc(
          `${s.label}, ${sizeName(f.len)}: ${f.gbps.toFixed(2)} GB/s`)}</title></circle>`);
      }
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
