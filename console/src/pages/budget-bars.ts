/** Budget use as bars: one <meter> per limited dimension (tokens, compute seconds, cost), else the plain figures. */
import type { components } from '../../../client/index'
import { h } from '../dom'

type UsageReport = components['schemas']['UsageReport']
const DIMENSIONS = ['tokens', 'computeSeconds', 'costUsd'] as const

export function budgetBars(report: UsageReport | undefined): HTMLElement {
  if (!report) return h('span', {}, '—')
  const limited = DIMENSIONS.filter((d) => report.allowance[d] !== undefined)
  if (limited.length === 0) {
    return h('span', { class: 'muted' }, `no limit · ${report.used.tokens} tok, ${report.used.computeSeconds.toFixed(2)} s, $${report.used.costUsd.toFixed(4)}`)
  }
  return h(
    'span',
    { class: 'bars' },
    ...limited.map((d) => {
      const ratio = Math.min(1, report.ratio[d] ?? 0)
      const label = `${d} ${Math.round(ratio * 100)}% of ${report.allowance[d]}`
      return h('span', { class: 'bar' }, h('meter', { min: 0, max: 1, low: 0.7, high: 0.9, optimum: 0, value: ratio, 'aria-label': label }), ` ${label}`)
    }),
  )
}
