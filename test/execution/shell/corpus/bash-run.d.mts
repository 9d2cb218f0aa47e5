/** Types for bash-run.mjs, imported by the live corpus test. */
export interface TreeChanges {
  changed: Record<string, string>
  removed: string[]
}
export declare const ENV: Record<string, string>
export declare function treeChanges(after: Record<string, string>): TreeChanges
export declare function runBash(line: string): Promise<TreeChanges & { stdout: string; exitCode: number }>
