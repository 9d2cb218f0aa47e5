/**
 * pwd, and env without a command: prints the environment, after -i, -u NAME
 * and NAME=VALUE changes. Running a command under env needs a tier that can
 * start processes, so `env NAME=V cmd` goes to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, type Command } from '../context'

export const pwd: Command = async (ctx) => {
  parseArgs('pwd', ctx.args, { flags: 'LP', long: { logical: { key: 'L' }, physical: { key: 'P' } } })
  ctx.stdout.write(`${ctx.cwd}\n`)
  return 0
}

export const env: Command = async (ctx) => {
  const parsed = parseArgs('env', ctx.args, {
    flags: 'i0',
    withValue: 'u',
    long: { 'ignore-environment': { key: 'i' }, null: { key: '0' }, unset: { key: 'u', value: true } },
    stopAtFirstOperand: true,
  })
  const variables = new Map(parsed.has('i') ? [] : Object.entries(ctx.env))
  for (const name of parsed.all('u')) variables.delete(name)
  for (const operand of parsed.operands) {
    const eq = operand.indexOf('=')
    if (eq <= 0) throw new UnsupportedFeature('env', 'running a command')
    variables.set(operand.slice(0, eq), operand.slice(eq + 1))
  }
  const terminator = parsed.has('0') ? '\0' : '\n'
  for (const [name, value] of variables) ctx.stdout.write(`${name}=${value}${terminator}`)
  return 0
}
