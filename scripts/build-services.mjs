#!/usr/bin/env node
/**
 * Bundles each tier-2 service (services/<name>/src/index.ts) into
 * services/<name>/dist/index.js (+ any .wasm it imports), the JavaScript that
 * wrangler (`main = "dist/index.js"`) and the vitest auxiliary Workers load.
 *
 * Usage: node scripts/build-services.mjs [name ...]   (default: every service)
 * (vitest's global setup imports `buildServices` and runs it before the tests.)
 *
 * Two adaptations happen here rather than in the service source:
 * - `.wasm` imports stay imports (copied next to the bundle), because workerd
 *   refuses to compile WebAssembly from bytes at runtime: it must arrive as a
 *   module the runtime compiled at load time.
 * - jq-web's jq.js is patched for workerd (scripts/jq-web-patch.mjs).
 *
 * Output files are replaced atomically and only when their bytes change: two `npm run dev` started
 * at once in one checkout (and the test suites' setups) build the same services while a running
 * wrangler reads and watches them, and a half-written bundle once failed a wrangler build.
 */
import { build } from 'esbuild'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { patchJqWeb } from './jq-web-patch.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const servicesDir = join(root, 'services')

/** Writes `bytes` to `file` by rename from a temporary file of this process, unless it already holds them. */
function writeIfChanged(file, bytes) {
  if (existsSync(file) && Buffer.compare(readFileSync(file), bytes) === 0) return
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, bytes)
  renameSync(temporary, file)
}

/** Keeps `import x from './y.wasm'` as an import of a file copied into dist/. */
function wasmAsModule(outdir) {
  return {
    name: 'wasm-as-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        // b.resolve below re-enters this hook; let esbuild's own resolver answer that inner call.
        if (args.pluginData === 'wasm') return undefined
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'wasm' })
        if (resolved.errors.length > 0) return { errors: resolved.errors }
        writeIfChanged(join(outdir, basename(resolved.path)), readFileSync(resolved.path))
        return { path: `./${basename(resolved.path)}`, external: true }
      })
    },
  }
}

/** Bundles jq-web's jq.js patched for workerd (see jq-web-patch.mjs). */
function jqWebForWorkers() {
  return {
    name: 'jq-web-for-workers',
    setup(b) {
      b.onLoad({ filter: /[\\/]jq-web[\\/]jq\.js$/ }, (args) => {
        try {
          return { contents: patchJqWeb(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }
        } catch (error) {
          return { errors: [{ text: error.message }] }
        }
      })
      // The Emscripten runtime only requires these on Node.js, a branch the patch disables.
      b.onResolve({ filter: /^(fs|path|crypto)$/ }, (args) =>
        /[\\/]jq-web[\\/]/.test(args.importer) ? { path: args.path, namespace: 'unused-node-builtin' } : undefined,
      )
      b.onLoad({ filter: /.*/, namespace: 'unused-node-builtin' }, () => ({ contents: 'export default {}', loader: 'js' }))
    },
  }
}

async function buildService(name) {
  const entry = join(servicesDir, name, 'src', 'index.ts')
  if (!existsSync(entry)) throw new Error(`no service '${name}': ${entry} does not exist`)
  const outdir = join(servicesDir, name, 'dist')
  const result = await build({
    entryPoints: [entry],
    outfile: join(outdir, 'index.js'),
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*'],
    plugins: [wasmAsModule(outdir), jqWebForWorkers()],
    logLevel: 'warning',
    legalComments: 'none',
  })
  for (const file of result.outputFiles) writeIfChanged(file.path, file.contents)
  return outdir
}

/** Builds the named services (default: every services/<name> with a src/index.ts). */
export async function buildServices(requested = []) {
  const names = requested.length > 0 ? requested : readdirSync(servicesDir).filter((n) => existsSync(join(servicesDir, n, 'src', 'index.ts')))
  for (const name of names) {
    const outdir = await buildService(name)
    console.log(`[build-services] ${name} → ${outdir.slice(root.length + 1)}/index.js`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServices(process.argv.slice(2))
