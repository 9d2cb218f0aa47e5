/**
 * The fabric the workload talks to, across crashes: calls made while it is
 * down wait for the next start and are then retried. Only idempotent calls go
 * through `retrying` (task submissions carry an idempotency key, reads are
 * reads), so a call whose answer was lost in a crash is safe to send again.
 */
export class FabricHolder {
  #current
  #up
  #resolveUp

  constructor() {
    this.#down()
  }

  #down() {
    this.#current = undefined
    this.#up = new Promise((resolve) => (this.#resolveUp = resolve))
  }

  /** The fabric is (back) up at `fabric` ({url, token}). */
  set(fabric) {
    this.#current = fabric
    this.#resolveUp(fabric)
  }

  /** The fabric is going down: new calls wait for `set`. */
  clear() {
    if (this.#current) this.#down()
  }

  get current() {
    return this.#current
  }

  async #call(fabric, method, path, body) {
    const response = await fetch(`${fabric.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${fabric.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await response.text()
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json')
    return { status: response.status, body: isJson && text ? JSON.parse(text) : text }
  }

  /**
   * Sends until the fabric answers with something other than a crash symptom
   * (connection refused or reset, 502/503 from a restarting wrangler) and
   * returns that answer.
   */
  async retrying(method, path, body, { giveUpAfterMs = 300_000 } = {}) {
    const giveUpAt = Date.now() + giveUpAfterMs
    for (;;) {
      if (Date.now() > giveUpAt) throw new Error(`${method} ${path}: no answer from the fabric within ${giveUpAfterMs} ms`)
      const fabric = this.#current ?? (await this.#up)
      try {
        const answer = await this.#call(fabric, method, path, body)
        if (answer.status !== 502 && answer.status !== 503) return answer
      } catch {
        // connection refused/reset: the fabric is down or going down
      }
      if (this.#current === fabric) await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
