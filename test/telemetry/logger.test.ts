import { describe, expect, it } from 'vitest'
import { createLogger, parseLogLevel, type LogLevel } from '../../src/telemetry/logger'

const FIXED = new Date('2026-03-04T05:06:07.000Z')

function capture(level?: LogLevel) {
  const lines: Array<[LogLevel, string]> = []
  const logger = createLogger(
    { traceId: 'a'.repeat(32), requestId: 'req_1', tenantId: 't1' },
    { level, sink: (l, line) => lines.push([l, line]), now: () => FIXED },
  )
  return { logger, lines }
}

describe('structured logger', () => {
  it('writes one JSON line with level, msg, time, then the correlation ids, then fields', () => {
    const { logger, lines } = capture()
    logger.info('exec done', { exitCode: 0 })
    expect(lines).toEqual([
      [
        'info',
        `{"level":"info","msg":"exec done","time":"2026-03-04T05:06:07.000Z","traceId":"${'a'.repeat(32)}","requestId":"req_1","tenantId":"t1","exitCode":0}`,
      ],
    ])
  })

  it('child loggers add execution and agent ids', () => {
    const { logger, lines } = capture()
    logger.child({ executionId: 'exe_1', agentId: 'agent-7' }).warn('slow')
    expect(JSON.parse(lines[0]![1])).toEqual({
      level: 'warn',
      msg: 'slow',
      time: '2026-03-04T05:06:07.000Z',
      traceId: 'a'.repeat(32),
      requestId: 'req_1',
      tenantId: 't1',
      executionId: 'exe_1',
      agentId: 'agent-7',
    })
  })

  it('redacts secrets in the message and in fields before writing', () => {
    const { logger, lines } = capture()
    logger.error('login failed with password=hunter2', { headers: { authorization: 'Bearer abcdefghijkl' }, env: { TOKEN: 'x' } })
    const line = lines[0]![1]
    expect(line).not.toContain('hunter2')
    expect(line).not.toContain('abcdefghijkl')
    expect(JSON.parse(line)).toMatchObject({
      msg: 'login failed with password=[REDACTED]',
      headers: { authorization: '[REDACTED]' },
      env: { TOKEN: '[REDACTED]' },
    })
  })

  it('fields cannot overwrite the fixed keys', () => {
    const { logger, lines } = capture()
    logger.info('m', { level: 'error', tenantId: 'other' })
    expect(JSON.parse(lines[0]![1])).toMatchObject({ level: 'info', tenantId: 't1' })
  })

  it('drops lines below the threshold', () => {
    const { logger, lines } = capture('warn')
    logger.debug('d')
    logger.info('i')
    logger.warn('w')
    logger.error('e')
    expect(lines.map(([l]) => l)).toEqual(['warn', 'error'])
  })

  it('serialises bigints as decimal strings', () => {
    const { logger, lines } = capture()
    logger.info('size', { bytes: 12345678901234567890n })
    expect(JSON.parse(lines[0]![1]).bytes).toBe('12345678901234567890')
  })

  it('parses LOG_LEVEL, defaulting to info', () => {
    expect([parseLogLevel('debug'), parseLogLevel('ERROR'), parseLogLevel(undefined)]).toEqual(['debug', 'info', 'info'])
  })
})
