/**
 * Tier 4 end to end: sandboxd runs as a real process (real bubblewrap), and
 * the tests run the fabric's tier-4 executor inside workerd against it, with
 * fsx on local R2. `npx vitest run -c vitest.tier4.config.ts`
 */
import { randomBytes } from 'node:crypto'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { freePort } from './scripts/free-port.mjs'

export default defineConfig(async () => {
  const port = await freePort()
  const secret = randomBytes(24).toString('hex')
  // Read by the global setup, which starts sandboxd in this same process tree.
  process.env.TIER4_SANDBOXD_PORT = String(port)
  process.env.TIER4_SANDBOXD_SECRET = secret
  // The agent pooling test spawns AgentDOs, which need the D1 schema (applied by test/setup/migrations.ts).
  const migrations = await readD1Migrations('./migrations')
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './test/e2e/tier4/wrangler.toml' },
        miniflare: { bindings: { SANDBOX_URL: `http://127.0.0.1:${port}`, SANDBOXD_SECRET: secret, TEST_MIGRATIONS: migrations } },
      }),
    ],
    test: {
      include: ['test/e2e/tier4*.test.ts'],
      globalSetup: ['./test/e2e/tier4/sandboxd.global-setup.ts'],
      setupFiles: ['./test/setup/migrations.ts'],
      // One Miniflare instance for every file, as in the workerd suite, instead of a fresh one per
      // file (seconds of start-up each on two cores); the files use tenants of their own.
      isolate: false,
      testTimeout: 60_000,
    },
  }
})
