/** The launch argv builder: every flag of every isolation level, without running anything. */
import { describe, expect, it } from 'vitest'
import { buildLaunch, buildWarmLaunch, type LaunchPlan } from '../../sandboxd/isolation/launch-argv'
import { resolveLimits } from '../../sandboxd/isolation/limits'
import { IsolationSchema, LimitsSchema } from '../../sandboxd/protocol'

const limits = resolveLimits(IsolationSchema.parse({}), LimitsSchema.parse({}))
const PRLIMIT = ['/usr/bin/prlimit', '--as=536870912', '--cpu=60:61', '--nproc=128', '--fsize=268435456', '--core=0', '--']

function plan(overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    level: 'container',
    tools: { bwrap: '/usr/bin/bwrap', prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv', taskset: '/usr/bin/taskset', perl: '/usr/bin/perl' },
    sandboxUid: 65534,
    dropPrivileges: true,
    cpuList: '1',
    systemMounts: [
      { kind: 'ro-bind', path: '/usr' },
      { kind: 'ro-bind', path: '/etc' },
      { kind: 'symlink', path: '/bin', target: 'usr/bin' },
    ],
    sandboxFiles: { passwd: '/state/lib/passwd', group: '/state/lib/group', preload: '/state/lib/hide-reserved.so' },
    hostWorkDir: '/state/work/t1/a1',
    egress: null,
    cwd: 'src',
    env: { GREETING: 'hi' },
    limits,
    command: ['/bin/sh', '-c', 'echo hi'],
    ...overrides,
  }
}

const ENV_ARGS = [
  '--clearenv',
  '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
  '--setenv', 'HOME', '/tmp',
  '--setenv', 'TMPDIR', '/tmp',
  '--setenv', 'LANG', 'C.UTF-8',
  '--setenv', 'GREETING', 'hi',
  '--setenv', 'LD_PRELOAD', '/run/sandboxd-hide-reserved.so',
]

describe('buildLaunch', () => {
  it("container: pinned, dropped to the sandbox uid, every namespace, the work tree as root, read-only system over it, private /tmp, no nested userns", () => {
    expect(buildLaunch(plan())).toEqual({
      argv: [
        '/usr/bin/taskset', '-c', '1',
        '/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--',
        '/usr/bin/bwrap',
        '--unshare-user', '--uid', '1000', '--gid', '1000', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net',
        '--disable-userns', '--unshare-cgroup-try',
        '--die-with-parent', '--new-session', '--hostname', 'sandbox',
        '--bind', '/state/work/t1/a1', '/',
        '--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc', '--ro-bind', '/usr/bin', '/bin',
        '--ro-bind', '/state/lib/passwd', '/etc/passwd', '--ro-bind', '/state/lib/group', '/etc/group',
        '--proc', '/proc', '--dev', '/dev', '--size', String(64 * 1024 * 1024), '--tmpfs', '/tmp',
        '--ro-bind', '/state/lib/hide-reserved.so', '/run/sandboxd-hide-reserved.so',
        '--chdir', '/src',
        ...ENV_ARGS,
        '--',
        ...PRLIMIT, '/bin/sh', '-c', 'echo hi',
      ],
      // The spawned process gets no environment at all: nothing of the host reaches the sandbox.
      env: {},
      cwd: '/',
    })
  })

  it('process: the same sandbox, but nested user namespaces and the cgroup view stay', () => {
    const argv = buildLaunch(plan({ level: 'process' })).argv
    expect(argv).not.toContain('--disable-userns')
    expect(argv).not.toContain('--unshare-cgroup-try')
    expect(argv).toContain('--unshare-net')
  })

  it('egress: the socket dir read-only at /run/sandboxd, the forwarder copied in from its fd, proxy variables set', () => {
    const argv = buildLaunch(plan({ cpuList: null, dropPrivileges: false, egress: { hostRunDir: '/state/run/t1/a1', forwarderFd: 4 } })).argv
    expect(argv[0]).toBe('/usr/bin/bwrap')
    expect(argv.join(' ')).toContain('--ro-bind /state/run/t1/a1 /run/sandboxd --ro-bind-data 4 /run/sandboxd-egress-forwarder.pl')
    expect(argv.join(' ')).toContain('--setenv HTTPS_PROXY http://127.0.0.1:3128 --setenv http_proxy http://127.0.0.1:3128')
    const afterSeparator = argv.slice(argv.indexOf('--', argv.indexOf('--clearenv')) + 1)
    expect(afterSeparator).toEqual([
      ...PRLIMIT,
      '/usr/bin/perl', '/run/sandboxd-egress-forwarder.pl', '/run/sandboxd/egress.sock', '3128', '--',
      '/bin/sh', '-c', 'echo hi',
    ])
  })

  it("none: no namespaces — rlimits and the uid drop only, in the work dir's host path", () => {
    expect(buildLaunch(plan({ level: 'none', cpuList: null }))).toEqual({
      argv: [
        '/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--',
        ...PRLIMIT, '/bin/sh', '-c', 'echo hi',
      ],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin', HOME: '/state/work/t1/a1', TMPDIR: '/tmp', LANG: 'C.UTF-8', GREETING: 'hi' },
      cwd: '/state/work/t1/a1/src',
    })
  })

  it('without the compiled readdir filter nothing is preloaded', () => {
    const argv = buildLaunch(plan({ sandboxFiles: { passwd: '/p', group: '/g', preload: null } })).argv
    expect(argv.join(' ')).not.toContain('LD_PRELOAD')
    expect(argv.join(' ')).not.toContain('hide-reserved')
  })

  it('a caller cannot smuggle flags through env or argv: they stay values after --setenv and --', () => {
    const argv = buildLaunch(plan({ env: { X: '--bind / /host' }, command: ['--share-net'] })).argv
    expect(argv.slice(argv.indexOf('X') - 1, argv.indexOf('X') + 2)).toEqual(['--setenv', 'X', '--bind / /host'])
    expect(argv.at(-1)).toBe('--share-net')
    expect(argv.filter((arg) => arg === '--share-net')).toHaveLength(1)
  })

  it('refuses to build an isolated launch without bubblewrap', () => {
    expect(() => buildLaunch(plan({ tools: { ...plan().tools, bwrap: null } }))).toThrow(
      "isolation level 'container' needs bubblewrap (apt-get install -y bubblewrap)",
    )
  })
})

describe('buildWarmLaunch', () => {
  it('the same namespaces and mounts, the supervisor bound read-only and started with no environment; rlimits, cwd and env come per command', () => {
    const sandbox = { ...plan(), tmpBytes: limits.tmpBytes }
    const launch = buildWarmLaunch(sandbox, '/state/lib/supervisor')
    const oneOff = buildLaunch(plan()).argv
    // Everything up to the mounts is what a one-off run of the same plan gets.
    expect(launch.argv.slice(0, oneOff.indexOf('--chdir'))).toEqual(oneOff.slice(0, oneOff.indexOf('--chdir')))
    expect(launch.argv.slice(oneOff.indexOf('--chdir'))).toEqual([
      '--ro-bind', '/state/lib/supervisor', '/run/sandboxd-supervisor',
      '--chdir', '/', '--clearenv', '--', '/run/sandboxd-supervisor',
    ])
    expect(launch.argv.join(' ')).not.toContain('prlimit')
    expect(launch.argv.join(' ')).not.toContain('GREETING')
    expect({ env: launch.env, cwd: launch.cwd }).toEqual({ env: {}, cwd: '/' })
  })
})
