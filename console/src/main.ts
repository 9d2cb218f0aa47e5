/**
 * The console shell: sign-in, navigation and a hash router (#/agents,
 * #/agents/<id>, #/run, #/wal, #/approvals, #/policies, #/killswitch, #/metrics).
 * Each page renders into <main> and hands back a cleanup (sockets, timers).
 */
import './style.css'
import { describeError, fabric, signIn, signOut, token } from './api'
import { field, h, statusLine } from './dom'
import type { Page } from './page'
import { agentPage } from './pages/agent'
import { agentsPage } from './pages/agents'
import { approvalsPage } from './pages/approvals'
import { killSwitchPage } from './pages/killswitch'
import { metricsPage } from './pages/metrics'
import { policiesPage } from './pages/policies'
import { runPage } from './pages/run'
import { walPage } from './pages/wal'

const PAGES: { path: string; title: string; page: Page }[] = [
  { path: 'agents', title: 'Agents', page: agentsPage },
  { path: 'run', title: 'Run a command', page: runPage },
  { path: 'wal', title: 'WAL explorer', page: walPage },
  { path: 'approvals', title: 'Approvals', page: approvalsPage },
  { path: 'policies', title: 'Policies', page: policiesPage },
  { path: 'killswitch', title: 'Kill switch', page: killSwitchPage },
  { path: 'metrics', title: 'Metrics', page: metricsPage },
]

const app = document.getElementById('app') as HTMLElement
let cleanup: (() => void) | void

function renderSignIn(): void {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true })
  const status = statusLine('signin-status')
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        signIn(input.value.trim())
        try {
          const { data } = await fabric().GET('/v1/whoami')
          if (!data) throw new Error('no answer')
          location.hash = '#/agents'
          render()
        } catch (error) {
          signOut()
          status.textContent = `Sign-in failed: ${describeError(error)}`
        }
      },
    },
    h('h1', {}, 'edge-fabric console'),
    h('p', {}, 'Sign in with a fabric token (kept in this tab only).'),
    field('Token', input),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  )
  app.replaceChildren(h('main', { id: 'main' }, form))
  input.focus()
}

function render(): void {
  if (cleanup) cleanup()
  cleanup = undefined
  if (!token()) return renderSignIn()
  const [path = 'agents', ...rest] = location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/')
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '')
  const entry = path === 'agents' && rest[0] ? { title: `Agent ${decodeURIComponent(rest[0])}`, page: agentPage } : PAGES.find((p) => p.path === path) ?? PAGES[0]!
  const main = h('main', { id: 'main', tabindex: -1 })
  const nav = h(
    'nav',
    { 'aria-label': 'Console' },
    h(
      'ul',
      {},
      ...PAGES.map((p) => h('li', {}, h('a', { href: `#/${p.path}`, 'aria-current': p.path === path ? 'page' : false }, p.title))),
    ),
    h('button', { type: 'button', class: 'link', onclick: () => (signOut(), render()) }, 'Sign out'),
  )
  app.replaceChildren(h('a', { href: '#main', class: 'skip' }, 'Skip to content'), h('header', {}, h('strong', {}, 'edge-fabric'), nav), main)
  document.title = `${entry.title} · edge-fabric`
  main.append(h('h1', {}, entry.title))
  cleanup = entry.page(main, { id: rest[0] ? decodeURIComponent(rest[0]) : '', query })
}

window.addEventListener('hashchange', render)
render()
