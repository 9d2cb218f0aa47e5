/**
 * Agent configuration: the zod schema callers spawn with, the defaults, and
 * the resource limits per agent type of seed 000 (a config may ask for less
 * than its type allows, never more).
 */
import { z } from '@hono/zod-openapi'
import type { AgentConfig, AgentType } from '../../types/fabric'

export interface AgentTypeLimits {
  maxCpuCores: number
  maxMemoryMb: number
  /** Longest a single task may run (start to close); also the default task timeout. */
  maxDurationSeconds: number
}

/** Seed 000, "Resource Limits". */
export const AGENT_TYPE_LIMITS: Readonly<Record<AgentType, AgentTypeLimits>> = Object.freeze({
  research: { maxCpuCores: 2, maxMemoryMb: 4096, maxDurationSeconds: 3600 },
  planning: { maxCpuCores: 1, maxMemoryMb: 2048, maxDurationSeconds: 1800 },
  execution: { maxCpuCores: 4, maxMemoryMb: 8192, maxDurationSeconds: 14_400 },
})

export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const AgentIdSchema = z
  .string()
  .regex(AGENT_ID_PATTERN, 'an agent id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .openapi({ example: 'researcher-1' })

export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30
export const DEFAULT_HEARTBEAT_MISS_LIMIT = 3
export const DEFAULT_MAX_QUEUE_DEPTH = 1000
export const DEFAULT_MAX_CONCURRENCY = 4
export const DEFAULT_AGING_INTERVAL_SECONDS = 30

export const BudgetConfigSchema = z
  .object({
    maxTokensPerDay: z.number().int().nonnegative().optional(),
    maxComputeSecondsPerDay: z.number().nonnegative().optional(),
    maxCostPerDayUsd: z.number().nonnegative().optional(),
    alertThresholdPercent: z.number().gt(0).max(100).default(80),
    period: z.enum(['reset', 'carryover']).default('reset'),
  })
  .strict()
  .openapi('BudgetConfig')

const IsolationSchema = z
  .object({
    level: z.enum(['none', 'process', 'container']).default('process'),
    memoryMb: z.number().int().positive().default(512),
    cpuCores: z.number().positive().default(1),
    filesystemRoot: z.string().max(1024).optional(),
    networkEgress: z.array(z.string().max(512)).max(100).default([]),
  })
  .strict()

export const SpawnRequestSchema = z
  .object({
    id: AgentIdSchema,
    model: z.string().min(1).max(128).default('unspecified'),
    tools: z.array(z.string().min(1).max(128)).max(256).default([]),
    type: z.enum(['research', 'planning', 'execution']).default('execution'),
    isolation: IsolationSchema.default({ level: 'process', memoryMb: 512, cpuCores: 1, networkEgress: [] }),
    budget: BudgetConfigSchema.default({ alertThresholdPercent: 80, period: 'reset' }),
    policies: z.array(z.string().min(1).max(128)).max(64).default([]),
    userId: z.string().min(1).max(128).optional(),
    heartbeatIntervalSeconds: z.number().nonnegative().max(86_400).default(DEFAULT_HEARTBEAT_INTERVAL_SECONDS),
    heartbeatMissLimit: z.number().int().min(1).max(100).default(DEFAULT_HEARTBEAT_MISS_LIMIT),
    maxQueueDepth: z.number().int().min(1).max(100_000).default(DEFAULT_MAX_QUEUE_DEPTH),
    maxConcurrency: z.number().int().min(1).max(64).default(DEFAULT_MAX_CONCURRENCY),
    agingIntervalSeconds: z.number().positive().max(86_400).default(DEFAULT_AGING_INTERVAL_SECONDS),
  })
  .strict()
  .superRefine((config, issues) => {
    const limits = AGENT_TYPE_LIMITS[config.type]
    if (config.isolation.cpuCores > limits.maxCpuCores) {
      issues.addIssue({
        code: 'custom',
        path: ['isolation', 'cpuCores'],
        message: `a ${config.type} agent may use at most ${limits.maxCpuCores} cores`,
      })
    }
    if (config.isolation.memoryMb > limits.maxMemoryMb) {
      issues.addIssue({
        code: 'custom',
        path: ['isolation', 'memoryMb'],
        message: `a ${config.type} agent may use at most ${limits.maxMemoryMb} MB`,
      })
    }
  })
  .openapi('SpawnAgentRequest')

export type SpawnRequest = z.input<typeof SpawnRequestSchema>

/** Parses a spawn request into a complete AgentConfig, or throws the zod error. */
export function parseAgentConfig(input: unknown): AgentConfig {
  return SpawnRequestSchema.parse(input)
}

/** The agent POST /v1/exec runs on when the caller names none; spawned on first use. */
export const DEFAULT_AGENT_ID = 'default'

export function defaultAgentConfig(): AgentConfig {
  // Nobody heartbeats for the exec shortcut's agent, so monitoring is off.
  return parseAgentConfig({ id: DEFAULT_AGENT_ID, heartbeatIntervalSeconds: 0 })
}
