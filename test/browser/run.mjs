#!/usr/bin/env node
/**
 * `npm run test:browser`: the console in a real browser. Starts the fabric with
 * `npm run dev` (scripts/dev.mjs) on a free port, drives Debian's chromium
 * (apt-get install chromium) through playwright-core, and walks what an operator
 * does: sign in, spawn an agent, submit tasks and watch them arrive live over the
 * WebSocket, run a command line, open its execution in the WAL explorer and
 * replay it, approve a parked task, throw and lift a kill switch, read metrics.
 * Every page is checked for accessibility basics and photographed into
 * test-output/browser/. Only requests to the fabric itself are allowed.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startFabric } from '../../bench/lib/server.mjs'
import { fabricApi } from '../helpers/fabric-api.mjs'
import { consoleSize } from '../../scripts/build.mjs'
import { accessibilityProblems } from './a11y.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const shots = join(root, 'test-output', 'browser')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const agentId = `console-${Date.now().toString(36)}`
const FIRST_LOAD_LIMIT = 150 * 1024

let fabric
let api
let browser
let page
const foreignRequests = []


async function visit(hash) {
  await page.goto(`${fabric.url}/${hash}`)
  await page.locator('main h1').waitFor()
}

async function checkPage(name) {
  assert.deepEqual(await accessibilityProblems(page), [], `accessibility problems on ${name}`)
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })
}

before(async () => {
  mkdirSync(shots, { recursive: true })
  fabric = await startFabric()
  api = fabricApi(fabric)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true })
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  page.on('request', (request) => {
    if (!request.url().startsWith(fabric.url) && !request.url().startsWith(fabric.url.replace('http', 'ws'))) foreignRequests.push(request.url())
  })
  page.on('dialog', (dialog) => dialog.accept())
})

after(async () => {
  await browser?.close()
  if (fabric) {
    await api('DELETE', `/v1/policies/${agentId}-approve-rm`)
    await api('DELETE', `/v1/agents/${agentId}`)
    fabric.stop()
  }
})

test('first load is under 150 KB gzipped and the console is served by the fabric at /', async () => {
  const total = consoleSize().reduce((sum, file) => sum + file.gzipBytes, 0)
  assert.ok(total < FIRST_LOAD_LIMIT, `first load ${total} bytes gzipped`)
  const response = await fetch(`${fabric.url}/`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-security-policy') ?? '', /connect-src 'self'/)
  assert.match(await response.text(), /<script type="module" src="\/app\.js">/)
  console.log(`first load: ${(total / 1024).toFixed(1)} KB gzipped`)
})

test('sign-in refuses a wrong token and takes the right one, by keyboard only', async () => {
  await page.goto(`${fabric.url}/`)
  await page.getByLabel('Token').waitFor()
  await checkPage('sign-in')
  await page.keyboard.type('not-a-token')
  await page.keyboard.press('Enter')
  await page.getByText(/Sign-in failed: UNAUTHORIZED/).waitFor()
  await page.getByLabel('Token').fill('')
  await page.getByLabel('Token').focus()
  await page.keyboard.type(fabric.token)
  await page.keyboard.press('Enter')
  await page.locator('h1', { hasText: 'Agents' }).waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.getItem('edge-fabric.token')), fabric.token)
  // Keyboard: the first Tab reaches the skip link, the next ones the navigation.
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Agents')
})

test('spawn an agent from the agents page', async () => {
  await page.getByLabel('Agent id').fill(agentId)
  await page.getByRole('button', { name: 'Spawn agent' }).click()
  await page.getByText(`Spawned ${agentId} (RUNNING)`).waitFor()
  await page.getByRole('link', { name: agentId }).waitFor()
  await checkPage('agents')
})

test('submitted tasks arrive live on the agent timeline with attempts, tiers and durations', async () => {
  await page.getByRole('link', { name: agentId }).click()
  await page.getByText(/Stream: live/).waitFor()
  await page.getByLabel('Command').fill('echo one | wc -c')
  await page.getByRole('button', { name: 'Submit task' }).click()
  await page.getByLabel('Command').fill('printf two')
  await page.getByRole('button', { name: 'Submit task' }).click()
  // A task submitted by another client (curl, here fetch) shows up too: the timeline is the stream, not the form.
  const { status } = await api('POST', `/v1/agents/${agentId}/tasks`, { command: 'false', retry: { maxAttempts: 2, backoff: 'linear', initialDelayMs: 50, retryOn: 'failed_command' } })
  assert.equal(status, 201)
  await page.locator('#timeline > li.status-completed').nth(1).waitFor()
  await page.locator('#timeline > li.status-failed').waitFor()
  const failed = page.locator('#timeline > li.status-failed .attempt')
  await failed.nth(1).waitFor()
  // The retry event names the error, not the tier; the final failure names both.
  assert.match(await failed.nth(0).textContent(), /^#1 tier — \d+ ms retrying COMMAND_FAILED$/)
  assert.match(await failed.nth(1).textContent(), /^#2 tier 1 \d+ ms failed( COMMAND_FAILED)?$/)
  assert.match(await page.locator('#timeline > li.status-completed .attempt').first().textContent(), /^#1 tier 1 \d+ ms completed$/)
  await checkPage('agent-timeline')
})

test('a command line shows each stage with its tier and links to its execution', async () => {
  await visit('#/run')
  // Two routed stages (echo or printf would run in process as shell builtins, with no stage of their own).
  await page.getByRole('textbox', { name: 'Command line' }).fill('seq 3 | tr 1-3 a-c')
  await page.getByRole('button', { name: 'Run' }).click()
  await page.locator('#stdout', { hasText: 'a\nb\nc' }).waitFor()
  const rows = await page.locator('table tbody tr').allTextContents()
  assert.equal(rows.length, 2)
  assert.match(rows[0], /^1seq10/)
  assert.match(rows[1], /^2tr10/)
  await checkPage('run')
})

test('the WAL explorer shows the execution as a timeline with trace ids and replays it without divergence', async () => {
  await page.locator('#result a[href^="#/wal?executionId="]').click()
  await page.locator('.wal-timeline li').first().waitFor()
  const items = await page.locator('.wal-timeline li').allTextContents()
  assert.ok(items.some((text) => text.includes('task.completed')))
  const traces = await page.locator('.wal-timeline .trace').allTextContents()
  assert.ok(traces.every((trace) => /^[0-9a-f]{32}$/.test(trace)))
  await page.getByRole('button', { name: 'Replay full' }).click()
  await page.locator('.divergence', { hasText: 'No divergence' }).waitFor()
  await checkPage('wal-explorer')
  await page.getByRole('button', { name: 'Replay events_only' }).click()
  await page.locator('#replay-report h3', { hasText: 'Replay events_only' }).waitFor()
})

test('a task parked by a require_approval policy runs once approved in the inbox', async () => {
  await visit('#/policies')
  await page.getByLabel('Policy id').fill(`${agentId}-approve-rm`)
  await page.getByLabel('Policy (JSON)').fill(JSON.stringify({ scope: { level: 'agent', id: agentId }, priority: 10, rules: [{ actionPattern: 'exec:rm', effect: 'require_approval' }] }))
  await page.getByRole('button', { name: 'Save policy' }).click()
  await page.getByText(`Saved policy ${agentId}-approve-rm`).waitFor()
  await checkPage('policies')
  const submitted = await api('POST', `/v1/agents/${agentId}/tasks`, { command: 'rm -f /console-test-nothing' })
  assert.equal(submitted.status, 201)
  await visit('#/approvals')
  await page.getByRole('button', { name: 'Approve exec:rm' }).first().waitFor()
  await checkPage('approvals')
  await page.getByRole('button', { name: 'Approve exec:rm' }).first().click()
  await page.getByText(/^Approved /).waitFor()
  const task = await api('GET', `/v1/tasks/${submitted.body.taskId}?wait=20`)
  assert.equal(task.body.status, 'completed')
})

test('the kill switch is thrown and lifted after a confirmation, and governs the API meanwhile', async () => {
  await visit('#/killswitch')
  await page.getByLabel('Agent id').fill(agentId)
  await page.getByRole('button', { name: 'Throw kill switch' }).click()
  await page.getByText(`Kill switch thrown for agent ${agentId}`).waitFor()
  await page.locator('td', { hasText: 'ACTIVE' }).first().waitFor()
  const refused = await api('POST', '/v1/exec', { command: 'echo hi', agentId })
  assert.equal(refused.status, 403)
  await checkPage('killswitch')
  await page.getByRole('button', { name: 'Lift kill switch' }).click()
  await page.getByText(`Kill switch lifted for agent ${agentId}`).waitFor()
  const resumed = await api('POST', `/v1/agents/${agentId}/resume`)
  assert.ok([200, 409].includes(resumed.status), `resume answered ${resumed.status}`)
  const allowed = await api('POST', '/v1/exec', { command: 'echo hi', agentId })
  assert.equal(allowed.status, 200)
  assert.equal(allowed.body.stdout, 'hi\n')
})

test('metrics draw per-tier latency histograms and task rates, refreshed live', async () => {
  await visit('#/metrics')
  await page.locator('#latency-chart canvas').waitFor()
  await page.getByText(/Updated .* samples/).waitFor()
  const first = await page.locator('#metrics-status').textContent()
  await page.waitForFunction((before) => document.querySelector('#metrics-status')?.textContent !== before, first, { timeout: 15_000 })
  const legend = await page.locator('#latency-chart .u-legend').textContent()
  assert.match(legend, /tier 1/)
  await page.locator('#rate-chart canvas').waitFor()
  await checkPage('metrics')
})

test('the console reached nothing but the fabric', () => {
  assert.deepEqual(foreignRequests, [])
})
