/** What held in the attack run on main, kept as tests: isolation, confinement, bombs, ReDoS, huge pipelines. */
import { check, refused, stillServes } from './check.mjs'

export async function held(fabric, attacker, victim) {
  const tier4 = fabric.health.tiers.some((t) => t.tier === 4 && t.available)

  // isolation of every resource kind: another tenant's ids answer like unknown ones
  await victim.admin('PUT', '/v1/fs/private.txt', undefined, { raw: 'victim data', headers: { 'content-type': 'text/plain' } })
  await victim.admin('POST', '/v1/agents', { id: 'secret-agent', heartbeatIntervalSeconds: 0 })
  const task = await victim.admin('POST', '/v1/agents/secret-agent/tasks', { command: 'echo hi' })
  await victim.admin('PUT', '/v1/policies/victim-policy', { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
  const cases = [
    ['a file', 'GET', '/v1/fs/private.txt', 'ENOENT'],
    ['an agent', 'GET', '/v1/agents/secret-agent', 'NOT_FOUND'],
    ['a task', 'GET', `/v1/tasks/${task.body?.taskId}`, 'NOT_FOUND'],
    ['a policy', 'GET', '/v1/policies/victim-policy', 'NOT_FOUND'],
    ['a tenant', 'GET', `/v1/tenants/${victim.id}`, 'NOT_FOUND'],
    ['its token list', 'GET', `/v1/tenants/${victim.id}/tokens`, 'NOT_FOUND'],
    ['its ceilings', 'GET', `/v1/tenants/${victim.id}/ceilings`, 'NOT_FOUND'],
  ]
  for (const [what, method, path, code] of cases) refused(`isolation: another tenant's ${what}`, await attacker.admin(method, path), 404, code)

  // path escapes
  refused('path escape: ..%2F..%2Fetc/passwd', await attacker.admin('GET', '/v1/fs/..%2F..%2Fetc%2Fpasswd'), 400, 'EACCES')
  const cwd = await attacker.admin('POST', '/v1/exec', { command: 'cat passwd', cwd: '/../../etc' })
  check('path escape: cwd above the root stays inside the tenant tree', cwd.status === 200 && cwd.body.ok === false && !cwd.text.includes('root:x:0'), { status: cwd.status, code: cwd.body?.error?.code })
  await stillServes('isolation and paths', victim.admin)

  // ReDoS and huge pipelines on tier 1
  const redos = await attacker.admin('POST', '/v1/exec', { command: "grep -E '(a*)*b'", stdin: `${'a'.repeat(100_000)}\n` })
  check('ReDoS: grep -E (a*)*b over 100 000 a’s answers (linear engine)', redos.status === 200 && redos.body.exitCode === 1, { status: redos.status, exit: redos.body?.exitCode })
  const pipeline = await attacker.admin('POST', '/v1/exec', { command: Array.from({ length: 2000 }, () => 'cat').join(' | '), stdin: 'x\n' })
  check('huge pipeline: 2000 stages answer 2xx or a coded 4xx', pipeline.status < 500 && (pipeline.status === 200 || pipeline.body?.error?.code), { status: pipeline.status, code: pipeline.body?.error?.code })
  const output = await attacker.admin('POST', '/v1/exec', { command: "yes 'a.a.a.a.token_a-' | head -c 3000000" })
  check('redaction of 3 MB of adversarial output stays quick (answers)', output.status === 200, { status: output.status })
  await stillServes('ReDoS and pipelines', victim.admin)

  if (!tier4) return check('tier 4 bombs (skipped: bubblewrap is not installed)', true)
  const bombs = [
    ['fork bomb', 'bomb() { bomb | bomb & }; bomb; sleep 2; exit 3', ['RESOURCE_EXHAUSTED', 'TIMEOUT', 'COMMAND_FAILED']],
    ['memory bomb', "python3 -c 'x = bytearray(4 * 1024**3)'", ['RESOURCE_EXHAUSTED', 'COMMAND_FAILED', 'TIMEOUT']],
    ['disk bomb', 'dd if=/dev/zero of=/work/fill bs=1M count=400', ['RESOURCE_EXHAUSTED', 'COMMAND_FAILED', 'TIMEOUT']],
    ['time bomb', 'sleep 600', ['TIMEOUT']],
    ['sandbox escape: read the host shadow file', 'cat /etc/shadow', ['COMMAND_FAILED']],
    ['sandbox escape: reach sandboxd over loopback', `exec 3<>/dev/tcp/127.0.0.1/${new URL(fabric.url).port}`, ['COMMAND_FAILED']],
  ]
  for (const [index, [name, command, codes]] of bombs.entries()) {
    // Each bomb on an agent (and so a sandbox) of its own, so one bomb's aftermath cannot decide the next one's answer.
    await attacker.admin('POST', '/v1/agents', { id: `bomb-${index}`, heartbeatIntervalSeconds: 0 })
    // Through `sh` on tier 4: the line is bash's, not the fabric's shell parser's (which refuses function definitions).
    const result = await attacker.admin('POST', '/v1/exec', { operation: 'sh', args: [command], tier: 4, timeoutMs: 5000, agentId: `bomb-${index}` })
    check(`${name}: contained (${codes.join(' or ')})`, result.status === 200 && result.body.ok === false && codes.includes(result.body.error?.code), { status: result.status, code: result.body?.error?.code })
    await stillServes(name, victim.admin)
  }
}
