/** `dmaengine info`: CPU features, kernel variants measured and chosen, channels available. */
import type { Command } from 'commander';
import { machineInfo, formatKernelLines, formatChannelLines } from '../info';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('CPU features, every kernel variant measured and the one chosen, software channels')
    .option('--json', 'print the structured result')
    .action((opts: { json?: boolean }) => {
      const info = machineInfo();
      if (opts.json) {
        process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      process.stdout.write([...formatKernelLines(info), ...formatChannelLines(info)].join('\n') + '\n');
    });
}
