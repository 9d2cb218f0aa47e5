/**
 * Upload-time check that a module can run: its code is loaded into a
 * throwaway isolate (Worker Loader `load()`, never cached, no network, no
 * bindings) whose runner answers `check()`. A syntax error, a WASM binary
 * that does not compile, a missing `run(ctx)` or `entry` export, or a
 * top-level throw all surface here, before the module is stored.
 */
import { z } from 'zod'
import type { ESMModule } from '../../../types/execution'
import { RUNNER_ENTRYPOINT } from './isolate-runtime'
import { workerCode, type ModuleRunnerRpc } from './module-isolate'

/** CPU for loading and checking (enforced in production; local workerd does not enforce cpuMs). */
export const VALIDATION_CPU_MS = 1_000

const CheckAnswerSchema = z.string().nullable()

/** Why the module cannot run, or null when it can. */
export async function moduleProblem(
  loader: WorkerLoader,
  tenantId: string,
  module: Pick<ESMModule, 'name' | 'kind' | 'entry'>,
  code: Uint8Array,
): Promise<string | null> {
  const isolate = loader.load({ ...workerCode(tenantId, { ...module, egress: [] }, code), limits: { cpuMs: VALIDATION_CPU_MS } })
  let answer: unknown
  try {
    answer = await isolate.getEntrypoint<ModuleRunnerRpc>(RUNNER_ENTRYPOINT).check()
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown))
    return `it does not load: ${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
  }
  const parsed = CheckAnswerSchema.safeParse(answer)
  return parsed.success ? parsed.data : 'its isolate answered the check with something other than a message'
}
