import { describe, expect, it } from 'vitest'
import { REDACTED, isSecretKey, redact, redactText, stringifyRedacted } from '../../src/telemetry/redact'

// Fixtures are assembled from pieces so this file itself does not trip secret scanners.
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.')
const AWS_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE'
const GH_TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'
const OPENAI = 'sk-' + 'proj-' + 'Abcdefghijklmnop1234567890'
const ANTHROPIC = 'sk-ant-' + 'api03-Abcdefghijklmnop_1234567890'
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAq7BFUpkGp3+XQ', 'Q8v+DAmv0Qk=', '-----END RSA PRIVATE KEY-----'].join('\n')
const SLACK = 'xoxb-' + '1234567890-abcdefghij'
const STRIPE = 'sk_live_' + 'Abcdefghijklmnop1234'

describe('redactText: secret-looking values inside strings', () => {
  const cases: Array<[name: string, input: string, expected: string]> = [
    ['bearer token', 'Authorization: Bearer abcdef1234567890', `Authorization: Bearer ${REDACTED}`],
    ['basic auth header', 'auth Basic dXNlcjpwYXNzd29yZA==', `auth Basic ${REDACTED}`],
    ['OpenAI-style sk- key', `key is ${OPENAI} ok`, `key is ${REDACTED} ok`],
    ['Anthropic sk-ant- key', `use ${ANTHROPIC}`, `use ${REDACTED}`],
    ['AWS access key id', `aws ${AWS_KEY} region`, `aws ${REDACTED} region`],
    ['JWT', `jwt=${JWT};`, `jwt=${REDACTED};`],
    ['PEM private key', `before\n${PEM}\nafter`, `before\n${REDACTED}\nafter`],
    ['truncated PEM private key', 'x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg', `x ${REDACTED}`],
    ['GitHub token', `git clone https://x/${GH_TOKEN}`, `git clone https://x/${REDACTED}`],
    ['Slack token', `slack ${SLACK}`, `slack ${REDACTED}`],
    ['Stripe live key', `stripe ${STRIPE}`, `stripe ${REDACTED}`],
    ['credentials in a URL', 'postgres://admin:hunter2pass@db.internal:5432/app', `postgres://${REDACTED}@db.internal:5432/app`],
    ['shell assignment', 'export API_KEY=abc123def456 && run', `export API_KEY=${REDACTED} && run`],
    ['quoted JSON field in text', '{"password":"hunter2","user":"bob"}', `{"password":"${REDACTED}","user":"bob"}`],
    ['yaml-ish colon assignment', 'db_password: s3cr3tvalue', `db_password: ${REDACTED}`],
    ['plain text untouched', 'ls -la /workspace/src && echo done', 'ls -la /workspace/src && echo done'],
    ['short sk- words untouched', 'task-sk-1 is a name', 'task-sk-1 is a name'],
    ['already redacted stays stable', `Bearer ${REDACTED}`, `Bearer ${REDACTED}`],
  ]
  it.each(cases)('%s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected)
  })

  it.each(['exec:echo', 'at 2026-12-07T20:05:48.934Z', "stage 'echo' needs tier 1: 'echo' is a shell builtin", 'x=1 y=2 PATH=/usr/bin'])(
    'leaves %s as it is (a `:` or `=` with no secret name around it)',
    (text) => expect(redactText(text)).toBe(text),
  )

  // The cases above mostly name a secret, which sends a string through every pattern; here each secret
  // stands alone, so each pattern's own trigger is what lets it be scanned.
  const GOOGLE = 'AIza' + 'SyA1234567890abcdefghijklmnopqrstuv'
  const FABRIC = 'fab_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3'
  const PEM_PLAIN = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '-----END PRIVATE KEY-----'].join('\n')
  it.each([JWT, AWS_KEY, GH_TOKEN, OPENAI, ANTHROPIC, SLACK, STRIPE, GOOGLE, FABRIC, PEM_PLAIN, 'Bearer abcdef1234567890', 'token abcdef1234567890'])(
    'finds %s with no assignment around it',
    (secret) => {
      const redacted = redactText(`before ${secret} after`)
      expect(redacted).not.toContain(secret.split(/\s/).at(-1))
      expect(redacted).toMatch(/^before .*\[REDACTED\] after$/s)
    },
  )

  it('is idempotent', () => {
    const once = redactText(`token=${GH_TOKEN} ${PEM} Bearer abcdefghijkl`)
    expect(redactText(once)).toBe(once)
  })
})

describe('isSecretKey', () => {
  const secret = [
    'password', 'PASSWORD', 'passwd', 'dbPassword', 'db_password', 'token', 'accessToken', 'access_token',
    'x-auth-token', 'xauthtoken', 'refresh-token', 'secret', 'client_secret', 'clientSecret', 'Authorization',
    'api_key', 'apiKey', 'API-KEY', 'x-api-key', 'apikey', 'access_key', 'AWS_SECRET_ACCESS_KEY', 'private_key',
    'privateKey', 'cookie', 'Set-Cookie', 'session', 'credentials', 'credential', 'auth', 'jwt', 'pin', 'passphrase',
  ]
  const notSecret = [
    'tokenId', 'token_id', 'sessionId', 'maxTokensPerDay', 'tokensIn', 'tokens', 'idempotencyKey', 'author',
    'authorId', 'command', 'path', 'secretName', 'key', 'keys', 'model', 'pinned', 'tokenLabel', 'scopes',
  ]
  it.each(secret)('%s is secret', (key) => expect(isSecretKey(key)).toBe(true))
  it.each(notSecret)('%s is not secret', (key) => expect(isSecretKey(key)).toBe(false))
})

describe('redact: deep copies with secrets removed', () => {
  it('replaces values under secret keys at every depth, in objects and arrays', () => {
    const input = {
      user: 'bob',
      password: 'hunter2',
      nested: { Authorization: 'Bearer xyz', list: [{ api_key: 'k1', name: 'a' }, { API_KEY: 42 }] },
      env: { AWS_SECRET_ACCESS_KEY: 'abc', HOME: '/root' },
      tokenId: 'tok_1',
    }
    expect(redact(input)).toEqual({
      user: 'bob',
      password: REDACTED,
      nested: { Authorization: REDACTED, list: [{ api_key: REDACTED, name: 'a' }, { API_KEY: REDACTED }] },
      env: { AWS_SECRET_ACCESS_KEY: REDACTED, HOME: '/root' },
      tokenId: 'tok_1',
    })
  })

  it('replaces secret values inside strings under ordinary keys', () => {
    expect(redact({ command: `curl -H "Authorization: Bearer ${GH_TOKEN}" x`, args: [AWS_KEY, 'plain'] })).toEqual({
      command: `curl -H "Authorization: Bearer ${REDACTED}" x`,
      args: [REDACTED, 'plain'],
    })
  })

  it('redacts a secret-keyed object as a whole, not just its strings', () => {
    expect(redact({ credentials: { user: 'u', pass: 'p' } })).toEqual({ credentials: REDACTED })
  })

  it('leaves empty and null secret fields as they are (nothing to hide, and it shows absence)', () => {
    expect(redact({ password: '', token: null, secret: undefined })).toEqual({ password: '', token: null, secret: undefined })
  })

  it('does not mutate its input', () => {
    const input = { password: 'hunter2', inner: { token: 't' } }
    redact(input)
    expect(input).toEqual({ password: 'hunter2', inner: { token: 't' } })
  })

  it('handles cycles and keeps shared references shared', () => {
    type Node = { name: string; password: string; self?: Node; peers: Node[] }
    const a: Node = { name: 'a', password: 'p', peers: [] }
    a.self = a
    a.peers.push(a)
    const out = redact(a)
    expect(out.password).toBe(REDACTED)
    expect(out.self).toBe(out)
    expect(out.peers[0]).toBe(out)
    expect(out).not.toBe(a)
  })

  it('turns Errors into {name, message} with the message redacted', () => {
    const out = redact({ err: new TypeError(`bad key ${AWS_KEY}`) })
    expect(out.err).toEqual({ name: 'TypeError', message: `bad key ${REDACTED}` })
  })

  it('walks Maps and keeps primitives and dates', () => {
    const when = new Date('2026-01-02T03:04:05Z')
    const out = redact({ m: new Map<string, unknown>([['token', 'x'], ['n', `Bearer ${'a'.repeat(20)}`]]), n: 3, ok: true, when })
    expect([...out.m.entries()]).toEqual([['token', REDACTED], ['n', `Bearer ${REDACTED}`]])
    expect(out.n).toBe(3)
    expect(out.ok).toBe(true)
    expect(out.when.toISOString()).toBe('2026-01-02T03:04:05.000Z')
  })

  it('redacts a bare string', () => {
    expect(redact(`x ${OPENAI}`)).toBe(`x ${REDACTED}`)
  })
})

describe('stringifyRedacted: the redacted JSON text in one pass', () => {
  /** What the API wrote before: the text, parsed back, redacted, written again. */
  const roundTrip = (value: unknown): string => JSON.stringify(redact(JSON.parse(JSON.stringify(value))))

  it('writes the same text as redacting the parsed JSON, for every kind of value', () => {
    const when = new Date('2026-12-07T12:00:00.000Z')
    const values: unknown[] = [
      { stdout: `token ${GH_TOKEN}\n`, stderr: '', exitCode: 0, ok: true },
      { password: 'hunter2', apiKey: { nested: 'x' }, token: 0, secret: false, auth: '', credential: null, key: undefined, user: 'bob' },
      [`${OPENAI}`, { authorization: 'Bearer abcdef1234567890' }, [['db_password: s3cr3tvalue']], 3, null],
      { when, at: [when], nested: { toJSON: () => ({ password: 'from-toJSON', line: `aws ${AWS_KEY}` }) } },
      { error: new Error(`failed with ${STRIPE}`), map: new Map([['password', 'x']]), fn: () => 1, url: new URL('https://u:p4ssword@example.com/x') },
      { '0': 'first', '': `empty key ${SLACK}`, deep: { deeper: { env: { API_KEY: 'abc', PATH: '/bin' } } } },
      `bare ${JWT}`,
      42,
      null,
      [],
      {},
    ]
    for (const value of values) expect(stringifyRedacted(value)).toBe(roundTrip(value))
  })

  it('redacts under secret keys and inside strings, and leaves the rest byte for byte', () => {
    expect(stringifyRedacted({ user: 'bob', password: 'hunter2', note: `use ${ANTHROPIC}`, list: ['a', 1, true] })).toBe(
      `{"user":"bob","password":"${REDACTED}","note":"use ${REDACTED}","list":["a",1,true]}`,
    )
  })
})
