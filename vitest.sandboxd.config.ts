/**
 * sandboxd's own tests, in Node (not workerd): pure functions plus real
 * processes under real bubblewrap. `npx vitest run -c vitest.sandboxd.config.ts`
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/sandboxd/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
