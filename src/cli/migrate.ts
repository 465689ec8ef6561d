import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openStorage } from '../storage/open-database.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const storage = openStorage(loadConfig().databaseUrl);
      try {
        const applied = await storage.migrate();
        console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      } finally {
        await storage.close();
      }
    });
}
