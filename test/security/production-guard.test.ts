import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insecureConfigReason } from '../../src/api/auth/config-guard'
import { resolveToken } from '../../src/api/auth/tokens'
import { createApp } from '../../src/api/app'
import type { Env } from '../../src/env'

const app = createApp()

function request(overrides: Partial<Env>, path = '/health') {
  return app.request(path, { headers: { authorization: 'Bearer test-dev-token' } }, { ...env, ...overrides })
}

describe('production guard', () => {
  it('refuses every request, even /health, when a dev token is configured outside local', async () => {
    for (const FABRIC_ENV of ['production', 'staging']) {
      const response = await request({ FABRIC_ENV, FABRIC_DEV_TOKEN: 'dev-token-change-me' })
      expect(response.status).toBe(503)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('INSECURE_CONFIG')
      expect(body.error.message).toContain('FABRIC_DEV_TOKEN')
      expect(body.error.message).not.toContain('dev-token-change-me')
    }
  })

  it('serves in production without a dev token, and the dev token is then unknown', async () => {
    const { FABRIC_DEV_TOKEN: _unused, ...withoutDevToken } = env
    expect(insecureConfigReason({ FABRIC_ENV: 'production' })).toBeUndefined()
    const health = await app.request('/health', {}, { ...withoutDevToken, FABRIC_ENV: 'production' })
    expect(health.status).toBe(200)
    expect(await resolveToken({ ...withoutDevToken, FABRIC_ENV: 'production' } as Env, 'test-dev-token')).toBeUndefined()
  })

  it('the RPC path (resolveToken) refuses too', async () => {
    await expect(resolveToken({ ...env, FABRIC_ENV: 'production' }, 'test-dev-token')).rejects.toThrow(/refusing to serve/)
  })
})
