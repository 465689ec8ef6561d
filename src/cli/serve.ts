import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { startServer } from '../server.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the API, the tracker and the dashboard in one process (migrates the database first)')
    .action(async () => {
      const config = loadConfig();
      await startServer(config);
    });
}
