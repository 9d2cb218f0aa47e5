/**
 * The WAL explorer: filter the write-ahead log by execution, session, intent
 * type, event type and time; one execution's events as a timeline with their
 * trace ids; replay it events_only, state_only or full and read the
 * divergence report. The filters live in the URL hash (#/wal?executionId=…).
 */
import { WAL_EVENT_TYPES } from '../../../types/fabric'
import type { components } from '../../../client/index'
import { describeError, fabric } from '../api'
import { field, h, select, statusLine, table } from '../dom'
import type { Page } from '../page'

type WalEvent = components['schemas']['WalEvent']
const MODES = ['events_only', 'state_only', 'full'] as const
const FILTERS = ['executionId', 'sessionId', 'type'] as const

const localToIso = (value: string) => (value ? new Date(value).toISOString() : undefined)

function executionTimeline(events: WalEvent[]): HTMLElement {
  const start = Date.parse(events[0]?.at ?? '')
  return h(
    'ol',
    { class: 'wal-timeline', 'aria-label': 'Events of the execution in order' },
    ...events.map((e) =>
      h(
        'li',
        {},
        h('span', { class: 'seq' }, `#${e.seq}`),
        h('span', { class: 'badge' }, e.type),
        h('span', {}, `+${Date.parse(e.at) - start} ms`),
        e.tier ? h('span', {}, `tier ${e.tier}`) : null,
        h('code', { class: 'trace', title: 'trace id' }, e.traceId),
        h('details', {}, h('summary', {}, 'data'), h('pre', {}, JSON.stringify(e.data, null, 2))),
      ),
    ),
  )
}

/** The full replay's verdict: `rerun.matches` and its `differences`; the other modes re-run nothing. */
function divergenceOf(report: Record<string, unknown>): string {
  const rerun = report.rerun
  if (typeof rerun !== 'object' || rerun === null) return 'Nothing re-run in this mode: the state is folded from the recorded events.'
  const { matches, differences, reexecuted } = rerun as { matches?: boolean; differences?: unknown[]; reexecuted?: boolean }
  if (reexecuted === false) return 'Not re-executed (only tier-1 work is re-run).'
  return matches ? 'No divergence: the re-run matches the record.' : `Divergence: ${differences?.length ?? 0} difference(s) — ${JSON.stringify(differences)}`
}

export const walPage: Page = (main, { query }) => {
  const inputs = Object.fromEntries(FILTERS.map((name) => [name, h('input', { id: `wal-${name}`, name, value: query.get(name) ?? '' })])) as Record<(typeof FILTERS)[number], HTMLInputElement>
  const eventType = select('wal-eventType', ['', ...WAL_EVENT_TYPES], query.get('eventType') ?? '')
  const since = h('input', { id: 'wal-since', name: 'since', type: 'datetime-local' })
  const until = h('input', { id: 'wal-until', name: 'until', type: 'datetime-local' })
  const status = statusLine('wal-status')
  const results = h('section', { id: 'wal-results', 'aria-label': 'WAL events' })
  const replay = h('section', { id: 'replay', 'aria-label': 'Replay' })

  async function load(): Promise<void> {
    const executionId = inputs.executionId.value.trim()
    const q = {
      ...(executionId ? { executionId } : {}),
      ...(inputs.sessionId.value.trim() ? { sessionId: inputs.sessionId.value.trim() } : {}),
      ...(inputs.type.value.trim() ? { type: inputs.type.value.trim() } : {}),
      ...(eventType.value ? { eventType: eventType.value as WalEvent['type'] as 'task.started' } : {}),
      ...(localToIso(since.value) ? { since: localToIso(since.value) } : {}),
      ...(localToIso(until.value) ? { until: localToIso(until.value) } : {}),
      limit: 200,
    }
    try {
      const { data } = await fabric().GET('/v1/wal', { params: { query: q } })
      const events = data?.events ?? []
      status.textContent = `${events.length} event(s)${data?.nextCursor !== undefined ? ' (more: narrow the filters)' : ''}`
      if (executionId) {
        results.replaceChildren(h('h2', {}, `Execution ${executionId}`), executionTimeline(events))
        replay.replaceChildren(
          h('h2', {}, 'Replay'),
          h('div', { role: 'group', 'aria-label': 'Replay modes', class: 'actions' }, ...MODES.map((mode) => h('button', { type: 'button', onclick: () => runReplay(executionId, mode) }, `Replay ${mode}`))),
        )
        return
      }
      replay.replaceChildren()
      results.replaceChildren(
        table(
          'Events, oldest first',
          ['Execution', 'Seq', 'Type', 'Agent', 'Tier', 'Trace', 'At'],
          events.map((e) => [h('a', { href: `#/wal?executionId=${encodeURIComponent(e.executionId)}` }, e.executionId), String(e.seq), e.type, e.agentId ?? '', e.tier ? String(e.tier) : '', h('code', {}, e.traceId), e.at]),
        ),
      )
    } catch (error) {
      status.textContent = `Query failed: ${describeError(error)}`
    }
  }

  async function runReplay(executionId: string, mode: (typeof MODES)[number]): Promise<void> {
    const out = h('div', { id: 'replay-report', role: 'region', 'aria-label': `Replay ${mode} report` }, `Replaying ${mode}…`)
    replay.querySelector('#replay-report')?.remove()
    replay.append(out)
    try {
      const { data } = await fabric().POST('/v1/executions/{id}/replay', { params: { path: { id: executionId } }, body: { mode } })
      const report = data ?? {}
      out.replaceChildren(h('h3', {}, `Replay ${mode}`), h('p', { class: 'divergence' }, divergenceOf(report)), h('pre', {}, JSON.stringify(report, null, 2)))
    } catch (error) {
      out.textContent = `Replay failed: ${describeError(error)}`
    }
  }

  const form = h(
    'form',
    {
      class: 'inline',
      'aria-label': 'Filter the WAL',
      onsubmit: (event: Event) => {
        event.preventDefault()
        void load()
      },
    },
    field('Execution id', inputs.executionId),
    field('Session id', inputs.sessionId),
    field('Intent type', inputs.type),
    field('Event type', eventType),
    field('Since', since),
    field('Until', until),
    h('button', { type: 'submit' }, 'Search'),
  )
  main.append(form, status, results, replay)
  void load()
}
