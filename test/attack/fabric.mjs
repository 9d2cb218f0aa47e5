/**
 * The attack suite's fabric: `scripts/dev.mjs` (wrangler dev with every service, and sandboxd when
 * bubblewrap is installed) on a free port, with every log line kept so the suite can search the dev
 * log for secrets. LOG_LEVEL=info and WRANGLER_LOG=info: the per-request lines are on, as a developer
 * debugging would have them.
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readDevVars } from '../../scripts/dev-vars.mjs'
import { stopGroup, waitForHealth } from '../../bench/lib/server.mjs'
import { freePort } from '../../scripts/free-port.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export async function startFabric() {
  const port = await freePort()
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', WRANGLER_LOG: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const chunks = []
  child.stdout.on('data', (chunk) => chunks.push(chunk))
  child.stderr.on('data', (chunk) => chunks.push(chunk))
  const url = `http://127.0.0.1:${port}`
  let health = await waitForHealth(url, child, 180_000)
  // sandboxd answers once its self-test ran: give tier 4 a moment when bubblewrap is here.
  for (let i = 0; i < 40 && !health.tiers.some((t) => t.tier === 4 && t.available); i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    health = await (await fetch(`${url}/health`)).json()
  }
  return {
    url,
    health,
    operatorToken: readDevVars(join(root, '.dev.vars')).FABRIC_DEV_TOKEN,
    log: () => Buffer.concat(chunks).toString('utf8'),
    stop: () => stopGroup(child),
  }
}

/** A client speaking as one token: `send` answers {status, body, text}. */
export function clientFor(fabric, token) {
  return async function send(method, path, body, { raw, headers = {} } = {}) {
    const response = await fetch(`${fabric.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}), ...headers },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    })
    const text = await response.text()
    let parsed
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, body: parsed, text }
  }
}

/** A fresh tenant (as the operator) with an admin client and an agent-scope client; its default policy allows. */
export async function newTenant(fabric, name) {
  const operator = clientFor(fabric, fabric.operatorToken)
  const id = `atk-${name}-${Date.now().toString(36)}`
  const created = await operator('POST', '/v1/tenants', { id, name })
  if (created.status !== 201) throw new Error(`creating tenant ${id}: ${created.status} ${created.text.slice(0, 200)}`)
  const admin = clientFor(fabric, created.body.token.value)
  await admin('PUT', '/v1/policy/default', { effect: 'allow' })
  const issued = await admin('POST', `/v1/tenants/${id}/tokens`, { scopes: ['agent', 'read'] })
  return { id, admin, agent: clientFor(fabric, issued.body.value), adminToken: created.body.token.value, agentToken: issued.body.value, agentTokenId: issued.body.id }
}

/** A GET with headers fetch() refuses to send (Upgrade): answers {status, body}. */
export function rawGet(fabric, path, headers) {
  return new Promise((resolve, reject) => {
    const req = request(`${fabric.url}${path}`, { headers }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body
        try {
          body = JSON.parse(text)
        } catch {
          body = undefined
        }
        resolve({ status: res.statusCode, body, text })
      })
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode, body: undefined, text: '' })
    })
    req.on('error', reject)
    req.end()
  })
}
