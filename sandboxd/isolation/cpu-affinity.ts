/**
 * FR-ISO-3 (CPU limit per agent, in cores) as CPU affinity: a run is pinned
 * with `taskset` to ceil(cpuCores) of the host's cores, rotating the starting
 * core so concurrent sandboxes spread out. Fractions of a core are rounded up
 * (rlimits cannot throttle to 0.5 of a core; cgroups could, and are not used).
 */
export function cpuList(cpuCores: number, hostCores: number, rotation: number): string | null {
  const cores = Math.ceil(cpuCores)
  if (cores >= hostCores) return null
  const picked: number[] = []
  for (let i = 0; i < cores; i++) picked.push((rotation + i) % hostCores)
  return picked.sort((a, b) => a - b).join(',')
}
