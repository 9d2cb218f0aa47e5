#!/usr/bin/env node
/**
 * `npm run build`, also wrangler's [build] command (so every `wrangler dev`, `npm run dev`
 * and `wrangler deploy` runs it first): the build output
 * that is never committed, under dist/:
 * - dist/console/: the browser console, served by the fabric itself as Workers
 *   static assets ([assets] in wrangler.toml): index.html, app.js, app.css, _headers;
 * - dist/client/index.js: `edge-fabric/client` as one ES module for Node 22 and Workers.
 * esbuild comes with wrangler; uPlot and openapi-fetch are bundled in, so the
 * browser loads nothing from anywhere but the fabric.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CONSOLE_DIR = join(root, 'dist', 'console')
const CONSOLE_FILES = ['index.html', 'app.js', 'app.css']

/** The console's first load: its files' sizes, raw and gzipped, in bytes. */
export function consoleSize() {
  return CONSOLE_FILES.map((name) => {
    const bytes = readFileSync(join(CONSOLE_DIR, name))
    return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
  })
}

export async function buildAll() {
  mkdirSync(CONSOLE_DIR, { recursive: true })
  await build({
    entryPoints: { app: join(root, 'console', 'src', 'main.ts'), },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outdir: CONSOLE_DIR,
    loader: { '.css': 'css' },
    logLevel: 'warning',
  })
  copyFileSync(join(root, 'console', 'index.html'), join(CONSOLE_DIR, 'index.html'))
  // Only the fabric itself: no script, style, image or connection to anywhere else.
  writeFileSync(
    join(CONSOLE_DIR, '_headers'),
    [
      '/*',
      "  Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      '  X-Content-Type-Options: nosniff',
      '  Referrer-Policy: no-referrer',
      '',
    ].join('\n'),
  )
  await build({
    entryPoints: [join(root, 'client', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    outfile: join(root, 'dist', 'client', 'index.js'),
    logLevel: 'warning',
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll()
  const sizes = consoleSize()
  const total = sizes.reduce((sum, file) => sum + file.gzipBytes, 0)
  console.log(`[build] console ${sizes.map((f) => `${f.name} ${(f.gzipBytes / 1024).toFixed(1)} KB`).join(', ')} gzipped (first load ${(total / 1024).toFixed(1)} KB); client dist/client/index.js`)
}
