/**
 * The capability registry (seed 004's "curator"): which capability may
 * respond to an intent type, on which tier, with which input and output
 * contract. It maps an intent to an authorised entry point — the work a task
 * runs — and decides nothing about sequencing or strategy.
 */
import { z } from '@hono/zod-openapi'
import type { ExecutionTier } from '../../../types/execution'
import { FabricError } from '../../../types/errors'
import { quoteAlways } from '../../execution/native/quote'

/** What a task runs for an intent: an operation with args, or a command line; optional stdin. */
export type CapabilityWork = ({ operation: string; args: string[] } | { command: string }) & { stdin?: string }

export interface CapabilityDefinition<Input> {
  intentType: string
  description: string
  /** Deterministic capabilities may be re-executed by a full replay; others never are. */
  determinism: 'deterministic' | 'non_deterministic'
  tier?: ExecutionTier
  input: z.ZodType<Input>
  /** What the task's result carries on success. */
  output: string
  work(input: Input): CapabilityWork
}

/** A registered capability: its contract, and the payload → work mapping with the payload checked first. */
export interface Capability {
  intentType: string
  description: string
  determinism: CapabilityDefinition<unknown>['determinism']
  tier?: ExecutionTier
  output: string
  /** The input contract as JSON Schema. */
  inputSchema: unknown
  /** Parses the payload against the input contract (VALIDATION_ERROR naming the bad fields) and maps it to work. */
  workFor(payload: Record<string, unknown>): CapabilityWork
}

const path = z.string().min(1).max(4096)

export function defineCapability<Input>(definition: CapabilityDefinition<Input>): Capability {
  const { input, work, ...contract } = definition
  return {
    ...contract,
    inputSchema: z.toJSONSchema(input, { io: 'input' }),
    workFor(payload) {
      const parsed = input.safeParse(payload)
      if (parsed.success) return work(parsed.data)
      const issues = parsed.error.issues.map((i) => ({ path: ['payload', ...i.path].join('.'), message: i.message }))
      throw new FabricError('VALIDATION_ERROR', `payload does not match ${definition.intentType}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues })
    },
  }
}

export const BUILTIN_CAPABILITIES: readonly Capability[] = [
  defineCapability({
    intentType: 'content.read',
    description: 'Read a file of the tenant',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ path }).strict(),
    output: 'stdout: the file bytes',
    work: ({ path }) => ({ operation: 'cat', args: ['--', path] }),
  }),
  defineCapability({
    intentType: 'content.write',
    description: 'Write (replace) a file of the tenant with the given text',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ path, content: z.string().max(1_048_576) }).strict(),
    output: 'nothing; the file holds `content`',
    work: ({ path, content }) => ({ command: `cat > ${quoteAlways(path)}`, stdin: content }),
  }),
  defineCapability({
    intentType: 'content.search',
    description: 'Lines of a file matching a regular expression, numbered',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ path, pattern: z.string().min(1).max(1024), ignoreCase: z.boolean().default(false) }).strict(),
    output: 'stdout: matching lines as `n:line`',
    work: ({ path, pattern, ignoreCase }) => ({ operation: 'grep', args: ['-n', ...(ignoreCase ? ['-i'] : []), '--', pattern, path] }),
  }),
  defineCapability({
    intentType: 'content.head',
    description: 'The first lines of a file',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ path, lines: z.number().int().min(1).max(100_000).default(10) }).strict(),
    output: 'stdout: the first `lines` lines',
    work: ({ path, lines }) => ({ operation: 'head', args: ['-n', String(lines), '--', path] }),
  }),
  defineCapability({
    intentType: 'content.count',
    description: 'Line, word and byte counts of a file',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ path }).strict(),
    output: 'stdout: `lines words bytes path`',
    work: ({ path }) => ({ operation: 'wc', args: ['--', path] }),
  }),
  defineCapability({
    intentType: 'text.echo',
    description: 'Echo text back (a deterministic probe of the path)',
    determinism: 'deterministic',
    tier: 1,
    input: z.object({ text: z.string().max(65_536) }).strict(),
    output: 'stdout: the text and a newline',
    work: ({ text }) => ({ operation: 'echo', args: [text] }),
  }),
]

export class CapabilityRegistry {
  private readonly byType = new Map<string, Capability>()

  constructor(capabilities: readonly Capability[] = BUILTIN_CAPABILITIES) {
    for (const c of capabilities) this.register(c)
  }

  register(capability: Capability): void {
    if (this.byType.has(capability.intentType)) {
      throw new FabricError('CONFLICT', `a capability already serves ${capability.intentType}`)
    }
    this.byType.set(capability.intentType, capability)
  }

  /** The capability serving the intent type, or NOT_FOUND naming how to list what exists. */
  resolve(intentType: string): Capability {
    const found = this.byType.get(intentType)
    if (found) return found
    throw new FabricError('NOT_FOUND', `no capability serves intent type "${intentType}"; GET /v1/capabilities lists the ${this.byType.size} that exist`)
  }

  list(): Array<Omit<Capability, 'workFor'>> {
    return [...this.byType.values()].map(({ workFor: _work, ...contract }) => contract)
  }
}

/** The fabric's registry: the built-in capabilities. */
export const capabilityRegistry = new CapabilityRegistry()
