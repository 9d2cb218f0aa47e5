/**
 * Vitest global setup: the tier-2 services run as auxiliary Workers, which
 * must be JavaScript, so build services/<name>/dist before any test starts.
 */
import { buildServices } from '../../scripts/build-services.mjs'

export default async function setup(): Promise<void> {
  await buildServices()
}
