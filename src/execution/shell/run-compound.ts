/**
 * Compound commands: if, for, for ((…)), while/until, case, { } groups,
 * ( ) subshells, ((…)) and [[ … ]]. Loops count iterations against the
 * line's limit and honour break/continue N.
 */
import type { CommandList, CompoundBody, Word } from './ast'
import { evaluateCondition } from './cond'
import { BreakLoop, ContinueLoop } from './control'
import { arithmetic, expandPattern, expandString, expandWords } from './expand'
import type { IO } from './io'
import type { Shell } from './interpreter'
import { matchPattern } from './pattern'

/** Runs one loop body; returns false when the loop must stop (break). */
async function loopBody(shell: Shell, body: CommandList, io: IO): Promise<boolean> {
  await shell.loopIteration()
  shell.loopDepth++
  try {
    await shell.runList(body, io)
    return true
  } catch (thrown) {
    if (thrown instanceof BreakLoop) {
      if (--thrown.levels > 0) throw thrown
      return false
    }
    if (thrown instanceof ContinueLoop) {
      if (--thrown.levels > 0) throw thrown
      return true
    }
    throw thrown
  } finally {
    shell.loopDepth--
  }
}

async function arithStatus(shell: Shell, word: Word, io: IO): Promise<number> {
  try {
    return (await arithmetic(word, shell)) === 0n ? 1 : 0
  } catch (thrown) {
    return shell.expansionFailed(thrown, io)
  }
}

export async function runCompound(shell: Shell, body: CompoundBody, io: IO): Promise<void> {
  switch (body.kind) {
    case 'group':
      return shell.runList(body.body, io)
    case 'subshell': {
      const child = shell.subshell()
      await child.runIsolated(body.body, io)
      shell.lastStatus = child.lastStatus
      return
    }
    case 'if': {
      for (const branch of body.branches) {
        await shell.condition(() => shell.runList(branch.condition, io))
        if (shell.lastStatus === 0) return shell.runList(branch.body, io)
      }
      if (body.otherwise) return shell.runList(body.otherwise, io)
      shell.lastStatus = 0
      return
    }
    case 'while': {
      let status = 0
      for (;;) {
        await shell.condition(() => shell.runList(body.condition, io))
        if ((shell.lastStatus === 0) === body.until) break
        const more = await loopBody(shell, body.body, io)
        status = shell.lastStatus
        if (!more) break
      }
      shell.lastStatus = status
      return
    }
    case 'for': {
      let items: string[]
      try {
        items = body.items ? await expandWords(body.items, shell) : [...shell.positional]
      } catch (thrown) {
        return shell.expansionFailed(thrown, io)
      }
      shell.lastStatus = 0
      for (const item of items) {
        shell.vars.set(body.name, item)
        if (!(await loopBody(shell, body.body, io))) break
      }
      return
    }
    case 'arith-for': {
      if (body.init.parts.length > 0) await arithStatus(shell, body.init, io)
      let status = 0
      for (;;) {
        if (body.test.parts.length > 0 && (await arithStatus(shell, body.test, io)) !== 0) break
        const more = await loopBody(shell, body.body, io)
        status = shell.lastStatus
        if (!more) break
        if (body.step.parts.length > 0) await arithStatus(shell, body.step, io)
      }
      shell.lastStatus = status
      return
    }
    case 'case': {
      let subject: string
      try {
        subject = await expandString(body.subject, shell)
      } catch (thrown) {
        return shell.expansionFailed(thrown, io)
      }
      shell.lastStatus = 0
      let fallthrough = false
      for (const item of body.items) {
        let matched = fallthrough
        if (!matched) {
          for (const pattern of item.patterns) {
            if (matchPattern(await expandPattern(pattern, shell), subject)) {
              matched = true
              break
            }
          }
        }
        if (!matched) continue
        await shell.runList(item.body, io)
        if (item.terminator === ';;') return
        fallthrough = item.terminator === ';&'
      }
      return
    }
    case 'arith':
      shell.lastStatus = await arithStatus(shell, body.expr, io)
      return
    case 'cond':
      try {
        shell.lastStatus = (await evaluateCondition(shell, body.expr)) ? 0 : 1
      } catch (thrown) {
        if (thrown instanceof Error && thrown.name === 'CondError') {
          shell.reportError(io, thrown.message)
          shell.lastStatus = 2
          return
        }
        return shell.expansionFailed(thrown, io)
      }
      return
  }
}
