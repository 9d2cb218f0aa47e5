/**
 * Tier 3: a dynamic ESM module run through the Worker Loader. Warm: the same
 * module (same content hash, so the same isolate id) called again and again.
 * Cold: every sample uploads a module with new source, so its hash — and the
 * loader's isolate — is new; only the call is timed, not the upload.
 */
import { latencyFigures, summarise } from '../lib/measure.mjs'

export const name = 'tier3'

function doublingModule(salt) {
  return `// ${salt}\nexport default { run(ctx) { return ctx.args.map((x) => x * 2) } }\n`
}

async function upload(api, moduleName, salt) {
  await api('POST', '/v1/modules', { name: moduleName, source: doublingModule(salt) })
}

async function timedCall(api, moduleName) {
  const start = performance.now()
  const result = await api('POST', '/v1/exec', { operation: moduleName, args: [1, 2, 3] })
  const elapsed = performance.now() - start
  if (result.tier !== 3 || JSON.stringify(result.value) !== '[2,4,6]') throw new Error(`module did not run on tier 3: ${JSON.stringify(result).slice(0, 300)}`)
  return elapsed
}

export async function run({ api, iterations }) {
  const prefix = `bench${Date.now().toString(36)}`
  const warmName = `${prefix}warm`
  await upload(api, warmName, 'warm')
  const cold = []
  const warm = []
  // Cold runs cost an isolate each; a quarter of the samples keeps the run short on 2 cores.
  const coldSamples = Math.max(10, Math.floor(iterations / 4))
  for (let i = 0; i < 5; i++) await timedCall(api, warmName)
  for (let i = 0; i < iterations; i++) {
    warm.push(await timedCall(api, warmName))
    if (i < coldSamples) {
      const coldName = `${prefix}cold${i}`
      await upload(api, coldName, `${prefix}-${i}`)
      cold.push(await timedCall(api, coldName))
    }
  }
  return {
    ...latencyFigures('tier3_cold', summarise(cold)),
    ...latencyFigures('tier3_warm', summarise(warm)),
  }
}
