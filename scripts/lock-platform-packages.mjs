#!/usr/bin/env node
/**
 * Keeps `npm ci` working when the registry cannot serve some platform
 * packages (this workplace's registry has no darwin/windows builds of
 * workerd): npm then leaves them out of package-lock.json, and `npm ci`
 * refuses the lock as "out of sync". This adds the missing optional entries,
 * marked with their os/cpu so no machine of another platform installs them.
 * Run it after `npm install` changes the lock.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const PLATFORMS = {
  'darwin-64': { os: 'darwin', cpu: 'x64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'linux-64': { os: 'linux', cpu: 'x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64' },
  'windows-64': { os: 'win32', cpu: 'x64' },
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const packages = lock.packages
let added = 0
for (const [path, entry] of Object.entries(packages)) {
  if (!path.endsWith('node_modules/workerd')) continue
  const base = path.slice(0, -'workerd'.length)
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const platform = PLATFORMS[name.replace('@cloudflare/workerd-', '')]
    const target = `${base}${name}`
    if (!platform || packages[target] || packages[`node_modules/${name}`]) continue
    // Keys in the order npm writes them (and `dev` as the workerd entry has it), so a later
    // `npm install` finds nothing to rewrite and leaves `git status` clean.
    packages[target] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      license: 'Apache-2.0',
      optional: true,
      os: [platform.os],
      engines: { node: '>=16' },
    }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`)
console.log(`package-lock.json: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`)
