/** Policies (list, put as JSON, delete) and the decision audit, newest first. */
import { describeError, fabric } from '../api'
import { field, h, statusLine, table } from '../dom'
import type { Page } from '../page'

const EXAMPLE = JSON.stringify({ priority: 10, rules: [{ actionPattern: 'exec:rm', effect: 'require_approval' }] }, null, 2)

export const policiesPage: Page = (main) => {
  const status = statusLine('policies-status')
  const list = h('section', { id: 'policy-list', 'aria-label': 'Policies' })
  const audit = h('section', { id: 'decisions', 'aria-label': 'Decision audit' })
  const policyId = h('input', { id: 'policy-id', name: 'policy-id', required: true, placeholder: 'approve-rm' })
  const body = h('textarea', { id: 'policy-body', name: 'policy-body', rows: 6, cols: 60 }, EXAMPLE)

  async function refresh(): Promise<void> {
    try {
      const client = fabric()
      const [policies, decisions] = await Promise.all([client.GET('/v1/policies'), client.GET('/v1/policy/decisions', { params: { query: { limit: 50 } } })])
      list.replaceChildren(
        table(
          'Policies',
          ['Id', 'Scope', 'Priority', 'Rules', ''],
          (policies.data?.policies ?? []).map((p) => [
            p.id,
            `${p.scope.level}:${p.scope.id}`,
            String(p.priority),
            h('code', {}, JSON.stringify(p.rules)),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete policy ${p.id}`, onclick: () => remove(p.id) }, 'Delete'),
          ]),
        ),
      )
      audit.replaceChildren(
        table(
          'Decision audit (newest first)',
          ['At', 'Action', 'Effect', 'Policy', 'Agent'],
          (decisions.data?.decisions ?? []).map((d) => [String(d.decidedAt ?? ''), h('code', {}, String(d.action ?? '')), String(d.effect ?? ''), String(d.policyId ?? ''), String(d.agentId ?? '')]),
        ),
      )
    } catch (error) {
      status.textContent = describeError(error)
    }
  }

  async function remove(id: string): Promise<void> {
    if (!confirm(`Delete policy ${id}?`)) return
    try {
      await fabric().DELETE('/v1/policies/{id}', { params: { path: { id } } })
      await refresh()
    } catch (error) {
      status.textContent = describeError(error)
    }
  }

  const form = h(
    'form',
    {
      'aria-label': 'Put a policy',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        try {
          await fabric().PUT('/v1/policies/{id}', { params: { path: { id: policyId.value } }, body: JSON.parse(body.value) })
          status.textContent = `Saved policy ${policyId.value}`
          await refresh()
        } catch (error) {
          status.textContent = `Not saved: ${describeError(error)}`
        }
      },
    },
    field('Policy id', policyId),
    field('Policy (JSON)', body),
    h('button', { type: 'submit' }, 'Save policy'),
  )
  main.append(form, status, h('h2', {}, 'Policies'), list, h('h2', {}, 'Decisions'), audit)
  void refresh()
}
