import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import * as espree from 'espree';

/**
 * The layers (ARCHITECTURE.md, "Layers"): routes → http → modules → storage / intel → detection. An
 * import may only go down. Imports in src/ are relative and written out (`../../modules/clicks/visitor.ts`),
 * so the rule matches the specifier's text: a folder of src/ is reached by climbing with `../` and then
 * naming it (modules, routes, http are names used once in src/), and "outside detection" is as many `../`
 * as the file sits deep in it. Type imports count too: a type is a dependency on the layer that owns it.
 * Each file matches at most one block below: in flat config a later block's setting of a rule replaces
 * an earlier one's for the files both match, it does not add to it. test/lint/layers.test.ts plants an
 * import in each restricted folder and checks these patterns still catch it.
 */
const restrict = (patterns, paths = []) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});
const upTo = (folders, why) => ({ regex: `^(\\.\\./)+(${folders.join('|')})/`, message: why });
const STORAGE = 'storage is below modules and the HTTP layers: it serves them and never imports them.';
const NO_DATABASE = 'routes never touch the database: they call a service.';
/** What the pure detection layer must never reach for: I/O and frameworks. */
const IO_PACKAGES = ['kysely', 'fastify', 'ioredis', 'pg', 'better-sqlite3'].map((name) => ({
  name,
  message: 'detection is pure: no I/O, no framework. The caller gathers what a rule needs and passes it in.',
}));
const layers = [
  // detection: nothing outside itself, at whatever depth the file sits.
  ...['src/detection/*.ts', 'src/detection/*/*.ts', 'src/detection/*/*/*.ts'].map((files, depth) => ({
    files: [files],
    rules: restrict(
      [
        {
          regex: `^(\\.\\./){${depth + 1}}`,
          message: 'detection imports nothing outside src/detection/ (it owns the types it judges, Visitor included).',
        },
      ],
      IO_PACKAGES,
    ),
  })),
  {
    files: ['src/storage/**/*.ts'],
    ignores: ['src/storage/database.ts', 'src/storage/migrations/**'],
    rules: restrict([upTo(['modules', 'routes', 'http'], STORAGE)]),
  },
  {
    // The one exception: the Database interface collects the tables' row types from the features that
    // declare them (kysely's example/src/database.ts), types only, erased at run time.
    files: ['src/storage/database.ts'],
    rules: restrict([
      upTo(['routes', 'http'], STORAGE),
      { regex: '^\\.\\./modules/(?!.*\\.table\\.ts$)', message: `only the *.table.ts row types: ${STORAGE}` },
      { regex: '^\\.\\./modules/.*\\.table\\.ts$', allowTypeImports: true, message: 'row types only (import type).' },
    ]),
  },
  {
    // Frozen migrations: their own constants and SQL, the dialect adapter, nothing else of today's code.
    files: ['src/storage/migrations/**/*.ts'],
    rules: restrict([
      {
        regex: '^\\.\\./(?!dialect-adapter\\.ts$)',
        message:
          'a migration is frozen: it carries its own constants and SQL and imports no live code (only ../dialect-adapter.ts).',
      },
    ]),
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: restrict([upTo(['routes', 'http'], 'modules are below the HTTP layers: a route or plugin calls them.')]),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: restrict([upTo(['routes'], 'http plugins are below the routes that register on them.')]),
  },
  {
    files: ['src/intel/**/*.ts'],
    rules: restrict([upTo(['modules', 'routes', 'http'], 'intel is below modules and the HTTP layers.')]),
  },
  {
    files: ['src/routes/**/*.ts'],
    rules: restrict(
      [
        { regex: '\\.repository(\\.ts)?$', message: 'routes call services, never repositories.' },
        { regex: '^kysely/', message: NO_DATABASE },
        { regex: '/storage/database\\.ts$', message: NO_DATABASE },
      ],
      [{ name: 'kysely', message: NO_DATABASE }],
    ),
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'web/dist', 'dist', 'coverage', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Type-aware checks where they pay: a promise nobody awaits loses its rejection (an unhandled rejection
    // ends the process), and an async callback where a void one is expected hides its errors the same way.
    // Test files are left out: node:test's test()/describe() return promises the runner awaits itself.
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}', 'bench/**/*.ts', 'test/helpers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The lander tag runs on other people's pages in browsers of the last five years: plain ES5 in a script,
    // parsed as ES5 so a newer syntax cannot slip in, with only the browser's globals.
    files: ['src/tag/**/*.js'],
    languageOptions: {
      parser: espree,
      ecmaVersion: 5,
      sourceType: 'script',
      // Uint8Array and Intl come later than ES5: the tag feature-tests them before use.
      globals: { ...globals.browser, Uint8Array: 'readonly', Intl: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'none' }],
      // Type-aware rules need typescript-eslint's parser; this file has no types to check.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'src/**/*.mjs', 'examples/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    // The dashboard: browser code, with React's hook rules (and the compiler's purity checks).
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  ...layers,
);
