/**
 * Where a command writes: the process's stdout/stderr when run as `dmaengine`, strings when a
 * test runs the program in process (lib/cli/run.ts). Commands never touch process.stdout,
 * process.stderr or process.exitCode themselves.
 */
export interface CliIo {
  /** Normal output (stdout). */
  out(text: string): void;
  /** Diagnostics (stderr). */
  err(text: string): void;
  /** stderr as a stream for a progress bar; null when stderr is not a terminal (no bar). */
  progressStream: NodeJS.WriteStream | null;
  /** Whether stdout and the bar share a terminal (log lines must then go through the bar). */
  stdoutIsTTY: boolean;
  /** The status the command ends with: a command sets 1 when a test failed. */
  exitCode: number;
}

/** The real terminal's streams. */
export function processIo(): CliIo {
  return {
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
    progressStream: process.stderr.isTTY ? process.stderr : null,
    stdoutIsTTY: !!process.stdout.isTTY,
    exitCode: 0,
  };
}

/** Strings instead of streams, never a terminal. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => { io.stdout += text; },
    err: (text: string) => { io.stderr += text; },
    progressStream: null,
    stdoutIsTTY: false,
    exitCode: 0,
  };
  return io;
}
