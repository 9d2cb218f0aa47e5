/**
 * The fabric's shared data models (seeds 000, 001, 004), adapted to TypeScript.
 * Runtime validation lives in zod schemas next to the routes; these are the
 * shapes code passes around after parsing.
 */
import type { ExecResult, ExecutionTier } from './execution'

export type Priority = 'critical' | 'high' | 'normal' | 'low'
export const PRIORITIES: readonly Priority[] = ['critical', 'high', 'normal', 'low']

/** The agent lifecycle's states (seed 000), spelled once: the API schemas and the directory queries derive from it. */
export const AGENT_STATES = ['PENDING', 'SPAWNING', 'RUNNING', 'SUSPENDED', 'TERMINATED', 'FAILED', 'COMPLETED'] as const
export type AgentState = (typeof AGENT_STATES)[number]

/** States in which the agent is gone: nothing runs, nothing is accepted. */
export const ENDED_AGENT_STATES: readonly AgentState[] = ['TERMINATED', 'COMPLETED']

/** States of an agent that can still run work (a kill switch signals these). */
export const LIVE_AGENT_STATES: readonly AgentState[] = AGENT_STATES.filter((state) => state !== 'FAILED' && !ENDED_AGENT_STATES.includes(state))

/** Resource limits per agent type (seed 000). */
export type AgentType = 'research' | 'planning' | 'execution'

export interface IsolationConfig {
  level: 'none' | 'process' | 'container'
  memoryMb: number
  cpuCores: number
  filesystemRoot?: string
  networkEgress: string[]
}

export interface BudgetConfig {
  maxTokensPerDay?: number
  maxComputeSecondsPerDay?: number
  maxCostPerDayUsd?: number
  /** Percent of a limit at which a soft alert fires. */
  alertThresholdPercent: number
  /** What happens at the day boundary: start from zero, or carry the unused part over. */
  period?: 'reset' | 'carryover'
}

export interface AgentConfig {
  id: string
  model: string
  tools: string[]
  type: AgentType
  isolation: IsolationConfig
  budget: BudgetConfig
  policies: string[]
  userId?: string
  /** 0 turns heartbeat monitoring off (the auto-spawned `default` agent of POST /v1/exec). */
  heartbeatIntervalSeconds: number
  /** Consecutive missed heartbeats after which the agent is marked FAILED. */
  heartbeatMissLimit: number
  maxQueueDepth: number
  maxConcurrency: number
  /** A waiting task gains one priority level per this many seconds, so low is not starved. */
  agingIntervalSeconds: number
}

export type TaskStatus =
  | 'pending'
  | 'awaiting_approval'
  | 'blocked'
  | 'running'
  | 'retry_wait'
  | 'completed'
  | 'failed'
  | 'cancelled'

export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled']

export interface TaskHandle {
  taskId: string
  agentId: string
  status: TaskStatus
  /** True when an earlier task with the same idempotency key was returned instead. */
  deduplicated: boolean
}

export type PolicyEffect = 'allow' | 'deny' | 'require_approval'

export interface PolicyRule {
  /** Glob over action strings: exec:<op>, fs:read:<path>, fs:write:<path>, net:<url>, intent:<realm.action>, tier:<n>. */
  actionPattern: string
  effect: PolicyEffect
  conditions?: Record<string, unknown>
  /** For require_approval: who may approve. */
  approvers?: string[]
  /** For require_approval: how long the approval stays open before it expires. */
  approvalTtlSeconds?: number
}

export interface Policy {
  id: string
  tenantId: string
  /** Where the policy attaches; inheritance runs tenant → workspace → agent (role applies at agent level). */
  scope: { level: 'tenant' | 'workspace' | 'agent' | 'role'; id: string }
  rules: PolicyRule[]
  priority: number
}

export interface PolicyDecision {
  decisionId: string
  effect: PolicyEffect
  action: string
  matchedPolicyId?: string
  matchedRule?: PolicyRule
  reason: string
}

/** A formal intent of seed 004: `{realm}.{action}` with tenant and session. */
export interface Intent {
  id: string
  type: string
  tenantId: string
  sessionId: string
  payload: Record<string, unknown>
  metadata: Record<string, string>
  correlationId: string
}

export const WAL_EVENT_TYPES = [
  'intent.accepted',
  'policy.decided',
  'capability.resolved',
  'task.scheduled',
  'task.started',
  'tier.selected',
  'task.attempt',
  'task.completed',
  'task.failed',
  'task.cancelled',
  'approval.requested',
  'approval.decided',
  'compensation.started',
  'compensation.completed',
  'state.transition',
  'usage.recorded',
  /** An administrative change (tenant, token, rate limit, policy, kill switch): who, what, when (NFR-SEC-3). */
  'admin.action',
  /** An anomaly (high error rate, budget exceeded) raised on an agent (FR-TEL-6). */
  'alert.raised',
] as const

export type WalEventType = (typeof WAL_EVENT_TYPES)[number]

export interface WalEvent {
  executionId: string
  seq: number
  type: WalEventType
  tenantId: string
  agentId?: string
  sessionId?: string
  parentExecutionId?: string
  correlationId?: string
  intentType?: string
  traceId: string
  tier?: ExecutionTier
  /** Redacted before it is written. */
  data: Record<string, unknown>
  at: string
}
