/**
 * The policy action vocabulary (docs/design.md): `exec:<operation>`,
 * `fs:read:<path>`, `fs:write:<path>`, `net:<url>`, `intent:<realm.action>`,
 * `tier:<n>`. A contract, not governance logic: the agent's origin, the
 * governance stage tables and the policy routes all spell actions this way.
 */
import type { ExecutionTier } from '../../types/execution'

export const execAction = (operation: string): string => `exec:${operation}`
export const fsReadAction = (path: string): string => `fs:read:${path}`
export const fsWriteAction = (path: string): string => `fs:write:${path}`
export const netAction = (url: string): string => `net:${url}`
export const intentAction = (intentType: string): string => `intent:${intentType}`
export const tierAction = (tier: ExecutionTier): string => `tier:${tier}`
