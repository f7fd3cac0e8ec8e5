// Child of test/11.engine.thread-policy.test.ts: starts one soft engine (or a soft device)
// with the options in argv[2], makes every worker run a descriptor (so each has applied its
// scheduling policy, which it does when it starts), then prints the dmae-* threads'
// niceness and policy as /proc reports them, as one JSON line.
import fs from 'node:fs';
import { SoftEngine } from '../../lib/engine';
import { registerSoftDevice } from '../../lib/providers/soft';
import { dmaAsyncDeviceUnregister } from '../../lib/dmaengine';

interface ThreadSched { name: string; nice: number; policy: number }

function threads(): ThreadSched[] {
  const out: ThreadSched[] = [];
  for (const t of fs.readdirSync('/proc/self/task')) {
    const name = fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim();
    if (!name.startsWith('dmae-')) continue;
    const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
    // Fields after "(comm) ": state is field 3, nice field 19, policy field 41.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ name, nice: Number(f[19 - 3]), policy: Number(f[41 - 3]) });
  }
  return out;
}

async function viaEngine(opts: Record<string, unknown>): Promise<void> {
  const eng = new SoftEngine({ channels: 2, ...opts });
  let left = 2;
  const done = new Promise<void>((resolve) => {
    eng.onComplete = (b) => { left -= b.count; if (left === 0) resolve(); };
  });
  for (let c = 0; c < 2; c++) {
    eng.submit(c, { op: 'interrupt' });
    eng.issuePending(c);
  }
  await done;
  process.stdout.write(JSON.stringify(threads()) + '\n');
  eng.close();
}

function viaDevice(opts: Record<string, unknown>): void {
  const dev = registerSoftDevice({ name: 'policy-child', channels: 1, ...opts });
  const eng = dev.engine;  // the device's engine, started here (no channel needed)
  eng.onComplete = () => {
    process.stdout.write(JSON.stringify(threads()) + '\n');
    dmaAsyncDeviceUnregister(dev);
  };
  eng.submit(0, { op: 'interrupt' });
  eng.issuePending(0);
}

const [mode, json] = process.argv.slice(2);
const opts = JSON.parse(json ?? '{}') as Record<string, unknown>;
if (mode === 'device') viaDevice(opts);
else void viaEngine(opts);
