/**
 * sandboxd's configuration, read once from the environment and validated:
 * a missing or short secret stops the service before it listens.
 */
import { resolve } from 'node:path'
import { z } from 'zod'
import { parseInternalAllowList } from './egress/address.ts'

export const SANDBOXD_VERSION = '0.1.0'
export const DEFAULT_PORT = 8788
/** The uid/gid commands run as when sandboxd itself runs as root (`nobody` on Debian). */
export const DEFAULT_SANDBOX_UID = 65534

const ConfigSchema = z.object({
  SANDBOXD_SECRET: z
    .string({ error: 'SANDBOXD_SECRET is not set: put a random string of 16+ characters in .dev.vars (SANDBOXD_SECRET=…)' })
    .min(16, 'SANDBOXD_SECRET must be at least 16 characters: generate one with `openssl rand -hex 24`'),
  /** 0 picks a free port (tests); the "listening" log line says which. */
  SANDBOXD_PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  SANDBOXD_STATE_DIR: z.string().min(1).default('.sandboxd'),
  SANDBOXD_SANDBOX_UID: z.coerce.number().int().min(1).max(4_294_967_294).default(DEFAULT_SANDBOX_UID),
  /** `1` allows isolation level `none` (a plain child process). Off by default: deny unless asked. */
  SANDBOXD_ALLOW_UNISOLATED: z.enum(['0', '1']).default('0'),
  /** Largest file accepted by `PUT …/file` and returned by `GET …/file`. */
  SANDBOXD_MAX_FILE_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  /** Internal hosts (loopback, private, link-local…) a sandbox's egress may reach, comma separated: the operator's choice, never a tenant's. */
  SANDBOXD_EGRESS_ALLOW_INTERNAL: z.string().max(4096).default(''),
  /** An agent's warm sandbox with no run for this long is reaped (the next run, or spawn, starts another). */
  SANDBOXD_WARM_IDLE_MS: z.coerce.number().int().positive().default(10 * 60 * 1000),
  /** The C compiler that builds the readdir filter and the warm sandbox's supervisor at start-up. */
  SANDBOXD_CC: z.string().min(1).max(4096).default('cc'),
})

export interface Config {
  secret: string
  /** sandboxd listens on loopback only; the port is the one knob. */
  host: '127.0.0.1'
  port: number
  stateDir: string
  sandboxUid: number
  allowUnisolated: boolean
  maxFileBytes: number
  egressAllowInternal: ReadonlySet<string>
  warmIdleMs: number
  compiler: string
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'))
  }
  const c = parsed.data
  return {
    secret: c.SANDBOXD_SECRET,
    host: '127.0.0.1',
    port: c.SANDBOXD_PORT,
    stateDir: resolve(cwd, c.SANDBOXD_STATE_DIR),
    sandboxUid: c.SANDBOXD_SANDBOX_UID,
    allowUnisolated: c.SANDBOXD_ALLOW_UNISOLATED === '1',
    maxFileBytes: c.SANDBOXD_MAX_FILE_BYTES,
    egressAllowInternal: parseInternalAllowList(c.SANDBOXD_EGRESS_ALLOW_INTERNAL),
    warmIdleMs: c.SANDBOXD_WARM_IDLE_MS,
    compiler: c.SANDBOXD_CC,
  }
}
