/**
 * The argv that starts a sandbox at a given isolation level — pure
 * functions, so every flag is unit-tested without running anything. A warm
 * sandbox (buildWarmLaunch) runs the supervisor, which then runs each command
 * with its own rlimits, cwd and env; a one-off run (buildLaunch, used at level
 * `none` or without a compiled supervisor) runs the command itself:
 *
 *   [taskset -c …] [setpriv → sandbox uid] bwrap <namespaces, mounts> -- /run/sandboxd-supervisor
 *   [taskset -c …] [setpriv → sandbox uid] bwrap <namespaces, mounts, env> --
 *     prlimit <rlimits> -- [egress forwarder … --] <command>
 *
 * One path space with fsx: the agent's work tree is bound as the sandbox's
 * root, so `/a.txt` is the tenant's `/a.txt`; the system directories are
 * mounted read-only over it (/proc, /dev and a private /tmp fresh), at the
 * reserved names of types/sandbox-paths.ts. bwrap leaves their mount points
 * in the work tree; the manifest never lists them. Commands run as `fabric`
 * (uid 1000 inside, the owner tier 1's ls prints), and a preloaded library
 * hides the reserved names from readdir("/").
 *
 * Nothing but the listed mounts exists inside. bwrap resolves bind sources
 * as the unprivileged uid (after setpriv), so the work and run dirs must be
 * reachable by it (sandboxd keeps their parents at mode 0711); the egress
 * forwarder script is copied in from an inherited fd (`--ro-bind-data`).
 */
import type { IsolationLevel } from '../protocol.ts'
import type { SystemMount } from './host-tools.ts'
import { prlimitArgv, type ResolvedLimits } from './limits.ts'

/** Paths inside the sandbox (all under the reserved /run). */
export const SANDBOX_RUN_DIR = '/run/sandboxd'
export const SANDBOX_FORWARDER = '/run/sandboxd-egress-forwarder.pl'
export const SANDBOX_PRELOAD = '/run/sandboxd-hide-reserved.so'
export const SANDBOX_SUPERVISOR = '/run/sandboxd-supervisor'
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
  /** Host files mounted into the sandbox: its identity (passwd/group naming uid 1000) and the readdir filter. */
  sandboxFiles: SandboxFiles
  /** Bound as the sandbox's root (level `none`: used as is, there is no mount namespace). */
  hostWorkDir: string
  egress: LaunchEgress | null
  /** Relative to the work dir. */
  cwd: string
  env: Record<string, string>
  limits: ResolvedLimits
  command: string[]
}

export interface SandboxFiles {
  passwd: string
  group: string
  /** The compiled hide-reserved library, or null where no C compiler was found (the reserved names then show in `ls /`). */
  preload: string | null
}

/** What a sandbox is, apart from any one command: what a warm sandbox is started with. */
export type SandboxPlan = Omit<LaunchPlan, 'cwd' | 'env' | 'limits' | 'command'> & {
  /** Size of the private tmpfs at /tmp. */
  tmpBytes: number
}

/** Who commands run as inside the sandbox: the owner tier 1 shows for fsx files. */
export const SANDBOX_IDENTITY = { name: 'fabric', id: 1000 } as const

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
export function commandEnv(plan: Pick<LaunchPlan, 'env' | 'egress' | 'level' | 'hostWorkDir' | 'sandboxFiles'>): Record<string, string> {
  // HOME is the private /tmp, so dotfiles a program writes do not land in the tenant's tree.
  const home = plan.level === 'none' ? plan.hostWorkDir : '/tmp'
  const base: Record<string, string> = { PATH: DEFAULT_PATH, HOME: home, TMPDIR: '/tmp', LANG: 'C.UTF-8' }
  if (plan.egress) {
    const proxy = `http://127.0.0.1:${EGRESS_PROXY_PORT}`
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) base[name] = proxy
  }
  const command = { ...base, ...plan.env }
  if (plan.level !== 'none' && plan.sandboxFiles.preload !== null) command.LD_PRELOAD = SANDBOX_PRELOAD
  return command
}

function hostPrefix(plan: Pick<SandboxPlan, 'cpuList' | 'tools' | 'dropPrivileges' | 'sandboxUid'>): string[] {
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

/** `/bin → usr/bin` becomes a bind of /usr/bin: bwrap 0.8 cannot make a symlink where an earlier run left one. */
function systemSource(mount: SystemMount): string {
  return mount.kind === 'ro-bind' ? mount.path : mount.target.startsWith('/') ? mount.target : `/${mount.target}`
}

function mountArgs(plan: SandboxPlan): string[] {
  const args: string[] = ['--bind', plan.hostWorkDir, '/']
  for (const mount of plan.systemMounts) args.push('--ro-bind', systemSource(mount), mount.path)
  args.push('--ro-bind', plan.sandboxFiles.passwd, '/etc/passwd', '--ro-bind', plan.sandboxFiles.group, '/etc/group')
  args.push('--proc', '/proc', '--dev', '/dev')
  args.push('--size', String(plan.tmpBytes), '--tmpfs', '/tmp')
  if (plan.sandboxFiles.preload !== null) args.push('--ro-bind', plan.sandboxFiles.preload, SANDBOX_PRELOAD)
  if (plan.egress) {
    args.push('--ro-bind', plan.egress.hostRunDir, SANDBOX_RUN_DIR)
    args.push('--ro-bind-data', String(plan.egress.forwarderFd), SANDBOX_FORWARDER)
  }
  return args
}

function namespaceArgs(plan: SandboxPlan): string[] {
  const uid = String(SANDBOX_IDENTITY.id)
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

/** The command as run inside the sandbox: behind the egress forwarder when the sandbox has egress. */
export function sandboxedCommand(plan: Pick<LaunchPlan, 'egress' | 'tools' | 'command'>): string[] {
  if (!plan.egress) return plan.command
  const socket = `${SANDBOX_RUN_DIR}/${EGRESS_SOCKET_NAME}`
  return [plan.tools.perl, SANDBOX_FORWARDER, socket, String(EGRESS_PROXY_PORT), '--', ...plan.command]
}

/** Everything up to the mounts: the same for a one-off run and a warm sandbox. */
function bwrapPrefix(plan: SandboxPlan, bwrap: string): string[] {
  return [...hostPrefix(plan), bwrap, ...namespaceArgs(plan), '--die-with-parent', '--new-session', '--hostname', 'sandbox', ...mountArgs(plan)]
}

function requireBwrap(plan: Pick<SandboxPlan, 'tools' | 'level'>): string {
  if (!plan.tools.bwrap) throw new Error(`isolation level '${plan.level}' needs bubblewrap (apt-get install -y bubblewrap)`)
  return plan.tools.bwrap
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
  // The rlimits come first, so the egress forwarder and the relays it forks count against them too.
  const argv = [
    ...bwrapPrefix({ ...plan, tmpBytes: plan.limits.tmpBytes }, requireBwrap(plan)),
    '--chdir',
    `/${plan.cwd}`,
    ...envArgs(commandEnv(plan)),
    '--',
    ...prlimitArgv(plan.tools.prlimit, plan.limits),
    ...sandboxedCommand(plan),
  ]
  return { argv, env: {}, cwd: '/' }
}

/**
 * A warm sandbox: the same namespaces and mounts, with the supervisor
 * (supervisor.c) as its only process until a command arrives. It starts
 * with an empty environment; each command brings its own env, cwd and
 * rlimits in its run frame.
 */
export function buildWarmLaunch(plan: SandboxPlan, supervisor: string): Launch {
  const argv = [...bwrapPrefix(plan, requireBwrap(plan)), '--ro-bind', supervisor, SANDBOX_SUPERVISOR, '--chdir', '/', '--clearenv', '--', SANDBOX_SUPERVISOR]
  return { argv, env: {}, cwd: '/' }
}
