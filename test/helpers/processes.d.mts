/** Types for processes.mjs. */
export declare function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; input?: string | Buffer; timeout: number },
): Promise<{ stdout: Buffer; status: number | null; signal: NodeJS.Signals | null }>
export declare function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>
