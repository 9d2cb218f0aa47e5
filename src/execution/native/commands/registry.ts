/**
 * Every tier-1 utility by the name a caller (or a shell stage) uses. The
 * router asks this set whether tier 1 can run an operation; anything not
 * here goes to a higher tier.
 */
import type { Command } from '../context'
import { awk } from './awk/awk'
import { base64 } from './base64'
import { cat } from './cat'
import { cp, mv } from './copy-move'
import { cut } from './cut'
import { date } from './date'
import { md5sum, sha1sum, sha256sum, sha512sum } from './digest'
import { echo } from './echo'
import { env, pwd } from './environment'
import { mkdir, rm, touch } from './file-ops'
import { find } from './find'
import { grep } from './grep/grep'
import { head } from './head'
import { ls } from './ls'
import { basename, dirname } from './names'
import { printf } from './printf'
import { sed } from './sed/sed'
import { seq } from './seq'
import { sort } from './sort/sort'
import { stat } from './stat'
import { tail } from './tail'
import { tac, tee } from './tee-tac'
import { test } from './test'
import { tr } from './tr'
import { falseCommand, sleep, trueCommand } from './trivial'
import { uniq } from './uniq'
import { wc } from './wc'
import { xargs } from './xargs'

export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['[', test],
  ['awk', awk],
  ['base64', base64],
  ['basename', basename],
  ['cat', cat],
  ['cp', cp],
  ['cut', cut],
  ['date', date],
  ['dirname', dirname],
  ['echo', echo],
  ['env', env],
  ['false', falseCommand],
  ['find', find],
  ['grep', grep],
  ['head', head],
  ['ls', ls],
  ['md5sum', md5sum],
  ['mkdir', mkdir],
  ['mv', mv],
  ['printf', printf],
  ['pwd', pwd],
  ['rm', rm],
  ['sed', sed],
  ['seq', seq],
  ['sha1sum', sha1sum],
  ['sha256sum', sha256sum],
  ['sha512sum', sha512sum],
  ['sleep', sleep],
  ['sort', sort],
  ['stat', stat],
  ['tac', tac],
  ['tail', tail],
  ['tee', tee],
  ['test', test],
  ['touch', touch],
  ['tr', tr],
  ['true', trueCommand],
  ['uniq', uniq],
  ['wc', wc],
  ['xargs', xargs],
])

/** The status GNU exits with on a usage error: 2 for these, 1 for the rest. */
const USAGE_STATUS_2 = new Set(['awk', 'grep', 'sort', 'ls', 'test', '['])

export function usageStatus(name: string): number {
  return USAGE_STATUS_2.has(name) ? 2 : 1
}
