/** A real sandboxd (in this process, real bwrap and processes) on a random port with a throwaway state dir. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../sandboxd/config'
import type { HostTools } from '../../sandboxd/isolation/host-tools'
import { createLogger } from '../../sandboxd/logger'
import { startSandboxd } from '../../sandboxd/service'

export const TEST_SECRET = 'test-secret-for-sandboxd-0123456789'

export interface TestSandboxd {
  url: string
  stateDir: string
  logs: string[]
  /** fetch with the bearer secret. */
  call(path: string, init?: RequestInit): Promise<Response>
  /** POST JSON, expect 200, return the parsed body. */
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>
  close(): Promise<void>
}

export async function startTestSandboxd(env: Record<string, string> = {}, options: { tools?: HostTools } = {}): Promise<TestSandboxd> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandboxd-test-'))
  const logs: string[] = []
  const config = loadConfig({ SANDBOXD_SECRET: TEST_SECRET, SANDBOXD_PORT: '0', SANDBOXD_STATE_DIR: stateDir, ...env })
  const running = await startSandboxd(config, createLogger((line) => logs.push(line)), options).catch(async (error) => {
    await rm(stateDir, { recursive: true, force: true })
    throw error
  })
  const call = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${TEST_SECRET}`)
    return fetch(`${running.url}${path}`, { ...init, headers })
  }
  return {
    url: running.url,
    stateDir,
    logs,
    call,
    async post(path, body) {
      const response = await call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      const text = await response.text()
      if (response.status !== 200) throw new Error(`POST ${path} → ${response.status}: ${text}`)
      return JSON.parse(text)
    },
    async close() {
      await running.close()
      await rm(stateDir, { recursive: true, force: true })
    },
  }
}
