import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { registerServe } from './serve.ts';
import { registerMigrate } from './migrate.ts';
import { registerUsers } from './users.ts';
import { registerIntel } from './intel.ts';
import { registerDemo } from './demo.ts';

const program = new Command('cloakradar')
  .description('Self-hosted click tracker with invalid-traffic protection')
  .showHelpAfterError()
  .exitOverride();
registerServe(program);
registerMigrate(program);
registerUsers(program);
registerIntel(program);
registerDemo(program);

try {
  await program.parseAsync(process.argv.slice(2).length === 0 ? [...process.argv, 'serve'] : process.argv);
} catch (error) {
  // A user's mistake is one clear line and a non-zero exit, never a stack trace.
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`cloakradar: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
