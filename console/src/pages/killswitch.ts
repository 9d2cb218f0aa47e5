/** The kill switch: throw or lift it for an agent, the tenant or everything, each after a confirmation. */
import { describeError, fabric } from '../api'
import { field, h, select, statusLine, table } from '../dom'
import type { Page } from '../page'

export const killSwitchPage: Page = (main) => {
  const scope = select('ks-scope', ['agent', 'tenant', 'global'])
  const agentId = h('input', { id: 'ks-agent', name: 'ks-agent', placeholder: 'needed for scope agent' })
  const reason = h('input', { id: 'ks-reason', name: 'ks-reason', required: true, value: 'stopped from the console' })
  const status = statusLine('ks-status')
  const list = h('section', { id: 'ks-list', 'aria-label': 'Kill switches' })

  async function refresh(): Promise<void> {
    try {
      const { data } = await fabric().GET('/v1/killswitch')
      const switches = data?.killSwitches ?? []
      list.replaceChildren(
        switches.length === 0
          ? h('p', {}, 'No kill switch has been thrown.')
          : table('Kill switches', ['Scope', 'Agent', 'Active', 'Reason', 'By', 'At'], switches.map((k) => [k.scope, k.agentId ?? '', k.active ? 'ACTIVE' : 'lifted', k.reason, k.changedBy, k.changedAt])),
      )
    } catch (error) {
      status.textContent = describeError(error)
    }
  }

  async function change(active: boolean): Promise<void> {
    const target = scope.value === 'agent' ? `agent ${agentId.value}` : scope.value
    if (!confirm(`${active ? 'Throw' : 'Lift'} the kill switch for ${target}?${active ? ' Running work is aborted.' : ''}`)) return
    try {
      const body = { scope: scope.value as 'agent', active, reason: reason.value, ...(scope.value === 'agent' ? { agentId: agentId.value } : {}) }
      await fabric().POST('/v1/killswitch', { body })
      status.textContent = `Kill switch ${active ? 'thrown' : 'lifted'} for ${target}`
      await refresh()
    } catch (error) {
      status.textContent = `Refused: ${describeError(error)}`
    }
  }

  main.append(
    h(
      'form',
      { class: 'inline', 'aria-label': 'Kill switch', onsubmit: (event: Event) => event.preventDefault() },
      field('Scope', scope),
      field('Agent id', agentId),
      field('Reason', reason),
      h('button', { type: 'button', class: 'danger', onclick: () => change(true) }, 'Throw kill switch'),
      h('button', { type: 'button', onclick: () => change(false) }, 'Lift kill switch'),
    ),
    status,
    list,
  )
  void refresh()
}
