/**
 * The Node-side tests (not workerd): sandboxd's own — pure functions plus real
 * processes under real bubblewrap — and the layering rule, which reads the
 * source tree (the workerd pool has no file system), the docs examples,
 * which start `npm run dev` twice and run every README/docs example against it,
 * and the differential harness, which runs tier 1 in Node beside the real GNU
 * tools. `npx vitest run -c vitest.sandboxd.config.ts`
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/sandboxd/**/*.test.ts', 'test/layering/**/*.test.ts', 'test/docs/**/*.test.ts', 'test/live/**/*.test.ts', 'test/differential/**/*.test.ts'],
    environment: 'node',
    // Reuse each worker across files instead of a fresh one per file: no file here keeps state
    // another could trip over (each starts its own processes on ports and temp dirs of its own).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
