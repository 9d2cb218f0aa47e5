/**
 * One jq instance per isolate: jq-web's Emscripten build of jq, instantiated
 * from the WebAssembly module workerd compiled at load time (a Worker may not
 * compile WebAssembly from bytes at runtime).
 */
import createJq, { type JqWebModule } from 'jq-web/jq.js'
import jqWasm from 'jq-web/jq.wasm'
import type { JqOptions, JqResponse } from './protocol'

let engine: Promise<JqWebModule> | undefined

function loadEngine(): Promise<JqWebModule> {
  engine ??= createJq({
    instantiateWasm(imports, receive) {
      void WebAssembly.instantiate(jqWasm, imports).then((instance) => receive(instance, jqWasm))
      // Emscripten's contract: return {} when instantiation completes asynchronously.
      return {}
    },
  }).catch((error: unknown) => {
    // Let the next call try again rather than caching a broken instance.
    engine = undefined
    throw error
  })
  return engine
}

/** The jq command-line flags for the options, in the order jq documents them. */
export function jqFlags(options: JqOptions): string[] {
  const flags: string[] = []
  if (options.compact) flags.push('-c')
  if (options.rawOutput) flags.push('-r')
  if (options.joinOutput) flags.push('-j')
  if (options.asciiOutput) flags.push('-a')
  if (options.slurp) flags.push('-s')
  if (options.nullInput) flags.push('-n')
  if (options.rawInput) flags.push('-R')
  if (options.sortKeys) flags.push('-S')
  if (options.tab) flags.push('--tab')
  if (options.indent !== undefined) flags.push('--indent', String(options.indent))
  for (const [name, value] of Object.entries(options.args ?? {})) flags.push('--arg', name, value)
  for (const [name, text] of Object.entries(options.jsonArgs ?? {})) flags.push('--argjson', name, text)
  return flags
}

interface JqExit {
  exitCode?: number
  stderr?: string
  message?: string
}

/** Runs jq; a failing filter is an exit code and stderr, as with the CLI, not an exception. */
export async function runJq(filter: string, input: string, options: JqOptions): Promise<JqResponse> {
  const jq = await loadEngine()
  try {
    return { stdout: jq.raw(input, filter, jqFlags(options)) ?? '', stderr: '', exitCode: 0 }
  } catch (thrown) {
    const exit = thrown as JqExit
    if (typeof exit.exitCode !== 'number') throw thrown
    return { stdout: '', stderr: `${exit.stderr ?? exit.message ?? 'jq failed'}\n`, exitCode: exit.exitCode }
  }
}
