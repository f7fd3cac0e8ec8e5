/**
 * The progress bar of the long commands (dmatest, raid6test): on stderr, only when stderr is a
 * terminal, with the expected total known up front. Log lines printed meanwhile go through the
 * bar when stdout shares its terminal (written above it, the bar redrawn below), so they never
 * print over it; with stdout redirected they go straight to stdout.
 */
import type { CliIo } from './io';

export interface Progress {
  /** The expected total, once known (the bar starts at 1), and what it counts. */
  setTotal(total: number, unit?: string): void;
  /** Done so far (of the total). */
  update(done: number): void;
  /** One line of normal output (no trailing newline). */
  log(line: string): void;
  /** Removes the bar; lines still buffered are written first. */
  stop(): void;
}

/** A bar counting to `total` (at least 1) when `io` has a terminal for it; plain output else. */
export async function startProgress(io: CliIo, label: string, total = 1): Promise<Progress> {
  const stream = io.progressStream;
  if (stream === null) {
    return { setTotal: () => undefined, update: () => undefined, log: (line) => io.out(line + '\n'), stop: () => undefined };
  }
  const { MultiBar, Presets } = await import('cli-progress');
  const bars = new MultiBar({
    format: `${label} [{bar}] {value}/{total} {unit} | {duration_formatted}`,
    stream, clearOnComplete: true, hideCursor: true,
  }, Presets.shades_classic);
  let max = Math.max(1, total);
  const bar = bars.create(max, 0, { unit: 'tests' });
  let stopped = false;
  return {
    setTotal: (n, unit = 'tests') => {
      max = Math.max(1, n);
      if (!stopped) { bar.setTotal(max); bar.update({ unit }); }
    },
    update: (done) => { if (!stopped) bar.update(Math.min(done, max)); },
    log: (line) => {
      if (stopped || !io.stdoutIsTTY) io.out(line + '\n');
      else bars.log(line + '\n');
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      // stop() alone would drop lines logged since the last redraw: flush them first.
      bars.update();
      bars.stop();
    },
  };
}
