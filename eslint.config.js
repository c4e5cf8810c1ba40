// ESLint 9 flat config: typescript-eslint's recommended rules and the layer table. The type-aware
// rules (typescript-eslint's recommended-type-checked ones) run in oxlint (.oxlintrc.json), on
// TypeScript 7: a fifth of their CPU time here. `npm run lint` runs both over everything; `npm test`
// lints only the paths in LINT_PATHS (scripts/test.sh).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import boundaries from 'eslint-plugin-boundaries'

/**
 * The layer table of ARCHITECTURE.md: each layer and the layers it may import (besides itself).
 * `npm run lint` fails on any other import between them; change this table and ARCHITECTURE.md together.
 */
const LAYERS = {
  app: ['config', 'logging', 'shared', 'texts', 'database', 'domain', 'delivery-contract', 'delivery', 'ingress', 'bots', 'operations', 'assistant'],
  logging: [],
  shared: [],
  texts: [],
  config: ['shared', 'logging', 'texts'],
  database: ['shared', 'config'],
  domain: ['shared', 'config', 'logging', 'texts', 'database', 'delivery-contract'],
  'delivery-contract': ['shared', 'database', 'delivery'],
  delivery: ['shared', 'config', 'logging', 'database', 'delivery-contract'],
  'delivery-admin': ['shared', 'database', 'delivery-contract', 'delivery'],
  ingress: ['shared', 'config', 'logging', 'database', 'bots'],
  bots: ['shared', 'config', 'logging', 'texts', 'database', 'domain', 'delivery-contract', 'delivery-admin', 'ingress'],
  operations: ['shared', 'config', 'logging', 'texts', 'database', 'domain', 'delivery-contract', 'delivery-admin', 'delivery', 'ingress', 'bots'],
  cli: ['shared', 'config', 'logging', 'texts', 'database', 'domain', 'delivery-contract', 'delivery-admin', 'delivery', 'ingress', 'bots', 'operations', 'assistant'],
  assistant: ['shared', 'config', 'logging', 'texts', 'database', 'domain', 'delivery-contract'],
  simulator: ['demo'],
  demo: ['app', 'shared', 'config', 'logging', 'texts', 'database', 'domain', 'delivery-contract', 'operations', 'simulator', 'assistant'],
  tests: [
    'app',
    'logging',
    'shared',
    'texts',
    'config',
    'database',
    'domain',
    'delivery-contract',
    'delivery-admin',
    'delivery',
    'ingress',
    'bots',
    'operations',
    'cli',
    'simulator',
    'demo',
    'assistant',
  ],
}

/** What delivery publishes to the domain: the job vocabulary, addresses, the outbox's write side and the outcome port. */
const DELIVERY_CONTRACT = ['src/delivery/jobs.ts', 'src/delivery/destination.ts', 'src/delivery/queue.ts', 'src/delivery/waiting-edits.ts', 'src/delivery/sends-in-flight.ts', 'src/delivery/hooks.ts']

/**
 * A hand-written project filter (`eq(x.projectId, …)`, `inArray(x.projectId, …)`): statements are
 * limited to a project through `inProject` / `inProjects` (src/db/project-scope.ts) only.
 */
const PROJECT_FILTER = {
  selector: "CallExpression[callee.name=/^(eq|inArray)$/][arguments.0.property.name='projectId']",
  message: 'A statement is limited to its project with inProject(table, project, …conditions) (src/db/project-scope.ts), not a hand-written eq(x.projectId, …).',
}

/** A `projectId` written into an insert's `values(…)` literal: new rows name their project through `projectRow` (same file). */
const PROJECT_ROW = {
  selector: "CallExpression[callee.property.name='values'] ObjectExpression > Property[key.name='projectId']",
  message: 'A new row names its project with projectRow(table, project, values) (src/db/project-scope.ts), not a projectId in the values literal.',
}

/** Modules the domain never imports: it knows no Telegram library. */
const NOT_IN_DOMAIN = ['grammy', 'grammy/**', '@grammyjs/**']

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'migrations/', '.data/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names mark parameters kept for a signature (handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Stripping control characters from user text is what those regular expressions are for.
      'no-control-regex': 'off',
    },
  },
  // Layers (the table above): each file of src/ belongs to exactly one layer (its first matching
  // pattern). The TypeScript resolver maps `./x.js` to `./x.ts`; an import that resolves to no file,
  // or to a file of no layer, is an error (`checkUnknownLocals`, `no-unknown-*`): nothing is skipped.
  // Checked on src/ only: tests, benches and scripts may import every layer (resolving their imports
  // was two thirds of the lint's time), and tsc fails an import that resolves to nothing.
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      // Layers are files as well as folders (src/app.ts, the delivery contract): `mode: 'full'` matches
      // the whole path, which the plugin's v7 marks as legacy (its replacement matches folders only).
      'boundaries/legacy-warnings': false,
      'boundaries/elements': [
        { type: 'app', mode: 'full', pattern: ['src/app.ts', 'src/app-ingress.ts', 'src/app-assistant.ts', 'src/main.ts'] },
        { type: 'logging', mode: 'full', pattern: ['src/logger.ts', 'src/log-content.ts', 'src/redaction.ts'] },
        { type: 'shared', mode: 'full', pattern: 'src/shared/**' },
        { type: 'texts', mode: 'full', pattern: 'src/texts/**' },
        { type: 'config', mode: 'full', pattern: 'src/config/**' },
        { type: 'database', mode: 'full', pattern: 'src/db/**' },
        { type: 'domain', mode: 'full', pattern: 'src/domain/**' },
        { type: 'delivery-contract', mode: 'full', pattern: DELIVERY_CONTRACT },
        { type: 'delivery-admin', mode: 'full', pattern: 'src/delivery/dead-letters.ts' },
        { type: 'delivery', mode: 'full', pattern: 'src/delivery/**' },
        { type: 'ingress', mode: 'full', pattern: ['src/bots/ingress/**', 'src/server/webhook-server.ts'] },
        { type: 'bots', mode: 'full', pattern: 'src/bots/**' },
        { type: 'operations', mode: 'full', pattern: ['src/server/**', 'src/doctor/**', 'src/cron/**'] },
        { type: 'cli', mode: 'full', pattern: 'src/cli/**' },
        { type: 'assistant', mode: 'full', pattern: 'src/assistant/**' },
        { type: 'simulator', mode: 'full', pattern: 'src/simulator/**' },
        { type: 'demo', mode: 'full', pattern: 'src/demo/**' },
        { type: 'tests', mode: 'full', pattern: ['test/**', 'bench/**', 'scripts/**', '*.config.ts'] },
      ],
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          checkUnknownLocals: true,
          policies: [
            { allow: { to: { module: { origin: ['external', 'core'] } } } },
            ...Object.entries(LAYERS).map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { type: [from, ...to] } } },
            })),
            { from: { element: { type: 'domain' } }, disallow: { to: { module: { origin: 'external', source: NOT_IN_DOMAIN } } }, message: 'The domain never imports grammY.' },
          ],
        },
      ],
    },
  },
  // Project scope: one helper writes every project condition and every new row's project (the isolation tests check the statements).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/db/project-scope.ts'],
    rules: { 'no-restricted-syntax': ['error', PROJECT_FILTER, PROJECT_ROW] },
  },
  // The domain reads "now" only from its clock (`DomainDeps.clock`, src/domain/clock.ts), so tests
  // and the demo can move time; the clock itself is the one place that reads the system's.
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/clock.ts'],
    rules: {
      // (flat config replaces a rule's options: the project rules are repeated here.)
      'no-restricted-syntax': [
        'error',
        PROJECT_FILTER,
        PROJECT_ROW,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The domain reads the time from its clock (deps.clock.now()), not new Date().' },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The domain reads the time from its clock (deps.clock.now()), not Date.now().',
        },
      ],
    },
  },
)
