/**
 * SandboxClient over `@cloudflare/sandbox` (production): one container-backed
 * Durable Object per agent, `getSandbox(env.SANDBOX, id)`, work dir
 * `/workspace`. Every isolation level runs in that container (a VM-isolated
 * Cloudflare Container); egress is off (our Sandbox class sets
 * `enableInternet = false`) except for the allow-list, applied with
 * `setAllowedHosts`. Per run, the wall-clock limit is coreutils `timeout` and
 * the memory limit `ulimit -v`; CPU and disk are the container instance's.
 *
 * One path space, as with sandboxd: the tenant's tree is kept at /workspace,
 * and each command enters a private mount namespace where the container's
 * system directories are bound read-only into it (a fresh /proc and /tmp),
 * then chroots there — so `/a.txt` is the tenant's file. The mount points
 * are reserved names the manifest leaves out.
 *
 * The container service cannot run on these machines: this adapter is
 * covered by a contract test of the exact SDK calls it makes.
 */
import { getSandbox } from '@cloudflare/sandbox'
import { IsolationSchema, limitExceeded, signalFromExitCode, type ExecResponse } from '../../../sandboxd/protocol'
import { sha256Hex } from '../../core/digest'
import { base64ToBytes, bytesToBase64 } from '../native/base64-codec'
import type { Sandbox } from './cloudflare-sandbox-class'
import { type SandboxClient, type SandboxRef, type WorkDirEntry } from './client'
import { FabricError } from '../../../types/errors'
import { shellQuote } from './shell-quote'
import { reservedRootOf } from '../../../types/sandbox-paths'

export const CLOUDFLARE_WORK_DIR = '/workspace'
const DEFAULT_ISOLATION = IsolationSchema.parse({})
/** The SDK's own timeout is a backstop behind `timeout -s KILL` inside the container. */
const SDK_TIMEOUT_GRACE_MS = 5_000
const KILLED_BY_TIMEOUT = 137

const inWorkDir = (path: string) => (path === '' ? CLOUDFLARE_WORK_DIR : `${CLOUDFLARE_WORK_DIR}/${path}`)

/** Mounts of the container's system into the tenant's tree: read-only binds, the devices, a fresh /proc and a private /tmp. */
const ENTER_ROOT = [
  `R=${CLOUDFLARE_WORK_DIR}`,
  'for d in bin etc lib lib32 lib64 libx32 sbin usr; do if [ -d "/$d" ]; then mkdir -p "$R/$d" && mount -o rbind,ro "/$d" "$R/$d"; fi; done',
  'mkdir -p "$R/dev" "$R/proc" "$R/sys" "$R/tmp" "$R/run"',
  'mount --rbind /dev "$R/dev"',
  'mount -t proc proc "$R/proc"',
  'mount -t tmpfs -o size=64m tmpfs "$R/tmp"',
  'exec chroot "$R" /bin/sh -c "$0"',
].join(' && ')

/** `line` run in `cwd` (relative to the tree) with the tenant's tree as `/`, in a mount namespace of its own. */
export function inTenantRoot(line: string, cwd: string): string {
  return `unshare --mount --propagation private sh -c ${shellQuote(ENTER_ROOT)} ${shellQuote(`cd ${shellQuote(`/${cwd}`)} && ${line}`)}`
}

/** Sandbox ids are ≤ 63 lowercase DNS-safe characters: a hash of tenant and sandbox fits any pair of ids. */
export async function cloudflareSandboxId(ref: SandboxRef): Promise<string> {
  const hex = await sha256Hex(`${ref.tenantId}/${ref.sandboxId}`)
  return `fabric-${hex.slice(0, 40)}`
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** SDK failures as client errors: a container that cannot start is TIER_UNAVAILABLE, the rest SANDBOX_ERROR. */
async function sdk<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    const message = error instanceof Error ? error.message : String(error)
    const code = name === 'ContainerUnavailableError' ? 'TIER_UNAVAILABLE' : 'SANDBOX_ERROR'
    throw new FabricError(code, `@cloudflare/sandbox ${operation} failed: ${message}`)
  }
}

const USAGE_SCRIPT = [
  'cat /sys/fs/cgroup/cpu.stat',
  'echo "memory_peak $(cat /sys/fs/cgroup/memory.peak)"',
  `echo "disk_kb $(du -sk ${CLOUDFLARE_WORK_DIR} | cut -f1)"`,
  `echo "entries $(find ${CLOUDFLARE_WORK_DIR} -mindepth 1 | wc -l)"`,
].join('; ')

function usageField(output: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(output)
  if (!match?.[1]) throw new FabricError('SANDBOX_ERROR', `the container reported no ${name} (cgroup v2 statistics are needed for usage)`)
  return Number(match[1])
}

export function createCloudflareSandboxClient(namespace: DurableObjectNamespace<Sandbox>): SandboxClient {
  const open = async (ref: SandboxRef) =>
    getSandbox(namespace, await cloudflareSandboxId(ref), { labels: { tenant: ref.tenantId, sandbox: ref.sandboxId } })

  async function run(ref: SandboxRef, line: string, operation: string) {
    const sandbox = await open(ref)
    const result = await sdk(operation, () => sandbox.exec(line, { cwd: CLOUDFLARE_WORK_DIR }))
    if (result.exitCode !== 0) throw new FabricError('SANDBOX_ERROR', `${operation} failed in the container: ${result.stderr.trim()}`)
    return result.stdout
  }

  const client: SandboxClient = {
    backend: 'cloudflare',

    // Containers start on demand; there is no daemon to ping.
    ping: async () => {},

    async create(ref, isolation) {
      const sandbox = await open(ref)
      await sdk('setAllowedHosts', () => sandbox.setAllowedHosts(isolation.networkEgress))
      await sdk('mkdir', () => sandbox.mkdir(CLOUDFLARE_WORK_DIR, { recursive: true }))
    },

    async destroy(ref) {
      const sandbox = await open(ref)
      await sdk('destroy', () => sandbox.destroy())
    },

    async exec(ref, request): Promise<ExecResponse> {
      const isolation = request.isolation ?? DEFAULT_ISOLATION
      // A run without an isolation config keeps the egress allow-list the sandbox already has.
      if (request.isolation) await client.create(ref, request.isolation)
      const sandbox = await open(ref)
      let stdinRedirect = ''
      if (request.stdin) {
        const stdinPath = `/tmp/edge-fabric-stdin-${crypto.randomUUID()}`
        await sdk('writeFile', () => sandbox.writeFile(stdinPath, bytesToBase64(request.stdin ?? new Uint8Array()), { encoding: 'base64' }))
        stdinRedirect = ` < ${stdinPath}`
      }
      const line = request.command ?? (request.argv ?? []).map(shellQuote).join(' ')
      const seconds = Math.max(1, Math.ceil(request.timeoutMs / 1000))
      const limited = `ulimit -v ${isolation.memoryMb * 1024}; exec timeout -s KILL ${seconds} sh -c ${shellQuote(line)}`
      const result = await sdk('exec', () =>
        // stdin is redirected before entering the tenant's root: the file lies in the container's own /tmp.
        sandbox.exec(`${inTenantRoot(`sh -c ${shellQuote(limited)}`, request.cwd)}${stdinRedirect}`, {
          cwd: CLOUDFLARE_WORK_DIR,
          env: request.env,
          timeout: request.timeoutMs + SDK_TIMEOUT_GRACE_MS,
        }),
      )
      const timedOut = result.exitCode === KILLED_BY_TIMEOUT && result.duration >= request.timeoutMs
      const signal = signalFromExitCode(result.exitCode)
      return {
        exitCode: result.exitCode,
        signal,
        stdout: result.stdout,
        stderr: result.stderr,
        duration: result.duration,
        timedOut,
        truncated: false,
        limitExceeded: limitExceeded({ signal, stderr: result.stderr }),
        usage: null,
        level: isolation.level,
      }
    },

    async listFiles(ref): Promise<WorkDirEntry[]> {
      const sandbox = await open(ref)
      const listing = await sdk('listFiles', () => sandbox.listFiles(CLOUDFLARE_WORK_DIR, { recursive: true, includeHidden: true }))
      return listing.files.filter((file) => reservedRootOf(file.relativePath) === null).map((file) => ({
        path: file.relativePath,
        kind: file.type,
        size: file.type === 'directory' ? 0 : file.size,
        mtimeMs: Date.parse(file.modifiedAt),
      }))
    },

    async writeFiles(ref, write) {
      const sandbox = await open(ref)
      if (write.deletes.length > 0) await run(ref, `rm -rf -- ${write.deletes.map((p) => shellQuote(inWorkDir(p))).join(' ')}`, 'delete')
      for (const dir of write.mkdirs) await sdk('mkdir', () => sandbox.mkdir(inWorkDir(dir), { recursive: true }))
      const chmods = Object.entries(write.modes).map(([dir, mode]) => `chmod ${mode.toString(8)} -- ${shellQuote(inWorkDir(dir))}`)
      if (chmods.length > 0) await run(ref, chmods.join(' && '), 'chmod')
      for (const file of write.files) {
        const bytes = await readAll(await file.open())
        await sdk('writeFile', () => sandbox.writeFile(inWorkDir(file.path), bytesToBase64(bytes), { encoding: 'base64' }))
      }
      const mtimes = Object.fromEntries(write.files.map((file) => [file.path, file.mtimeMs]))
      if (write.files.length > 0) await client.setMtimes(ref, mtimes)
    },

    async readFile(ref, path, maxBytes) {
      const sandbox = await open(ref)
      const file = await sdk('readFile', () => sandbox.readFile(inWorkDir(path), { encoding: 'base64' }))
      const bytes = file.encoding === 'base64' ? base64ToBytes(file.content.replace(/\s+/g, '')) : new TextEncoder().encode(file.content)
      if (!bytes) throw new FabricError('SANDBOX_ERROR', `the container sent '${path}' as invalid base64; retry, or recreate the sandbox`, { path })
      if (bytes.length > maxBytes) {
        throw new FabricError('EFBIG', `'${path}' is ${bytes.length} bytes, over the ${maxBytes}-byte sync limit`, { path, size: bytes.length, maxBytes })
      }
      return { stream: new Response(bytes).body ?? new ReadableStream(), size: bytes.length }
    },

    async setMtimes(ref, mtimes) {
      const touches = Object.entries(mtimes).map(([path, ms]) => `touch -m -d @${(ms / 1000).toFixed(3)} -- ${shellQuote(inWorkDir(path))}`)
      if (touches.length > 0) await run(ref, touches.join(' && '), 'touch')
    },

    async usage(ref) {
      const output = await run(ref, USAGE_SCRIPT, 'usage')
      return {
        cpuUserMs: usageField(output, 'user_usec') / 1000,
        cpuSystemMs: usageField(output, 'system_usec') / 1000,
        maxRssKb: Math.round(usageField(output, 'memory_peak') / 1024),
        diskBytes: usageField(output, 'disk_kb') * 1024,
        files: usageField(output, 'entries'),
        execs: null,
      }
    },
  }
  return client
}
