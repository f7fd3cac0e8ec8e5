/**
 * The kernel log as dmatest's results arrive in it: /dev/kmsg, one record per read(). Opened
 * non-blocking (a read at the end would otherwise block for ever) and drained at open, so only
 * records logged after the run began are returned: old runs' lines never mix in.
 */
import fs from 'node:fs';

export interface KernelLogSource {
  /** Messages logged since the source was opened (or last read), without record headers. */
  read(): string[];
  close(): void;
}

function drain(fd: number): string[] {
  const out: string[] = [];
  const buf = Buffer.alloc(8192);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') break;
      if (code === 'EPIPE') continue; // records overwritten while we read: go on with the next
      throw err;
    }
    if (n === 0) break;
    const rec = buf.toString('utf8', 0, n);
    // "<level>,<seq>,<usec>,<flags>[,…];<message>\n[ continuation lines]"
    const semi = rec.indexOf(';');
    const msg = rec.slice(semi + 1).split('\n')[0];
    out.push(msg);
  }
  return out;
}

/** Opens /dev/kmsg (or `file`) positioned after every record already logged. */
export function openKmsg(file = '/dev/kmsg'): KernelLogSource {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`cannot open ${file} (${code}): reading dmatest's results needs the kernel log`), { code });
  }
  drain(fd);
  return {
    read: () => drain(fd),
    close: () => fs.closeSync(fd),
  };
}
