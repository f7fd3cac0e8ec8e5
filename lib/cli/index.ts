#!/usr/bin/env node
/**
 * The `dmaengine` command: one subcommand per file under lib/cli/. `runProgram` runs it on given
 * arguments and streams (lib/cli/io.ts), so tests call it in process; as `dmaengine` it runs on
 * the process's own.
 */
import { Command, CommanderError } from 'commander';
import { captureIo, processIo, type CliIo } from './io';
import { registerInfo } from './info';
import { registerList } from './list';
import { registerDmatest } from './dmatest';
import { registerRaid6test } from './raid6test';
import { registerBridge } from './bridge';
import { registerBench } from './bench';

export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command();
  program
    .name('dmaengine')
    .description("The Linux kernel's DMA offload model for Node.js")
    // package.json sits outside tsc's rootDir, so it is read at run time, not imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .version(require('../../package.json').version)
    // Set before the subcommands are added, which inherit both.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerInfo(program, io);
  registerList(program, io);
  registerDmatest(program, io);
  registerRaid6test(program, io);
  registerBridge(program, io);
  registerBench(program, io);
  return program;
}

/**
 * Runs the command on `argv` (the arguments after `dmaengine`) and returns its exit status:
 * 0, 1 when a test failed or a command threw (`dmaengine: <message>` on stderr), or commander's
 * own status for a usage error (its message already written).
 */
export async function runProgram(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return io.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`dmaengine: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** In process, output captured: for tests and embedding. */
export async function runCli(argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const status = await runProgram(argv, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

if (require.main === module) {
  void runProgram(process.argv.slice(2)).then((status) => { process.exitCode = status; });
}
