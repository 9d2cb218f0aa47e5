/** Limits: resolution, rlimit flags, CPU affinity, and reading a finished run back to the limit it hit. */
import { describe, expect, it } from 'vitest'
import { cpuList } from '../../sandboxd/isolation/cpu-affinity'
import { prlimitArgv, resolveLimits } from '../../sandboxd/isolation/limits'
import { IsolationSchema, LimitsSchema, limitExceeded, signalFromExitCode } from '../../sandboxd/protocol'

describe('resolveLimits / prlimitArgv', () => {
  it('defaults to seed 001: 512 MB of address space, plus CPU, process, file and output caps', () => {
    expect(resolveLimits(IsolationSchema.parse({}), LimitsSchema.parse({}))).toEqual({
      addressSpaceBytes: 512 * 1024 * 1024,
      cpuSeconds: 60,
      maxProcesses: 128,
      maxFileBytes: 256 * 1024 * 1024,
      maxOutputBytes: 1024 * 1024,
      tmpBytes: 64 * 1024 * 1024,
    })
  })

  it("takes memory from the exec's limits over the sandbox's isolation config", () => {
    const resolved = resolveLimits(IsolationSchema.parse({ memoryMb: 1024 }), LimitsSchema.parse({ memoryMb: 64, cpuSeconds: 5 }))
    expect(prlimitArgv('/usr/bin/prlimit', resolved)).toEqual([
      '/usr/bin/prlimit', `--as=${64 * 1024 * 1024}`, '--cpu=5:6', '--nproc=128', `--fsize=${256 * 1024 * 1024}`, '--core=0', '--',
    ])
  })
})

describe('cpuList', () => {
  it('pins to ceil(cpuCores) cores, rotating the start, or to none when all cores are allowed', () => {
    expect(cpuList(1, 4, 0)).toBe('0')
    expect(cpuList(1, 4, 5)).toBe('1')
    expect(cpuList(1.5, 4, 3)).toBe('0,3')
    expect(cpuList(4, 4, 2)).toBeNull()
    expect(cpuList(8, 2, 0)).toBeNull()
  })
})

describe('signalFromExitCode / limitExceeded', () => {
  it('reads 128+n as signal n', () => {
    expect(signalFromExitCode(137)).toBe('SIGKILL')
    expect(signalFromExitCode(152)).toBe('SIGXCPU')
    expect(signalFromExitCode(153)).toBe('SIGXFSZ')
    expect(signalFromExitCode(128 + 40)).toBe('SIG40')
    expect(signalFromExitCode(1)).toBeNull()
  })

  it('knows CPU and file-size limits by their signals, memory and processes by what programs print', () => {
    expect(limitExceeded({ signal: 'SIGXCPU', stderr: '' })).toBe('cpu')
    expect(limitExceeded({ signal: 'SIGXFSZ', stderr: '' })).toBe('file-size')
    expect(limitExceeded({ signal: null, stderr: 'Out of memory!\n' })).toBe('memory')
    expect(limitExceeded({ signal: null, stderr: 'MemoryError\n' })).toBe('memory')
    expect(limitExceeded({ signal: null, stderr: 'bash: fork: retry: Resource temporarily unavailable\n' })).toBe('processes')
    expect(limitExceeded({ signal: 'SIGKILL', stderr: 'grep: x: No such file or directory\n' })).toBeNull()
  })
})
