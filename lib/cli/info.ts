/** `dmaengine info`: CPU features, kernel variants measured and chosen, channels available. */
import type { Command } from 'commander';
import { machineInfo, formatKernelLines, formatChannelLines } from '../info';
import type { CliIo } from './io';

export function registerInfo(program: Command, io: CliIo): void {
  program
    .command('info')
    .description('CPU features, every kernel variant measured and the one chosen, software channels')
    .option('--json', 'print the structured result')
    .action((opts: { json?: boolean }) => {
      const info = machineInfo();
      if (opts.json) {
        io.out(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      io.out([...formatKernelLines(info), ...formatChannelLines(info)].join('\n') + '\n');
    });
}
