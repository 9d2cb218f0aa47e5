/**
 * A tier-2 stage's input as text: the named files read through the caller's
 * fsx (already confined to its tenant root) and concatenated, as jq reads
 * several files as one stream; or stdin when no file is named.
 */
import type { FileSystem } from '../../../types/execution'
import { stdinText } from '../call-input'
import { resolvePath } from '../fsx'

export function stageInput(fs: FileSystem, cwd: string, stdin: string | Uint8Array | undefined) {
  return async (files: readonly string[]): Promise<string> => {
    if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
      return stdinText(stdin)
    }
    const texts: string[] = []
    for (const file of files) texts.push(await fs.readText(resolvePath(cwd, file)))
    return texts.join('')
  }
}
