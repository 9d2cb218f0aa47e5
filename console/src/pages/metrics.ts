/**
 * Metrics: GET /metrics (Prometheus text) every 5 s, drawn with uPlot:
 * per-tier execution latency histograms (count per bucket) and task rates per
 * status (tasks a second between two scrapes).
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { describeError, fabric } from '../api'
import { h, statusLine } from '../dom'
import { every, type Page } from '../page'
import { bucketCounts, parsePrometheus, sumBy, type Sample } from './prometheus'

const REFRESH_MS = 5000
const HISTORY = 60
const TIER_COLORS = ['#1f5fa8', '#8a4b00', '#2d6a2d', '#8b1a5c']
const STATUS_COLORS: Record<string, string> = { completed: '#2d6a2d', failed: '#a01818', cancelled: '#555555' }

function chartBox(title: string, id: string): { box: HTMLElement; area: HTMLElement } {
  const area = h('div', { class: 'chart', id, role: 'img', 'aria-label': title })
  return { box: h('figure', {}, h('figcaption', {}, title), area), area }
}

export const metricsPage: Page = (main) => {
  const status = statusLine('metrics-status')
  const latency = chartBox('Execution latency by tier: executions per bucket (seconds, upper bound)', 'latency-chart')
  const rates = chartBox('Task rate by status (tasks per second)', 'rate-chart')
  main.append(status, latency.box, rates.box)
  const width = () => Math.max(320, Math.min(900, main.clientWidth - 20))

  let latencyPlot: uPlot | undefined
  let ratePlot: uPlot | undefined
  let previous: { at: number; totals: Map<string, number> } | undefined
  const series: { at: number[]; byStatus: Map<string, number[]> } = { at: [], byStatus: new Map() }

  function drawLatency(samples: Sample[]): void {
    const byTier = bucketCounts(samples, 'agent_fabric_execution_duration_seconds_bucket', 'tier')
    const tiers = [...byTier.keys()].sort()
    const bounds = [...new Set(tiers.flatMap((t) => byTier.get(t)!.map((b) => b.le)))].filter(Number.isFinite).sort((a, b) => a - b)
    const xs = bounds.map((_, i) => i)
    const data: uPlot.AlignedData = [xs, ...tiers.map((t) => bounds.map((le) => byTier.get(t)!.find((b) => b.le === le)?.count ?? 0))]
    latencyPlot?.destroy()
    latencyPlot = new uPlot(
      {
        width: width(),
        height: 220,
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((i) => (bounds[i] !== undefined ? `≤${bounds[i]}` : '')) }, {}],
        series: [{ label: 'bucket' }, ...tiers.map((t, i) => ({ label: `tier ${t}`, stroke: TIER_COLORS[i % 4], fill: `${TIER_COLORS[i % 4]}33`, paths: uPlot.paths.bars!({ size: [0.8 / Math.max(tiers.length, 1), 60] }) }))],
      },
      data,
      latency.area,
    )
  }

  function drawRates(samples: Sample[], at: number): void {
    const totals = sumBy(samples, 'agent_fabric_tasks_total', 'status')
    if (previous) {
      const seconds = (at - previous.at) / 1000
      series.at.push(at / 1000)
      for (const state of new Set([...totals.keys(), ...series.byStatus.keys()])) {
        const values = series.byStatus.get(state) ?? series.at.slice(0, -1).map(() => 0)
        values.push(Math.max(0, ((totals.get(state) ?? 0) - (previous.totals.get(state) ?? 0)) / seconds))
        series.byStatus.set(state, values.slice(-HISTORY))
      }
      series.at.splice(0, Math.max(0, series.at.length - HISTORY))
    }
    previous = { at, totals }
    const states = [...series.byStatus.keys()].sort()
    ratePlot?.destroy()
    ratePlot = new uPlot(
      {
        width: width(),
        height: 220,
        series: [{}, ...states.map((s) => ({ label: s, stroke: STATUS_COLORS[s] ?? '#1f5fa8', width: 2 }))],
      },
      [series.at, ...states.map((s) => series.byStatus.get(s)!)],
      rates.area,
    )
  }

  const stop = every(REFRESH_MS, async () => {
    try {
      const { data } = await fabric().GET('/metrics', { parseAs: 'text' })
      const samples = parsePrometheus(data ?? '')
      drawLatency(samples)
      drawRates(samples, Date.now())
      status.textContent = `Updated ${new Date().toLocaleTimeString()} · ${samples.length} samples`
    } catch (error) {
      status.textContent = describeError(error)
    }
  })
  return () => {
    stop()
    latencyPlot?.destroy()
    ratePlot?.destroy()
  }
}
