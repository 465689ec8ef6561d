import { readFileSync } from 'node:fs';

const LIST = new URL('./common-passwords.txt', import.meta.url);

let common: ReadonlySet<string> | undefined;

/**
 * Whether a password is among the 10,000 most common ones (common-passwords.txt), case ignored:
 * those are what guessing tries first, so they are refused at registration and at a password change
 * (NIST SP 800-63B). Read once, at the first check (about 90 KB).
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    readFileSync(LIST, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('# ')),
  );
  return common.has(password.toLowerCase());
}
