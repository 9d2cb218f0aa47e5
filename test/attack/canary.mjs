/**
 * 27 canary secrets planted everywhere a caller can put text the fabric keeps: a task's command,
 * metadata, idempotency key and output, an exec's env and stdout, a token label, a policy pattern,
 * a kill-switch reason, a metric label, a saga step's failure, a replay, an output and a stdin over
 * 64 KiB (kept in R2 as data references), and a URL's query string (for the dev log). Then every read route,
 * /metrics, the WAL and the dev log are searched: 0 copies allowed.
 */
import { randomBytes } from 'node:crypto'
import { check } from './check.mjs'

const hex = (n) => randomBytes(n).toString('hex')
const CANARIES = [
  ...Array.from({ length: 6 }, () => `ghp_${hex(18)}`),
  ...Array.from({ length: 6 }, () => `sk-ant-${hex(12)}`),
  ...Array.from({ length: 4 }, () => `xoxb-${hex(8)}-${hex(8)}`),
  ...Array.from({ length: 4 }, () => `AKIA${hex(8).toUpperCase()}`),
  ...Array.from({ length: 4 }, () => `fab_${hex(16)}`),
  ...Array.from({ length: 3 }, () => `sk-ant-api03-${hex(12)}`),
]

/** What a response shows in place of a secret (src/telemetry/redact.ts). */
const REDACTED = '[REDACTED]'

/**
 * The 0-copies count below proves nothing if c24–c26 never reached the places it scans: the spilled
 * task ran and its output reads back whole from R2 (the yes bytes, c24's line, then c25's stdin
 * through cat), and the dev log holds the stream request's line without its query string.
 */
function plantedWhereScanned(fabric, spilledRead, stream) {
  const task = spilledRead.body ?? {}
  const stdout = task.result?.stdout ?? ''
  const yes = 'x\n'.repeat(50_000)
  const seen = { status: spilledRead.status, taskStatus: task.status, bytes: Buffer.byteLength(stdout), head: stdout.slice(0, 40), tail: stdout.slice(-120) }
  check('canary: the task that spills 100,000+ bytes completed, and its stdout reads back whole, the c24 line after the 100,000 bytes of yes', task.status === 'completed' && Buffer.byteLength(stdout) >= 100_000 && stdout.startsWith(`${yes}${REDACTED}\n`), seen)
  check("canary: the stdin over 64 KiB (c25's) came back through cat as the output's last line", stdout.endsWith(`\n${'y'.repeat(70_000)} ${REDACTED}\n`), seen)
  // Wrangler prints the bare path, or scripts/log-filter.mjs hides the query string: either way no raw `?token=`.
  const lines = fabric.log().split('\n').filter((line) => line.includes('/v1/agents/canary/stream'))
  const logged = new RegExp(`\\bGET /v1/agents/canary/stream(?:\\?\\[query hidden\\])? ${stream.status}\\b`)
  check("canary: the dev log holds the stream request's line (c26's, with its status) without its query string", lines.some((line) => logged.test(line)), { status: stream.status, lines })
}

export async function canary(fabric, t) {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26] = CANARIES
  await t.admin('POST', '/v1/agents', { id: 'canary', heartbeatIntervalSeconds: 0 })
  const task = await t.admin('POST', '/v1/agents/canary/tasks', {
    command: `echo ${c0}; echo ${c1} >&2`,
    metadata: { note: c2, other: `api_key=${c3}` },
    idempotencyKey: `k-${c4}`,
    env: { API_KEY: c5 },
  })
  const exec = await t.admin('POST', '/v1/exec', { command: `echo ${c6}`, env: { NOTE: c7 }, idempotencyKey: `e-${c8}` })
  await t.admin('POST', `/v1/tenants/${t.id}/tokens`, { scopes: ['read'], label: `ci ${c9}` })
  await t.admin('PUT', '/v1/policies/canary', { rules: [{ actionPattern: `exec:${c10}`, effect: 'deny' }] })
  await t.admin('POST', '/v1/killswitch', { scope: 'agent', agentId: 'nobody', active: true, reason: `leak ${c11}` })
  await t.admin('POST', '/v1/agents/canary/usage', { tokens: 3, model: c12, costUsd: 0 })
  const saga = await t.admin('POST', '/v1/sagas', { name: 'canary', steps: [{ name: 'fail', action: { command: `echo ${c13}; false` }, compensation: { command: `echo ${c14}` } }] })
  await t.admin('PUT', '/v1/fs/notes.txt', undefined, { raw: 'plain', headers: { 'content-type': 'text/plain' } })
  const intent = await t.admin('POST', '/v1/exec', { command: `echo ${c15} ${c16} ${c17} ${c18} ${c19} ${c20} ${c21} ${c22} ${c23}` })
  // Over 64 KiB: the output and the stdin live in R2 as data references, and reads resolve them.
  const spilled = await t.admin('POST', '/v1/agents/canary/tasks', { command: `yes x | head -c 100000; echo ${c24}; cat`, stdin: `${'y'.repeat(70_000)} ${c25}\n` })
  // A secret in a URL's query string: wrangler's per-request log line must not echo it.
  const stream = await t.admin('GET', `/v1/agents/canary/stream?token=${c26}`)
  await t.admin('GET', `/v1/tasks/${task.body?.taskId}?wait=10`)
  const spilledRead = await t.admin('GET', `/v1/tasks/${spilled.body?.taskId}?wait=20`)
  await new Promise((resolve) => setTimeout(resolve, 2000))
  plantedWhereScanned(fabric, spilledRead, stream)

  const reads = [
    `/v1/tasks/${task.body?.taskId}`, `/v1/tasks/${spilled.body?.taskId}`, '/v1/agents/canary/tasks', '/v1/agents/canary', '/v1/agents', `/v1/tenants/${t.id}/tokens`,
    '/v1/policies', '/v1/policies/canary', '/v1/policy/decisions', '/v1/killswitch', '/v1/wal?limit=500', '/v1/approvals',
    `/v1/sagas/${saga.body?.sagaId ?? saga.body?.id}`, '/v1/budgets/agent:canary/usage', '/v1/provenance?ref=/notes.txt', '/v1/modules', '/metrics',
  ]
  for (const executionId of [exec.body?.executionId, intent.body?.executionId].filter(Boolean)) {
    const replay = await t.admin('POST', `/v1/executions/${executionId}/replay`, { mode: 'events_only' })
    reads.push({ path: `replay ${executionId}`, text: replay.text })
  }
  let copies = 0
  const where = []
  const count = (label, text) => {
    for (const secret of CANARIES) {
      const n = text.split(secret).length - 1
      if (n > 0) where.push(`${label}: ${secret.slice(0, 8)}… ×${n}`)
      copies += n
    }
  }
  count('POST /v1/exec answer', exec.text)
  count('POST /v1/exec answer', intent.text)
  for (const read of reads) {
    if (typeof read !== 'string') count(read.path, read.text)
    else count(`GET ${read}`, (await t.admin('GET', read)).text)
  }
  count('the dev log', fabric.log())
  check(`canary: 0 copies of ${CANARIES.length} secrets over ${reads.length} reads, /metrics, the WAL and the dev log`, copies === 0, where)
}
