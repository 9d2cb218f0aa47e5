/**
 * Secret hygiene: everything that leaves the governed path — a log line, a WAL
 * event, an audit record, an error body — goes through `redact` first.
 *
 * Two rules, applied together:
 * 1. a value stored under a secret-looking *key* (password, token, api_key,
 *    authorization, …; case-insensitive, at any depth) is replaced whole;
 * 2. a secret-looking *value* anywhere inside a string (bearer tokens, `sk-…`
 *    API keys, AWS access keys, JWTs, PEM private keys, GitHub tokens, secrets
 *    in URLs) is replaced in place, so the rest of the message stays readable.
 *
 * The input is never mutated; cycles and shared references are handled.
 */
export const REDACTED = '[REDACTED]'

/**
 * Key names whose values are secrets. A key is split into words (camelCase,
 * `_`, `-`, `.`, spaces), so `API_KEY`, `api-key`, `apiKey` and `x-api-key` all
 * match, while `maxTokensPerDay` (a limit) and `idempotencyKey` do not.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'auth',
  'oauth',
  'authorization',
  'cookie',
  'cookies',
  'session',
  'credential',
  'credentials',
  'bearer',
  'jwt',
  'otp',
  'pin',
  'ssn',
  'cvv',
])

/** Two-word secrets: `api key`, `private key`, … (also matched when written as one word). */
const SECRET_PAIRS = ['apikey', 'accesskey', 'privatekey', 'secretkey', 'signingkey', 'encryptionkey', 'setcookie']

/**
 * Keys written as one lower-case word still leak: `dbpassword`, `xauthtoken`.
 * These fragments are long enough that a substring match is not a false alarm.
 */
const SECRET_FRAGMENTS = ['password', 'passwd', 'passphrase', 'secret', 'credential', 'authorization', 'cookie']

/**
 * A last word that makes the key metadata *about* a secret, which the fabric
 * needs to read back: `tokenId`, `sessionId`, `secretName`, `passwordLength`.
 */
const METADATA_SUFFIXES = new Set([
  'id',
  'ids',
  'name',
  'names',
  'label',
  'prefix',
  'count',
  'type',
  'kind',
  'scope',
  'scopes',
  'ttl',
  'expires',
  'expiry',
  'at',
  'length',
  'len',
  'ref',
  'present',
  'set',
])

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
}

/**
 * Answers for keys already judged: the same few dozen keys (taskId, command, stdout …) pass through every
 * WAL event, stream event and response. Bounded: only short keys are kept, and a flood of new keys clears
 * it rather than growing it.
 */
const judgedKeys = new Map<string, boolean>()
const MAX_JUDGED_KEYS = 2048
const MAX_JUDGED_KEY_LENGTH = 64

/** True when the value stored under `key` must never be shown. */
export function isSecretKey(key: string): boolean {
  if (key.length > MAX_JUDGED_KEY_LENGTH) return judgeKey(key)
  const known = judgedKeys.get(key)
  if (known !== undefined) return known
  if (judgedKeys.size >= MAX_JUDGED_KEYS) judgedKeys.clear()
  const secret = judgeKey(key)
  judgedKeys.set(key, secret)
  return secret
}

function judgeKey(key: string): boolean {
  const words = keyWords(key)
  if (words.length === 0) return false
  if (words.length > 1 && METADATA_SUFFIXES.has(words[words.length - 1]!)) return false
  if (words.some((w) => SECRET_WORDS.has(w))) return true
  const joined = words.join('')
  if (SECRET_PAIRS.some((p) => joined.includes(p))) return true
  if (SECRET_FRAGMENTS.some((f) => joined.includes(f))) return true
  // `accesstoken`, `xauthtoken`, `refreshtoken`: one word that ends in "token".
  return joined.endsWith('token')
}

/**
 * Secret-looking values inside free text. Every quantifier that can repeat
 * over a long run is bounded, so scanning a megabyte of adversarial output
 * (`a.a.a…`, `a://a:…`) stays linear. Order matters: whole PEM blocks and
 * `key=value` pairs go first so the later token patterns do not split them.
 */
const SECRET_ASSIGNMENT_KEY = /password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|authorization/i

type Replacer = (match: string, ...groups: string[]) => string

/**
 * Each pattern names its `trigger`: text it cannot match without (case aside).
 * Most strings of a response or an event (ids, statuses, short outputs) hold
 * none of them, and one scan for all triggers lets them pass instead of 13
 * replaces each (a batch answer of 1,000 tasks holds thousands of strings).
 */
const VALUE_PATTERNS: ReadonlyArray<{ name: string; trigger: string; pattern: RegExp; replace: string | Replacer }> = [
  {
    name: 'pem-private-key',
    trigger: '-----BEGIN ',
    // The body (base64, headers like `Proc-Type: 4,ENCRYPTED`) is taken greedily up to a `-----` and bounded, so text
    // without an END costs one pass; a key cut off before its END line is redacted to the end of the text.
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY-----(?:[A-Za-z0-9+/=\s:,.]|-(?!----)){0,20000}(?:-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY-----)?/g,
    replace: REDACTED,
  },
  { name: 'bearer', trigger: 'bearer|basic|token', pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: `$1 ${REDACTED}` },
  { name: 'jwt', trigger: 'eyJ', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: REDACTED },
  { name: 'openai-style', trigger: 'sk-', pattern: /\bsk-(?:[A-Za-z0-9]{1,64}-){0,8}[A-Za-z0-9_]{16,}/g, replace: REDACTED },
  { name: 'anthropic', trigger: 'sk-ant-', pattern: /\bsk-ant-[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  { name: 'aws-access-key', trigger: 'AKIA|ASIA|AGPA|AIDA|AROA|ANPA', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { name: 'github', trigger: 'gh[pousr]_|github_pat_', pattern: /\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/g, replace: REDACTED },
  { name: 'slack', trigger: 'xox', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { name: 'google-api-key', trigger: 'AIza', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: REDACTED },
  { name: 'stripe', trigger: '_live_|_test_', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: REDACTED },
  { name: 'fabric-token', trigger: 'fab_', pattern: /\bfab_[A-Za-z0-9_]{24,}/g, replace: REDACTED },
  { name: 'url-credentials', trigger: '://', pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s:/@]{1,256}:[^\s/@]{1,256}@/gi, replace: `$1${REDACTED}@` },
  {
    name: 'assignment',
    // It replaces only where the key names a secret, so a string with no such name cannot match: most strings
    // with a `:` or `=` (ISO times, `exec:echo` actions, route reasons) skip every scan.
    trigger: SECRET_ASSIGNMENT_KEY.source,
    // `password=…`, `API_KEY: "…"`, `"token":"…"` inside free text (shell commands, JSON dumps, env dumps);
    // an `Authorization: Bearer …` header keeps its scheme word, the bearer rule already took the value.
    // The key starts only where a run of key characters starts (the lookbehind), so each run is tried once.
    pattern: /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z0-9_.-]{1,128})(["']?\s{0,8}[:=]\s{0,8})(["']?)(?!\[REDACTED\]|(?:Bearer|Basic|Token)\s)([^\s"',;&]{3,4096})\4/g,
    replace: (match, open: string, key: string, separator: string, quote: string) =>
      SECRET_ASSIGNMENT_KEY.test(key) ? `${open}${key}${separator}${quote}${REDACTED}${quote}` : match,
  },
]

/** One scan that every string holding a secret-looking value matches (a superset: case is ignored). */
const MAY_HOLD_SECRET = new RegExp(VALUE_PATTERNS.map((p) => p.trigger).join('|'), 'i')

/** Replaces every secret-looking value inside `text`. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text
  let out = text
  for (const { pattern, replace } of VALUE_PATTERNS) out = typeof replace === 'string' ? out.replace(pattern, replace) : out.replace(pattern, replace)
  return out
}

/** The value under `key` is replaced whole: the key names a secret and the value is not empty (absence is shown as it is). */
function hiddenUnder(key: string, value: unknown): boolean {
  return isSecretKey(key) && value !== null && value !== undefined && value !== ''
}

function redactInner(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  const prior = seen.get(value)
  if (prior !== undefined) return prior
  if (Array.isArray(value)) {
    const copy: unknown[] = []
    seen.set(value, copy)
    for (const item of value) copy.push(redactInner(item, seen))
    return copy
  }
  if (value instanceof Error) {
    const copy = { name: value.name, message: redactText(value.message) }
    seen.set(value, copy)
    return copy
  }
  if (value instanceof Date) return new Date(value.getTime())
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>()
    seen.set(value, copy)
    for (const [k, v] of value) copy.set(k, typeof k === 'string' && isSecretKey(k) ? REDACTED : redactInner(v, seen))
    return copy
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
  const copy: Record<string, unknown> = {}
  seen.set(value, copy)
  for (const [k, v] of Object.entries(value)) {
    copy[k] = hiddenUnder(k, v) ? REDACTED : redactInner(v, seen)
  }
  return copy
}

/**
 * A deep copy of `value` with secrets replaced by `"[REDACTED]"`. Strings are
 * scanned for secret-looking values; objects (plain, arrays, Maps, Errors) are
 * walked, and the value under a secret-looking key is replaced whole. Binary
 * buffers are returned as-is (they are never logged as text).
 */
export function redact<T>(value: T): T {
  return redactInner(value, new WeakMap()) as T
}

/**
 * The JSON text of `value` with the redaction rule applied as it is written: the same text as
 * `JSON.stringify(redact(JSON.parse(JSON.stringify(value))))` (a secret-looking key's value, once `toJSON`
 * has run, replaced whole unless null or empty; every string scanned), without the round trip. What
 * JSON drops (undefined, functions, symbols) is dropped here too, never replaced.
 */
export function stringifyRedacted(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
    // What JSON drops stays dropped; an array's items come with their index as the key, which names nothing.
    if (typeof item === 'function' || typeof item === 'symbol') return item
    if (key !== '' && !Array.isArray(this) && hiddenUnder(key, item)) return REDACTED
    return typeof item === 'string' ? redactText(item) : item
  })
}
