/**
 * scripts/free-port.mjs: the port `npm run dev`, sandboxd, the module host and the test harnesses
 * bind. A CI run once died with "Address already in use" because the kernel's port-0 choice is
 * also where every outgoing connection's local port comes from; these tests pin what replaced it.
 */
import { spawn } from 'node:child_process'
import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { freePort, reservePort } from '../../scripts/free-port.mjs'

const script = resolve(fileURLToPath(import.meta.url), '../../../scripts/free-port.mjs')
const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])

/**
 * 25 ports chosen at once by a separate Node process, which then keeps running until it is killed: a
 * process that had exited would leave dead reservations, which a process still choosing rightly takes over.
 */
function portsOfAnotherProcess(): { ports: Promise<number[]>; stop: () => void } {
  const code = `import(${JSON.stringify(script)}).then(async ({ freePort }) => { console.log(JSON.stringify(await Promise.all(Array.from({ length: 25 }, freePort)))); setTimeout(() => {}, 60000) })`
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  const ports = new Promise<number[]>((done, fail) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.endsWith('\n')) done(JSON.parse(out) as number[])
    })
    child.once('exit', (status) => fail(new Error(`exit ${status} before answering`)))
  })
  return { ports, stop: () => child.kill() }
}

describe('freePort', () => {
  it('chooses below the kernel ephemeral range and reserves the port for the process that chose it', async () => {
    const port = await freePort()
    expect(port).toBeGreaterThanOrEqual(20_000)
    expect(port).toBeLessThan(ephemeralStart)
    expect(readFileSync(join(tmpdir(), 'edge-fabric-ports', String(port)), 'utf8')).toBe(String(process.pid))
  })

  it('never gives the same port to two processes choosing at the same time', async () => {
    const choosers = Array.from({ length: 4 }, portsOfAnotherProcess)
    const chosen = (await Promise.all(choosers.map((chooser) => chooser.ports))).flat()
    for (const chooser of choosers) chooser.stop()
    expect(chosen).toHaveLength(100)
    expect(new Set(chosen).size).toBe(100)
  })

  it('does not take a reservation its creator has not written yet, but takes one left empty for long', async () => {
    const port = await freePort()
    const file = join(tmpdir(), 'edge-fabric-ports', String(port))
    // What another process's exclusive create leaves for an instant before it writes its pid.
    writeFileSync(file, '')
    expect(reservePort(port)).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe('')
    const minuteAgo = new Date(Date.now() - 60_000)
    utimesSync(file, minuteAgo, minuteAgo)
    expect(reservePort(port)).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid))
  })

  it('lets exactly one of several processes take over the reservation of a dead process', async () => {
    const port = await freePort()
    const dead = spawn(process.execPath, ['-e', '0'])
    await new Promise((done) => dead.once('exit', done))
    writeFileSync(join(tmpdir(), 'edge-fabric-ports', String(port)), String(dead.pid))
    // Every contender waits for the same instant, answers, and stays alive until all have answered
    // (a contender that exited would leave a dead reservation for the next one to take over rightly).
    const at = Date.now() + 1500
    const code = `import(${JSON.stringify(script)}).then(({ reservePort }) => { while (Date.now() < ${at}); console.log(reservePort(${port})); setTimeout(() => {}, 20000) })`
    const contenders = Array.from({ length: 6 }, () => spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] }))
    const answers = await Promise.all(
      contenders.map((child) => new Promise<string>((done) => child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim())))),
    )
    const winners = contenders.filter((_, i) => answers[i] === 'true')
    expect(answers.filter((a) => a === 'false')).toHaveLength(5)
    expect(winners).toHaveLength(1)
    expect(readFileSync(join(tmpdir(), 'edge-fabric-ports', String(port)), 'utf8')).toBe(String(winners[0]?.pid))
    expect(reservePort(port)).toBe(false)
    for (const child of contenders) child.kill()
  })
})
