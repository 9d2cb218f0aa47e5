/**
 * Finding 6 of issue 16, replayed as written: a tier-3 module allocating 64 × 256 MiB is refused
 * (RESOURCE_EXHAUSTED naming the memory ceiling), and a busy loop holds only the module host's process
 * (scripts/module-host.mjs): while it spins, another tenant's /health, whoami and tier-1 exec answer,
 * the spinning call answers TIMEOUT, and the dev script's restart brings tier 3 back.
 */
import { check, stillServes } from './check.mjs'

const BOMB = 'export default { run() { const kept = []; for (let i = 0; i < 64; i++) kept.push(new Uint8Array(256 * 1024 * 1024)); return "allocated " + kept.length * 256 + " MB" } }'
const SPIN = 'export default { run() { for (;;) {} } }'

export async function tier3(fabric, attacker, bystander) {
  check('6 the dev fabric runs tier 3 in a module host of its own', /tier-3 module host on http:\/\/127\.0\.0\.1:\d+/.test(fabric.log()), fabric.log().slice(-600))

  // Each on an agent of its own: RESOURCE_EXHAUSTED suspends the agent it ran on (failure policy).
  await attacker.admin('POST', '/v1/agents', { id: 'bomber', heartbeatIntervalSeconds: 0 })
  await attacker.admin('POST', '/v1/agents', { id: 'spinner', heartbeatIntervalSeconds: 0 })
  await attacker.agent('POST', '/v1/modules', { name: 'bomb', source: BOMB })
  const bomb = await attacker.agent('POST', '/v1/exec', { operation: 'bomb', agentId: 'bomber' })
  check(
    '6 a module allocating 64 × 256 MiB is refused: RESOURCE_EXHAUSTED naming the 128 MB ceiling',
    bomb.status === 200 && bomb.body.ok === false && bomb.body.error?.code === 'RESOURCE_EXHAUSTED' && bomb.body.error?.details?.ceiling === 'memoryMb' && !bomb.text.includes('allocated 16384 MB'),
    { status: bomb.status, error: bomb.body?.error },
  )
  await stillServes('6 memory', bystander.admin)

  await bystander.admin('POST', '/v1/modules', { name: 'double', source: 'export default { run: (ctx) => ctx.args.map((n) => n * 2) }' })
  await attacker.agent('POST', '/v1/modules', { name: 'spin', source: SPIN })
  let spinAnswered = false
  const spin = attacker.agent('POST', '/v1/exec', { operation: 'spin', timeoutMs: 3000, agentId: 'spinner' }).then((r) => ((spinAnswered = true), r))
  await new Promise((resolve) => setTimeout(resolve, 500))
  const health = await fetch(`${fabric.url}/health`)
  const whoami = await bystander.admin('GET', '/v1/whoami')
  const exec = await bystander.admin('POST', '/v1/exec', { command: 'echo alive' })
  check(
    '6 while a module spins, another tenant\'s /health, whoami and tier-1 exec answer',
    !spinAnswered && health.status === 200 && whoami.status === 200 && exec.body?.stdout === 'alive\n',
    { spinAnswered, health: health.status, whoami: whoami.status, exec: exec.body },
  )
  const spun = await spin
  check('6 the spinning call answers TIMEOUT at its deadline', spun.status === 200 && spun.body.ok === false && spun.body.error?.code === 'TIMEOUT', { status: spun.status, error: spun.body?.error })

  // The dev script restarts the held module host (hang detection plus a wrangler start: ~15 s here).
  let back
  for (let waited = 0; waited < 120_000; waited += 1000) {
    back = await bystander.admin('POST', '/v1/exec', { operation: 'double', args: [21] })
    if (back.body?.ok === true) break
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  check('6 tier 3 serves again after the dev script restarted the module host', back.body?.ok === true && back.body.value?.[0] === 42 && /\[dev\] module host did not answer/.test(fabric.log()), { last: back.body })
}
