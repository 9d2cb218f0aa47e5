/**
 * Run a command line through POST /v1/exec (the default agent's queue, with
 * policy, budget and WAL) and show each stage's tier and duration. When the
 * fabric serves POST /v1/exec/plan (found in /openapi.json), its route plan is
 * shown before the run; a fabric without it shows no plan.
 */
import { describeError, fabric, token } from '../api'
import { field, h, ms, statusLine, table } from '../dom'
import type { Page } from '../page'

const PLAN_PATH = '/v1/exec/plan'

async function planAvailable(): Promise<boolean> {
  const response = await fetch('/openapi.json')
  if (!response.ok) return false
  const document = (await response.json()) as { paths?: Record<string, unknown> }
  return Boolean(document.paths && PLAN_PATH in document.paths)
}

/** The plan route is newer than the typed client's document, so it is called by hand, with the same bearer header. */
async function fetchPlan(command: string): Promise<unknown> {
  const response = await fetch(PLAN_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${token() ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify({ command }),
  })
  if (response.status === 404) return undefined
  return response.json()
}

export const runPage: Page = (main) => {
  const command = h('textarea', { id: 'command', name: 'command', rows: 2, cols: 60, required: true }, 'echo hello world | tr a-z A-Z | wc -c')
  const status = statusLine('run-status')
  const plan = h('section', { id: 'plan', 'aria-label': 'Route plan' })
  const result = h('section', { id: 'result', 'aria-label': 'Result' })
  let withPlan = false
  void planAvailable().then((yes) => (withPlan = yes), () => undefined)

  const form = h(
    'form',
    {
      'aria-label': 'Run a command line',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        status.textContent = 'Running…'
        plan.replaceChildren()
        result.replaceChildren()
        try {
          if (withPlan) {
            const planned = await fetchPlan(command.value)
            if (planned !== undefined) plan.replaceChildren(h('h2', {}, 'Route plan'), h('pre', {}, JSON.stringify(planned, null, 2)))
          }
          const { data } = await fabric().POST('/v1/exec', { body: { command: command.value } })
          if (!data) return
          status.textContent = `${data.ok ? 'ok' : data.error?.code ?? 'failed'} · exit ${data.exitCode} · tier ${data.tier} · ${ms(data.duration)}`
          result.replaceChildren(
            table('Stages', ['#', 'Operation', 'Tier', 'Exit', 'Duration'], (data.stages ?? [{ operation: data.operation, tier: data.tier, exitCode: data.exitCode, duration: data.duration }]).map((s, i) => [String(i + 1), s.operation, String(s.tier), String(s.exitCode), ms(s.duration)])),
            h('h2', {}, 'stdout'),
            h('pre', { id: 'stdout' }, data.stdout),
            data.stderr ? h('pre', { class: 'error' }, data.stderr) : '',
            h('p', {}, 'Execution ', h('a', { href: `#/wal?executionId=${encodeURIComponent(data.executionId)}` }, data.executionId), ` · trace ${data.traceId}`),
          )
        } catch (error) {
          status.textContent = `Refused: ${describeError(error)}`
        }
      },
    },
    field('Command line', command),
    h('button', { type: 'submit' }, 'Run'),
  )
  main.append(form, status, plan, result)
}
