/**
 * A TCP port for a local server we are about to start (the fabric, sandboxd, the module host, an inspector).
 *
 * Why not simply listen on port 0 and close: the kernel hands out port-0 listeners and every outgoing
 * connection's local port from the same ephemeral range, at random. Between choosing a port and the
 * server binding it (seconds, for wrangler) any of the hundreds of connections a test run opens can
 * take it, and the server dies with "Address already in use" — a CI run failed exactly so.
 * So the port is chosen below the ephemeral range, where the kernel never assigns one by itself, and
 * reserved by an exclusive lock file naming the reserving process, so two of our own processes (two
 * `npm run dev` started at once) never choose the same one. A reservation whose process is gone is
 * taken over, under a second exclusive lock file so two processes never take over the same one. The
 * port is also checked free by binding it on 127.0.0.1.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const LOWEST = 20_000
const ATTEMPTS = 200
/** How long a reservation file may stay empty before it counts as abandoned (its creator died before writing). */
const UNWRITTEN_GRACE_MS = 10_000
const reservations = join(tmpdir(), 'edge-fabric-ports')

/** The first port of the kernel's ephemeral range (32768 on a default Linux). */
function ephemeralStart() {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return Number.isInteger(low) ? low : 32_768
  } catch {
    return 32_768
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/**
 * Takes over the reservation `file` of the dead process `deadHolder`. Two processes that both read the
 * dead holder must not both win: the takeover runs under `<file>.takeover`, created exclusively, and
 * re-reads the reservation under it (a process that took it over meanwhile wrote its own pid there).
 */
function takeOver(file, deadHolder) {
  const lock = `${file}.takeover`
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' })
  } catch {
    return false
  }
  try {
    if (readFileSync(file, 'utf8') !== deadHolder) return false
    writeFileSync(file, String(process.pid))
    return true
  } finally {
    unlinkSync(lock)
  }
}

/** Reserves `port` for this process: true when no living process holds it. */
export function reservePort(port) {
  mkdirSync(reservations, { recursive: true })
  const file = join(reservations, String(port))
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
    return true
  } catch (error) {
    // A reservations directory we cannot write (another user's): the bind check below still applies.
    if (error.code !== 'EEXIST') return true
  }
  const holderText = readFileSync(file, 'utf8')
  // Empty: its creator has made it (exclusively) and not yet written its pid. Taking that over would give the
  // port to two processes at once; only a file left empty for long (its creator died in between) is taken.
  if (holderText === '' && Date.now() - statSync(file).mtimeMs < UNWRITTEN_GRACE_MS) return false
  const holder = Number(holderText)
  if (holder === process.pid || (Number.isInteger(holder) && holder > 0 && alive(holder))) return false
  return takeOver(file, holderText)
}

function bindable(port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** The kernel's choice (port 0): where no range below the ephemeral one is left to choose from. */
function kernelPort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))))
    })
  })
}

export async function freePort() {
  const highest = ephemeralStart() - 1
  if (highest - LOWEST < 1_000) return kernelPort()
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1))
    if (reservePort(port) && (await bindable(port))) return port
  }
  throw new Error(`no free port between ${LOWEST} and ${highest} after ${ATTEMPTS} tries`)
}
