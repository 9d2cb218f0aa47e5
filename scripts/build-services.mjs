#!/usr/bin/env node
/**
 * Bundles each tier-2 service (services/<name>/src/index.ts) into
 * services/<name>/dist/index.js (+ any .wasm it imports), the JavaScript that
 * wrangler (`main = "dist/index.js"`) and the vitest auxiliary Workers load.
 *
 * Usage: node scripts/build-services.mjs [name ...]   (default: every service)
 *
 * Two adaptations happen here rather than in the service source:
 * - `.wasm` imports stay imports (copied next to the bundle), because workerd
 *   refuses to compile WebAssembly from bytes at runtime: it must arrive as a
 *   module the runtime compiled at load time.
 * - jq-web's jq.js instantiates itself at import time (fetching jq.wasm from
 *   disk or network, neither of which exists in a Worker) and exports only that
 *   promise. We cut that tail off and export the Emscripten factory instead, so
 *   the service can hand it the precompiled module through `instantiateWasm`.
 */
import { build } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const servicesDir = join(root, 'services')

/** Keeps `import x from './y.wasm'` as an import of a file copied into dist/. */
function wasmAsModule(outdir) {
  return {
    name: 'wasm-as-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'wasm' })
        if (resolved.errors.length > 0) return { errors: resolved.errors }
        mkdirSync(outdir, { recursive: true })
        copyFileSync(resolved.path, join(outdir, basename(resolved.path)))
        return { path: `./${basename(resolved.path)}`, external: true }
      })
    },
  }
}

/** The text that ends jq-web's Emscripten factory and starts its self-instantiating exports. */
const JQ_WEB_EXPORT_TAIL = "if (typeof exports === 'object' && typeof module === 'object') {\n  module.exports = jq;"

function jqWebFactoryExport() {
  return {
    name: 'jq-web-factory-export',
    setup(b) {
      b.onLoad({ filter: /[\\/]jq-web[\\/]jq\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8')
        const cut = source.indexOf(JQ_WEB_EXPORT_TAIL)
        if (cut < 0) {
          return { errors: [{ text: `jq-web's jq.js changed shape (export tail not found in ${args.path}); re-check the patch in scripts/build-services.mjs` }] }
        }
        return { contents: `${source.slice(0, cut)}\nexport default jq;\n`, loader: 'js' }
      })
      // The Emscripten runtime only requires these on Node.js, a branch a Worker never takes.
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
  await build({
    entryPoints: [entry],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*'],
    plugins: [wasmAsModule(outdir), jqWebFactoryExport()],
    logLevel: 'warning',
    legalComments: 'none',
  })
  return outdir
}

const requested = process.argv.slice(2)
const names = requested.length > 0 ? requested : readdirSync(servicesDir).filter((n) => existsSync(join(servicesDir, n, 'src', 'index.ts')))
for (const name of names) {
  const outdir = await buildService(name)
  console.log(`[build-services] ${name} → ${outdir.slice(root.length + 1)}/index.js`)
}
