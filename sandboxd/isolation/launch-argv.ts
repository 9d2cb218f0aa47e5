/**
 * The argv that starts one command at a given isolation level — a pure
 * function, so every flag is unit-tested without running anything.
 *
 *   [taskset -c …] [setpriv → sandbox uid] bwrap <namespaces, mounts, env> --
 *     prlimit <rlimits> -- [egress forwarder … --] <command>
 *
 * Nothing but the listed mounts exists inside. bwrap resolves bind sources
 * as the unprivileged uid (after setpriv), so the work and run dirs must be
 * reachable by it (sandboxd keeps their parents at mode 0711); the egress
 * forwarder script is copied in from an inherited fd (`--ro-bind-data`).
 */
import type { IsolationLevel } from '../protocol.ts'
import type { SystemMount } from './host-tools.ts'
import { prlimitArgv, type ResolvedLimits } from './limits.ts'

/** Paths inside the sandbox. */
export const SANDBOX_WORK_DIR = '/work'
export const SANDBOX_RUN_DIR = '/run/sandboxd'
export const SANDBOX_FORWARDER = '/opt/sandboxd/egress-forwarder.pl'
export const EGRESS_SOCKET_NAME = 'egress.sock'
/** Where the in-sandbox forwarder listens; HTTP(S)_PROXY points here. */
export const EGRESS_PROXY_PORT = 3128

export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin'

export interface LaunchTools {
  /** Null on a host without bubblewrap, where only level `none` can launch. */
  bwrap: string | null
  prlimit: string
  setpriv: string
  taskset: string | null
  perl: string
}

/** Present when the sandbox has an egress allow-list. */
export interface LaunchEgress {
  /** Host dir holding the proxy's unix socket, bound read-only at /run/sandboxd. */
  hostRunDir: string
  /** fd (as numbered in the spawned child) from which bwrap copies the forwarder script in. */
  forwarderFd: number
}

export interface LaunchPlan {
  level: IsolationLevel
  tools: LaunchTools
  /** The uid/gid commands run as (inside the sandbox, and on the host when sandboxd is root). */
  sandboxUid: number
  /** sandboxd runs as root: drop to `sandboxUid` with setpriv before anything else. */
  dropPrivileges: boolean
  /** `taskset -c` list pinning the run to its share of cores, or null for all cores. */
  cpuList: string | null
  systemMounts: SystemMount[]
  /** Bound at /work (level `none`: used as is, there is no mount namespace). */
  hostWorkDir: string
  egress: LaunchEgress | null
  /** Relative to the work dir. */
  cwd: string
  env: Record<string, string>
  limits: ResolvedLimits
  command: string[]
}

export interface Launch {
  argv: string[]
  /** Environment of the spawned process itself: empty for sandboxed levels, so nothing of the host leaks in. */
  env: Record<string, string>
  /** Host cwd for the spawned process. */
  cwd: string
}

function joinPath(base: string, relative: string): string {
  return relative === '' ? base : `${base}/${relative}`
}

/** The environment a command sees: a fixed base, the egress proxy when allowed, then the caller's variables. */
export function commandEnv(plan: Pick<LaunchPlan, 'env' | 'egress' | 'level' | 'hostWorkDir'>): Record<string, string> {
  const home = plan.level === 'none' ? plan.hostWorkDir : SANDBOX_WORK_DIR
  const base: Record<string, string> = { PATH: DEFAULT_PATH, HOME: home, TMPDIR: '/tmp', LANG: 'C.UTF-8' }
  if (plan.egress) {
    const proxy = `http://127.0.0.1:${EGRESS_PROXY_PORT}`
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) base[name] = proxy
  }
  return { ...base, ...plan.env }
}

function hostPrefix(plan: LaunchPlan): string[] {
  const prefix: string[] = []
  if (plan.cpuList !== null && plan.tools.taskset) prefix.push(plan.tools.taskset, '-c', plan.cpuList)
  if (plan.dropPrivileges) {
    prefix.push(
      plan.tools.setpriv,
      `--reuid=${plan.sandboxUid}`,
      `--regid=${plan.sandboxUid}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--',
    )
  }
  return prefix
}

function mountArgs(plan: LaunchPlan): string[] {
  const args: string[] = []
  for (const mount of plan.systemMounts) {
    if (mount.kind === 'ro-bind') args.push('--ro-bind', mount.path, mount.path)
    else args.push('--symlink', mount.target, mount.path)
  }
  args.push('--proc', '/proc', '--dev', '/dev')
  args.push('--size', String(plan.limits.tmpBytes), '--tmpfs', '/tmp')
  args.push('--bind', plan.hostWorkDir, SANDBOX_WORK_DIR)
  if (plan.egress) {
    args.push('--ro-bind', plan.egress.hostRunDir, SANDBOX_RUN_DIR)
    args.push('--ro-bind-data', String(plan.egress.forwarderFd), SANDBOX_FORWARDER)
  }
  // Last: the root tmpfs bwrap builds becomes read-only, so only /work (the tenant tree) and the sized /tmp take writes.
  args.push('--remount-ro', '/')
  return args
}

function namespaceArgs(plan: LaunchPlan): string[] {
  const uid = String(plan.sandboxUid)
  const args = ['--unshare-user', '--uid', uid, '--gid', uid, '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net']
  // `container` hardens further: no nested user namespaces (a large kernel attack surface) and its own cgroup view.
  if (plan.level === 'container') args.push('--disable-userns', '--unshare-cgroup-try')
  return args
}

function envArgs(env: Record<string, string>): string[] {
  const args = ['--clearenv']
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value)
  return args
}

/** The rlimits come first, so the egress forwarder and the relays it forks count against them too. */
function inSandboxCommand(plan: LaunchPlan): string[] {
  const limits = prlimitArgv(plan.tools.prlimit, plan.limits)
  if (!plan.egress) return [...limits, ...plan.command]
  const socket = `${SANDBOX_RUN_DIR}/${EGRESS_SOCKET_NAME}`
  return [...limits, plan.tools.perl, SANDBOX_FORWARDER, socket, String(EGRESS_PROXY_PORT), '--', ...plan.command]
}

export function buildLaunch(plan: LaunchPlan): Launch {
  if (plan.level === 'none') {
    // No namespaces: a plain child process with rlimits, in the work dir's host path.
    return {
      argv: [...hostPrefix(plan), ...prlimitArgv(plan.tools.prlimit, plan.limits), ...plan.command],
      env: commandEnv(plan),
      cwd: joinPath(plan.hostWorkDir, plan.cwd),
    }
  }
  if (!plan.tools.bwrap) throw new Error(`isolation level '${plan.level}' needs bubblewrap (apt-get install -y bubblewrap)`)
  const argv = [
    ...hostPrefix(plan),
    plan.tools.bwrap,
    ...namespaceArgs(plan),
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
    ...mountArgs(plan),
    '--chdir',
    joinPath(SANDBOX_WORK_DIR, plan.cwd),
    ...envArgs(commandEnv(plan)),
    '--',
    ...inSandboxCommand(plan),
  ]
  return { argv, env: {}, cwd: '/' }
}
