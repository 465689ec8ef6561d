import { Option, type Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openStorage } from '../storage/open-database.ts';
import { createAccountService, type AccountService } from '../modules/accounts/account.service.ts';
import { createTokenSigner } from '../modules/accounts/token.ts';
import { PLANS } from '../modules/accounts/account.enums.ts';
import type { Plan } from '../modules/accounts/user.table.ts';
import { validationError } from '../errors.ts';

async function withAccounts(run: (accounts: AccountService) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const storage = openStorage(config.databaseUrl, { sqliteCacheMb: config.sqliteCacheMb });
  try {
    await storage.migrate();
    await run(createAccountService({ db: storage.db, tokens: createTokenSigner(config.jwtSecret) }));
  } finally {
    await storage.close();
  }
}

const planOption = () => new Option('--plan <plan>', 'starter, professional or enterprise').choices(PLANS);

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage accounts');
  users
    .command('create')
    .description('create an account')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--password <password>', 'at least 8 characters')
    .addOption(planOption().default('starter'))
    .action(async (options: { email: string; password: string; plan: Plan }) => {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email))
        throw validationError('email', `"${options.email}" is not an email address`);
      if (options.password.length < 8) throw validationError('password', 'the password must be at least 8 characters');
      await withAccounts(async (accounts) => {
        const account = await accounts.createUser(options.email, options.password, options.plan);
        console.log(`created user ${account.id} <${account.email}> on the ${account.plan} plan`);
      });
    });
  users
    .command('set-plan')
    .description("change an account's plan")
    .requiredOption('--email <email>', 'the account')
    .addOption(planOption().makeOptionMandatory())
    .action(async (options: { email: string; plan: Plan }) => {
      await withAccounts(async (accounts) => {
        const account = await accounts.setPlan(options.email, options.plan);
        console.log(`${account.email} is now on the ${account.plan} plan`);
      });
    });
}
