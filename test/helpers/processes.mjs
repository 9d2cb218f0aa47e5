/**
 * Running many short processes without waiting for each in turn: the live
 * comparisons (GNU tools, bash) start thousands, and one at a time each
 * start-up waits on the scheduler of a busy machine while the cores idle.
 */
import { spawn } from 'node:child_process'

/**
 * Like spawnSync(command, args, {cwd, env, input, timeout}) for what the
 * comparisons read: all of stdout as one Buffer, the exit status (null when
 * the process could not start or was killed) and the signal that killed it
 * (the timeout sends SIGTERM).
 */
export function run(command, args, { cwd, env, input = '', timeout }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] })
    const chunks = []
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout)
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    // A program that exits without reading its input closes the pipe under us; that is its answer, not an error.
    child.stdin.on('error', () => undefined)
    child.stdin.end(input)
    child.on('error', () => undefined) // not started: 'close' follows with a null status
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      resolve({ stdout: Buffer.concat(chunks), status, signal })
    })
  })
}

/** fn over every item with at most `limit` in flight; the answers in the items' order. */
export async function mapConcurrent(items, limit, fn) {
  const answers = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      answers[index] = await fn(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return answers
}
