import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { serve } from '../cluster.ts';
import { tuneHeapGrowth } from '../heap-growth.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the API, the tracker and the dashboard (WORKERS processes on one port; migrates the database first)',
    )
    .action(async () => {
      tuneHeapGrowth();
      const config = loadConfig();
      await serve(config);
    });
}
