/**
 * A fake /sys/module/dmatest/parameters for the bridge's unit tests: it answers writes the way
 * the modern module does (spec §4.2–4.3: EBUSY for a pending channel, EINVAL for an unknown
 * name, "No channels configured" on run=1 with none, Added/Started/summary lines) and records
 * every write, so tests can check the order. The real module is tested in the kernel lane.
 */
import { resultLine, summaryLine, addedLine, startedLine, NO_CHANNELS_LINE, threadName } from '../../lib/dmatest/log-format';
import type { SysfsIo } from '../../lib/dmatest/kernel-bridge';
import type { KernelLogSource } from '../../lib/dmatest/kmsg';

export class FakeDmatestModule {
  readonly writes: [string, string][] = [];
  readonly values = new Map<string, string>();
  private log: string[] = ['dmatest: an old line from a previous run'];
  private pending: string[] = [];
  private readPos = 0;
  /** channel name → in_use; only in_use 0 channels can be taken. */
  constructor(readonly channels: Record<string, number>, readonly failEvery = 0, readonly denyWrites = false) {
    this.values.set('run', 'N');
  }

  private err(code: string): Error {
    return Object.assign(new Error(code), { code });
  }

  io(): SysfsIo {
    return {
      exists: (f) => f === '/fake/params' || f.startsWith('/fake/params/') || f.startsWith('/fake/dma'),
      readdir: (d) => (d === '/fake/dma' ? Object.keys(this.channels) : []),
      readFile: async (f) => this.values.get(f.split('/').pop()!) ?? '',
      writeFile: async (f, data) => {
        const name = f.split('/').pop()!;
        if (this.denyWrites) throw this.err('EACCES');
        this.writes.push([name, data]);
        if (name === 'channel') {
          if (this.pending.includes(data)) throw this.err('EBUSY');
          if (!(data in this.channels) || this.channels[data] > 0) throw this.err('EINVAL');
          this.pending.push(data);
          this.log.push(addedLine(1, data));
        } else if (name === 'run' && data === '1') {
          if (this.pending.length === 0) {
            this.log.push(NO_CHANNELS_LINE);
            this.pending = Object.keys(this.channels).filter((c) => this.channels[c] === 0);
            for (const c of this.pending) this.log.push(addedLine(1, c));
          }
          this.runAll();
        } else {
          this.values.set(name, data);
        }
      },
    };
  }

  logSource(): () => KernelLogSource {
    return () => {
      this.readPos = this.log.length; // opened after the old lines
      return {
        read: () => { const out = this.log.slice(this.readPos); this.readPos = this.log.length; return out; },
        close: () => {},
      };
    };
  }

  private runAll(): void {
    const iterations = Number(this.values.get('iterations') ?? '0') || 5;
    for (const c of this.pending) this.log.push(startedLine(1, c));
    for (const c of this.pending) {
      const t = threadName(c, this.values.get('dmatest') === '1' ? 'set' : 'copy', 0);
      let failures = 0;
      for (let n = 1; n <= iterations; n++) {
        if (this.failEvery && n % this.failEvery === 0) {
          failures++;
          this.log.push(resultLine(t, n, 'data error', 0, 0, 0x100, 3));
        }
      }
      this.log.push(summaryLine(t, iterations, failures, 1000n, BigInt(iterations) * 4096n, 0));
    }
    this.pending = [];
  }
}
