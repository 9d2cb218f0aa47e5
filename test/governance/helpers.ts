import { createExecutionContext } from '../../src/core/context'
import type { GovernedKind, GovernedRequest } from '../../src/core/ports'
import { newTrace } from '../../src/core/trace'
import { newId } from '../../src/core/ids'

/** A fresh tenant id per test, so tests sharing the D1 database never see each other's rows. */
export function freshTenant(): string {
  return newId('tnt')
}

export function governedRequest(
  tenantId: string,
  actions: string[],
  options: { agentId?: string; kind?: GovernedKind; summary?: Record<string, unknown>; subject?: GovernedRequest['subject'] } = {},
): GovernedRequest {
  return {
    ctx: createExecutionContext({ tenantId, principal: 'tok_test', trace: newTrace(), ...(options.agentId ? { agentId: options.agentId } : {}) }),
    kind: options.kind ?? 'exec',
    actions,
    summary: options.summary ?? { command: actions.join(' ') },
    ...(options.subject ? { subject: options.subject } : {}),
  }
}
