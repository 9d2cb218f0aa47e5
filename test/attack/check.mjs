/** Named checks: each attack records pass/fail with what it saw, and the run fails if any failed. */
export const results = []

export function check(name, ok, seen) {
  results.push({ name, ok: Boolean(ok), seen })
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ` — saw ${JSON.stringify(seen).slice(0, 400)}`}`)
}

/** The refusal an attack must get: this status and this error code. */
export function refused(name, response, status, code) {
  check(name, response.status === status && response.body?.error?.code === code, { status: response.status, code: response.body?.error?.code, message: response.body?.error?.message })
}

/** After every attack: another tenant is still served (whoami and a tier-1 exec). */
export async function stillServes(name, bystander) {
  const whoami = await bystander('GET', '/v1/whoami')
  const exec = await bystander('POST', '/v1/exec', { command: 'echo alive' })
  check(`${name}: the fabric still serves another tenant`, whoami.status === 200 && exec.body?.stdout === 'alive\n', { whoami: whoami.status, exec: exec.status, stdout: exec.body?.stdout })
}
