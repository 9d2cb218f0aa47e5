/**
 * CPU time spent per request, read from /proc (Linux): by the local fabric's
 * processes (the process group `npm run bench` started: wrangler's proxy and
 * the fabric's workerd, the module host, sandboxd and what they reaped), by
 * this load generator, and by the whole machine. Throughput at 8 clients on 2
 * cores is bound by CPU, so these say where a request's share of it goes.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

function clockTickMs() {
  return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
}

/** utime + stime + cutime + cstime of every live process whose group is `pgid`, in clock ticks. */
function groupTicks(pgid) {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue // it ended while we listed
    }
    // The command name may hold spaces and parentheses; the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
  }
  return ticks
}

/** Busy clock ticks of all cores (user, nice, system, irq, softirq) since boot. */
function machineTicks() {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  return user + nice + system + irq + softirq
}

/**
 * A snapshot function of CPU milliseconds used so far — `fabric` (the group `pgid`), `client` (this process)
 * and `machine` — or undefined where /proc cannot be read (not Linux).
 */
export function cpuMeter(pgid) {
  let tickMs
  try {
    tickMs = clockTickMs()
    groupTicks(pgid)
    machineTicks()
  } catch {
    return undefined
  }
  return () => {
    const own = process.cpuUsage()
    return { fabric: groupTicks(pgid) * tickMs, client: (own.user + own.system) / 1000, machine: machineTicks() * tickMs }
  }
}
