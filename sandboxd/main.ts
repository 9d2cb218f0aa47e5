/**
 * sandboxd: the local Linux sandbox service behind tier 4.
 *
 *   SANDBOXD_SECRET=… node sandboxd/main.ts      (Node ≥ 22.18 runs the TypeScript directly)
 *
 * Environment: SANDBOXD_SECRET (required, 16+ chars), SANDBOXD_PORT (8788),
 * SANDBOXD_STATE_DIR (.sandboxd), SANDBOXD_SANDBOX_UID (65534),
 * SANDBOXD_ALLOW_UNISOLATED (0), SANDBOXD_MAX_FILE_BYTES (100 MiB),
 * SANDBOXD_LOG_LEVEL (info; `error` logs errors only).
 */
import { ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { startSandboxd } from './service.ts'

const log = createLogger(undefined, process.env.SANDBOXD_LOG_LEVEL === 'error' ? 'error' : 'info')

try {
  const sandboxd = await startSandboxd(loadConfig(process.env), log)
  const stop = async () => {
    await sandboxd.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  const message = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)
  log.error('refusing to start', { reason: message })
  process.exit(1)
}
