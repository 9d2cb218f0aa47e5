import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { ownTestVars } from './scripts/test-vars.mjs'
import { docsTsExamples } from './scripts/docs-ts-examples.mjs'

// Wrangler's "Using secrets defined in .dev.vars" line, once per test file, says nothing the suite needs.
process.env.WRANGLER_LOG ??= 'warn'

export default defineConfig(async () => {
  // Applied to the test D1 database by test/setup/migrations.ts, the same files `wrangler d1 migrations apply` uses.
  const migrations = await readD1Migrations('./migrations')
  return {
    plugins: [
      // virtual:docs-ts-examples: the README's and docs' ```ts blocks, run by test/examples.
      docsTsExamples(process.cwd()),
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        // workerd's --verbose prints every exception an RPC method throws to its caller (the
        // tests' expected refusals) as "uncaught exception" with a stack; failures still fail.
        verbose: false,
        miniflare: {
          // No sandboxd runs in this suite (tier 4 has its own: vitest.tier4.config.ts); an empty
          // SANDBOX_URL keeps results independent of a developer's .dev.vars.
          // ownTestVars: a developer's .dev.vars changes nothing here.
          bindings: ownTestVars('./wrangler.toml', { TEST_MIGRATIONS: migrations, FABRIC_DEV_TOKEN: 'test-dev-token', SANDBOX_URL: '', SANDBOXD_SECRET: '' }),
          // A D1 of its own for the one test that throws the global kill switch: on the shared DB it
          // would stop every test file running beside it (files share storage, see `isolate` below).
          d1Databases: { GLOBAL_SWITCH_DB: 'global-switch-db' },
          serviceBindings: {
            RPC_CLIENT: 'rpc-client',
            STALLED_SERVICE: { name: 'stalled-service', entrypoint: 'StalledService' },
            // The README's service-binding example as a customer's Worker has it: env.FABRIC.
            FABRIC: { name: 'vitest-plugin-runner-', entrypoint: 'FabricEntrypoint' },
          },
          workers: [
            {
              // A second Worker that reaches the fabric over a real service binding.
              name: 'rpc-client',
              modules: true,
              scriptPath: './test/fixtures/rpc-client.js',
              compatibilityDate: '2026-10-01',
              serviceBindings: { FABRIC: { name: 'vitest-plugin-runner-', entrypoint: 'FabricEntrypoint' } },
            },
            {
              // A tier-2 service that never answers in time, for the deadline tests.
              name: 'stalled-service',
              modules: true,
              scriptPath: './test/fixtures/stalled-service.js',
              compatibilityDate: '2026-10-01',
            },
            // Tier-2 services bound in wrangler.toml ([[services]] SVC_JQ, SVC_CONVERT), as JavaScript
            // built from services/<name>/src by test/services/build.global-setup.ts.
            {
              name: 'edge-fabric-jq',
              modulesRoot: './services/jq/dist',
              modules: [
                { type: 'ESModule', path: './services/jq/dist/index.js' },
                { type: 'CompiledWasm', path: './services/jq/dist/jq.wasm' },
              ],
              compatibilityDate: '2026-10-01',
            },
            {
              name: 'edge-fabric-convert',
              modules: true,
              scriptPath: './services/convert/dist/index.js',
              compatibilityDate: '2026-10-01',
            },
            {
              // The module host wrangler.toml binds as MODULE_HOST (dev runs it as a process of its own;
              // here it shares the suite's workerd, and test/execution/esm/module-host.test.ts calls it).
              name: 'edge-fabric-module-host',
              modules: true,
              scriptPath: './services/module-host/dist/index.js',
              compatibilityDate: '2026-10-01',
              workerLoaders: { LOADER: {} },
            },
          ],
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts'],
      exclude: ['test/e2e/**', 'test/sandboxd/**', 'test/layering/**', 'test/docs/**', 'test/live/**', 'test/differential/**'],
      setupFiles: ['./test/setup/migrations.ts'],
      // One Miniflare instance and module graph for every file instead of a fresh one per file
      // (~5 s of start-up each on two cores). Files therefore share the dev tenant's storage:
      // each test names its own paths, agents and keys.
      isolate: false,
      globalSetup: ['./test/services/build.global-setup.ts'],
      // A ceiling against hangs, not a timing assertion: on a busy 2-core machine the multipart R2
      // upload alone can take several seconds.
      testTimeout: 30_000,
      // The fabric logs a JSON line per request at LOG_LEVEL=info (wrangler.toml), which the canary
      // test reads; a passing test's logs (~1,400 lines) stay out of the report, a failing one's are shown.
      silent: 'passed-only' as const,
      // `npm run coverage`: istanbul instruments the sources as they are transformed, so it
      // works inside workerd (V8 coverage does not); scripts/coverage-table.mjs sums it per folder.
      coverage: {
        provider: 'istanbul' as const,
        include: ['src/**/*.ts', 'types/**/*.ts'],
        reporter: ['json-summary', 'text-summary'],
        reportsDirectory: './coverage',
      },
    },
  }
})
