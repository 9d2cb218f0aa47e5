/** Streaming exec: output as server-sent events while the command runs, then the result. */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestSandboxd, type TestSandboxd } from './helpers'

let sandboxd: TestSandboxd
beforeAll(async () => {
  sandboxd = await startTestSandboxd()
})
afterAll(async () => {
  await sandboxd.close()
})

function parseEvents(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const [eventLine = '', dataLine = ''] = block.split('\n')
      return { event: eventLine.replace(/^event: /, ''), data: JSON.parse(dataLine.replace(/^data: /, '')) }
    })
}

it('streams stdout and stderr chunks in order, then one result event', async () => {
  const response = await sandboxd.call('/v1/sandboxes/t1/streamer/exec/stream', {
    method: 'POST',
    body: JSON.stringify({ command: 'for i in 1 2 3; do echo line $i; sleep 0.2; done; echo done >&2' }),
  })
  expect(response.headers.get('content-type')).toBe('text/event-stream')
  const events = parseEvents(await response.text())
  const stdout = events.filter((e) => e.event === 'stdout').map((e) => e.data.text).join('')
  const stderr = events.filter((e) => e.event === 'stderr').map((e) => e.data.text).join('')
  expect(stdout).toBe('line 1\nline 2\nline 3\n')
  expect(stderr).toBe('done\n')
  // Three separate writes 200 ms apart arrive as at least three events.
  expect(events.filter((e) => e.event === 'stdout').length).toBeGreaterThanOrEqual(3)
  const last = events.at(-1)
  expect(last?.event).toBe('result')
  expect(last?.data).toMatchObject({ exitCode: 0, stdout: 'line 1\nline 2\nline 3\n', stderr: 'done\n', timedOut: false })
})

it('ends the stream with an error event when the run cannot start', async () => {
  const response = await sandboxd.call('/v1/sandboxes/t1/streamer/exec/stream', {
    method: 'POST',
    body: JSON.stringify({ argv: ['true'], cwd: 'missing' }),
  })
  expect(parseEvents(await response.text())).toEqual([
    { event: 'error', data: { code: 'ENOENT', message: "cwd 'missing' is not a directory in the work dir: create it first (files batch mkdirs)" } },
  ])
})

it('streams no more than the output cap', async () => {
  const response = await sandboxd.call('/v1/sandboxes/t1/streamer/exec/stream', {
    method: 'POST',
    body: JSON.stringify({ command: 'head -c 5000 /dev/zero | tr "\\0" y', limits: { maxOutputBytes: 1024 } }),
  })
  const events = parseEvents(await response.text())
  expect(events.filter((e) => e.event === 'stdout').map((e) => e.data.text).join('')).toBe('y'.repeat(1024))
  expect(events.at(-1)?.data).toMatchObject({ truncated: true, stdout: 'y'.repeat(1024) })
})
