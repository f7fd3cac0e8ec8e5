#!/usr/bin/env node
/**
 * The `dmaengine` command: one subcommand per file under lib/cli/.
 */
import { Command } from 'commander';
import { registerInfo } from './info';
import { registerList } from './list';
import { registerDmatest } from './dmatest';
import { registerRaid6test } from './raid6test';
import { registerBench } from './bench';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dmaengine')
    .description("The Linux kernel's DMA offload model for Node.js")
    // package.json sits outside tsc's rootDir, so it is read at run time, not imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .version(require('../../package.json').version);
  registerInfo(program);
  registerList(program);
  registerDmatest(program);
  registerRaid6test(program);
  registerBench(program);
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`dmaengine: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
