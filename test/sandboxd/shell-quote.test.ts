/**
 * The fabric's shellQuote (used to build the production adapter's command
 * lines), checked against a real /bin/sh: every value arrives as one
 * argument, byte for byte. Runs here because workerd has no shell.
 */
import { execFileSync } from 'node:child_process'
import { expect, it } from 'vitest'
import { shellQuote } from '../../src/execution/sandbox/shell-quote'

const NASTY = ["it's", '"double"', '$(id) `id` $HOME', 'a\\b', 'new\nline', ' spaces ', '', "'''", '*?[x]', ';&|<>']

it('quotes any value so sh passes it through as one argument', () => {
  const line = `printf '%s\\0' ${NASTY.map(shellQuote).join(' ')}`
  const args = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' }).split('\0').slice(0, -1)
  expect(args).toEqual(NASTY)
})

it('survives quoting twice, as sh -c inside sh -c', () => {
  const inner = `printf '%s' ${shellQuote("it's $(nope)")}`
  expect(execFileSync('/bin/sh', ['-c', `sh -c ${shellQuote(inner)}`], { encoding: 'utf8' })).toBe("it's $(nope)")
})
