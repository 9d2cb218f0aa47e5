import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig(async () => {
  // Applied to the test D1 database by test/setup/migrations.ts, the same files `wrangler d1 migrations apply` uses.
  const migrations = await readD1Migrations('./migrations')
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, FABRIC_DEV_TOKEN: 'test-dev-token' },
          serviceBindings: { RPC_CLIENT: 'rpc-client' },
          workers: [
            {
              // A second Worker that reaches the fabric over a real service binding.
              name: 'rpc-client',
              modules: true,
              scriptPath: './test/fixtures/rpc-client.js',
              compatibilityDate: '2026-10-01',
              serviceBindings: { FABRIC: { name: 'vitest-plugin-runner-', entrypoint: 'FabricEntrypoint' } },
            },
          ],
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts'],
      exclude: ['test/e2e/**', 'test/sandboxd/**'],
      setupFiles: ['./test/setup/migrations.ts'],
    },
  }
})
