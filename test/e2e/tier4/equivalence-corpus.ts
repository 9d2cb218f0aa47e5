/**
 * The tier-equivalence corpus: every case of the tier-1 golden corpus
 * (test/execution/native/golden.json, recorded from GNU) plus a grid of
 * utilities × options over the same fixtures. A larger corpus plugs in by
 * adding its cases to `EQUIVALENCE_CASES` (same shape: argv steps run in
 * /work over the golden fixtures).
 */
import golden from '../../execution/native/golden.json'

export interface EquivalenceStep {
  argv: string[]
  stdin?: string
}

export interface EquivalenceCase {
  name: string
  steps: EquivalenceStep[]
  /** stdout compared as sorted lines (readdir order is arbitrary on tier 4). */
  unordered?: boolean
}

/** path (relative to /work) → text, or `{ base64 }`; a path ending in `/` is an empty directory. */
export const FIXTURES = golden.fixtures as Record<string, { text?: string; base64?: string }>

const TEXT_FILES = ['a.txt', 'nums.txt', 'dup.txt', 'case.txt', 'words.txt', 'log.txt', 'keys.txt']

/** Utilities × options, each over every text fixture. */
const GRID: ReadonlyArray<readonly string[]> = [
  ['sort'],
  ['sort', '-r'],
  ['sort', '-n'],
  ['sort', '-u'],
  ['sort', '-f'],
  ['wc', '-l'],
  ['wc', '-w'],
  ['wc', '-c'],
  ['wc'],
  ['head', '-n', '2'],
  ['tail', '-n', '2'],
  ['cut', '-c', '1-3'],
  ['tr', 'a-z', 'A-Z'],
  ['grep', '-c', 'a'],
  ['grep', '-v', 'a'],
  ['grep', '-n', 'e'],
  ['sed', '-n', '2p'],
  ['sed', 's/a/X/g'],
  ['cat', '-n'],
  ['tac'],
  ['uniq', '-c'],
  ['base64'],
  ['sha256sum'],
  ['md5sum'],
]

const grid: EquivalenceCase[] = TEXT_FILES.flatMap((file) =>
  GRID.map((argv) => ({ name: `grid ${argv.join(' ')} ${file}`, steps: [{ argv: [...argv, file] }] })),
)

export const EQUIVALENCE_CASES: readonly EquivalenceCase[] = [...(golden.cases as EquivalenceCase[]), ...grid]
