/**
 * Wires sandboxd together: probe the host, self-test bubblewrap with a real
 * run, and serve the API on loopback. Isolated levels are refused (never
 * downgraded) when bwrap is missing or its self-test fails.
 */
import type { AddressInfo } from 'node:net'
import { SANDBOXD_VERSION, type Config } from './config.ts'
import { createAuthenticator } from './auth.ts'
import { createSandboxdServer } from './http/server.ts'
import { ExecRequestSchema, type HealthResponse, type IsolationLevel } from './protocol.ts'
import { missingIsolationTools, probeHostTools, probeSystemMounts, type HostTools } from './isolation/host-tools.ts'
import { ExecService, type ExecEnvironment } from './sandbox/exec-service.ts'
import { SandboxRegistry } from './sandbox/registry.ts'
import { prepareSandboxFiles } from './isolation/sandbox-files.ts'
import type { Logger } from './logger.ts'

export interface RunningSandboxd {
  url: string
  close(): Promise<void>
}

/** Runs `id -u` in a throwaway container-level sandbox: proves namespaces, mounts and the uid drop work here. */
async function selfTest(registry: SandboxRegistry, execService: ExecService): Promise<string | null> {
  const probe = await registry.ensure('_sandboxd', '_selftest', { level: 'container', memoryMb: 512, cpuCores: 1, networkEgress: [] })
  try {
    // A warm sandbox that cannot start throws (bwrap's message is its reason); a fresh one fails the run.
    const result = await execService.exec(probe, ExecRequestSchema.parse({ argv: ['id', '-u'], timeoutMs: 10_000 })).catch((error: Error) => error)
    if (result instanceof Error || result.exitCode !== 0) {
      const reason = result instanceof Error ? result.message : result.stderr.trim() || `exit code ${result.exitCode}`
      const hint = /permission denied/i.test(reason)
        ? ` (the sandbox uid must be able to traverse every parent of SANDBOXD_STATE_DIR; choose a state dir under a world-executable path such as /var/lib/sandboxd)`
        : ''
      return `bubblewrap failed its self-test: ${reason}${hint}`
    }
    if (result.stdout.trim() === '0') return 'bubblewrap self-test ran as uid 0; refusing to run commands as root'
    return null
  } finally {
    await registry.destroy('_sandboxd', '_selftest')
  }
}

/** `tools` replaces the host probe, to run sandboxd as it behaves on a host without some tool. */
export async function startSandboxd(config: Config, log: Logger, options: { tools?: HostTools } = {}): Promise<RunningSandboxd> {
  const tools = options.tools ?? probeHostTools()
  const runningAsRoot = process.getuid?.() === 0
  const owner = runningAsRoot ? { uid: config.sandboxUid, gid: config.sandboxUid } : null
  const registry = new SandboxRegistry({
    stateDir: config.stateDir,
    owner,
    egressLog: (state) => (event) => log.info('egress', { tenant: state.tenant, sandbox: state.sandbox, ...event }),
    egressAllowInternal: config.egressAllowInternal,
    warmIdleMs: config.warmIdleMs,
  })
  const missing = missingIsolationTools(tools)
  const prepared = await prepareSandboxFiles(config.stateDir, config.compiler)
  for (const problem of prepared.problems) log.error('sandbox files incomplete', { problem })
  const environment: ExecEnvironment = {
    tools,
    systemMounts: probeSystemMounts(),
    sandboxFiles: prepared.files,
    supervisor: prepared.supervisor,
    registry,
    sandboxUid: config.sandboxUid,
    runningAsRoot,
    allowUnisolated: config.allowUnisolated,
    isolationProblem: missing.length > 0 ? `missing ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}` : null,
  }
  const execService = new ExecService(environment)
  if (environment.isolationProblem === null) environment.isolationProblem = await selfTest(registry, execService)
  if (environment.isolationProblem) log.error('isolated levels unavailable', { problem: environment.isolationProblem })

  const health = (): HealthResponse => {
    const levels: IsolationLevel[] = []
    if (config.allowUnisolated && tools.prlimit && tools.perl) levels.push('none')
    if (!environment.isolationProblem) levels.push('process', 'container')
    return {
      ok: true,
      version: SANDBOXD_VERSION,
      bubblewrap: { available: tools.bwrap !== null, version: tools.bwrap?.version ?? null, problem: environment.isolationProblem },
      levels,
    }
  }
  const server = createSandboxdServer(
    { registry, execService, health, owner, maxFileBytes: config.maxFileBytes },
    createAuthenticator(config.secret),
    log,
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${config.host}:${port}`
  log.info('listening', { url, stateDir: config.stateDir, levels: health().levels, runningAsRoot })
  return {
    url,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await registry.closeAll()
    },
  }
}
