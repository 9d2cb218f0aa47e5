/**
 * Every tier-1 utility by the name a caller (or a shell stage) uses. The
 * router asks this set whether tier 1 can run an operation; anything not
 * here goes to a higher tier.
 */
import type { Command } from '../context'
import { awk } from './awk/awk'
import { base64 } from './base64'
import { cat } from './cat'
import { cmp } from './cmp'
import { column } from './column'
import { comm } from './comm'
import { cp, mv } from './copy-move'
import { cut } from './cut'
import { date } from './date'
import { diff } from './diff/diff'
import { du } from './du'
import { md5sum, sha1sum, sha256sum, sha512sum } from './digest'
import { echo } from './echo'
import { expr } from './expr'
import { env, pwd } from './environment'
import { mkdir, rm, touch } from './file-ops'
import { find } from './find'
import { grep } from './grep/grep'
import { gunzip, gzip, zcat } from './gzip'
import { head } from './head'
import { hexdump } from './hexdump'
import { join } from './join'
import { ls } from './ls'
import { mktemp } from './mktemp'
import { basename, dirname } from './names'
import { nl } from './nl'
import { od } from './od'
import { paste } from './paste'
import { readlink, realpath } from './paths'
import { printf } from './printf'
import { rev, fold } from './rev-fold'
import { rmdir } from './rmdir'
import { sed } from './sed/sed'
import { seq } from './seq'
import { sort } from './sort/sort'
import { split } from './split'
import { stat } from './stat'
import { hostname, id, printenv, uname, whichCommand, whoami, yes } from './system'
import { tail } from './tail'
import { tar } from './tar'
import { tac, tee } from './tee-tac'
import { test } from './test'
import { timeout } from './timeout'
import { tr } from './tr'
import { truncate } from './truncate'
import { falseCommand, sleep, trueCommand } from './trivial'
import { uniq } from './uniq'
import { wc } from './wc'
import { xargs } from './xargs'

const table = new Map<string, Command>([
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
  ['cmp', cmp],
  ['column', column],
  ['comm', comm],
  ['diff', diff],
  ['expr', expr],
  ['fold', fold],
  ['hexdump', hexdump],
  ['hostname', hostname],
  ['id', id],
  ['join', join],
  ['mktemp', mktemp],
  ['nl', nl],
  ['od', od],
  ['paste', paste],
  ['printenv', printenv],
  ['readlink', readlink],
  ['realpath', realpath],
  ['rev', rev],
  ['rmdir', rmdir],
  ['truncate', truncate],
  ['uname', uname],
  ['whoami', whoami],
  ['yes', yes],
  ['gzip', gzip],
  ['gunzip', gunzip],
  ['zcat', zcat],
  ['split', split],
  ['du', du],
  ['timeout', timeout],
  ['tar', tar],
])

// which answers for the utilities above, so it joins the table once the table exists.
table.set('which', whichCommand((name) => table.has(name)))

export const COMMANDS: ReadonlyMap<string, Command> = table

/** The status GNU exits with on a usage error: 2 for these (diffutils, expr and tar too), 125 for env and timeout, 1 for the rest. */
const USAGE_STATUS_2 = new Set(['awk', 'grep', 'sort', 'ls', 'test', '[', 'diff', 'cmp', 'expr', 'tar'])
const USAGE_STATUS_125 = new Set(['env', 'timeout'])

export function usageStatus(name: string): number {
  if (USAGE_STATUS_125.has(name)) return 125
  return USAGE_STATUS_2.has(name) ? 2 : 1
}
