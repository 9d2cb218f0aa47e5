/** Tier 2: typed RPC to the Workers under services/ over service bindings (see docs/tiers-2-3.md). */
export { rpcExecutor } from './rpc-executor'
export { RPC_OPERATIONS } from './registry'
