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
