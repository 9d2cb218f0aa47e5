/**
 * What a comparison ignores, the same on both sides: diff -u's file times
 * (tier 1's files are not the fixtures GNU wrote), mktemp's random names, and
 * the order of a recursive walk's lines (grep -r, rm -rv, cp -rv, du), which GNU
 * takes from readdir, or for cp from inode numbers — arbitrary, different per
 * file system, and for cp different between runs on one machine while other
 * processes free and take inodes (the live recording check failed so once).
 */
const DIFF_TIME = /^(---|\+\+\+) ([^\t\n]+)\t[^\n]*$/gm
const MKTEMP_NAME = /tmp\.[A-Za-z0-9]{10}/g

export function normalise(testCase, result) {
  if (result.stdout === undefined) return result
  let stdout = result.stdout
  if (testCase.stages.some(([command, ...args]) => command === 'diff' && args.some((a) => a.startsWith('-u') || a.startsWith('-U') || a.startsWith('--unified')))) stdout = stdout.replace(DIFF_TIME, '$1 $2\tTIME')
  if (testCase.stages.some(([command]) => command === 'mktemp')) stdout = stdout.replace(MKTEMP_NAME, 'tmp.RANDOM')
  const last = testCase.stages[testCase.stages.length - 1]
  const walks = (['grep', 'rm', 'cp'].includes(last[0]) && last.some((arg) => /^-[a-zA-Z]*[rR]/.test(arg))) || last[0] === 'du'
  if (walks && stdout.endsWith('\n')) stdout = `${stdout.slice(0, -1).split('\n').sort().join('\n')}\n`
  return { ...result, stdout }
}
