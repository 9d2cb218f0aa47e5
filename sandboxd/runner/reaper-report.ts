/** Parses the JSON lines the rusage reaper writes on fd 3 (see rusage-reaper.pl). */
import type { Readable, Writable } from 'node:stream'
import { z } from 'zod'
import { ResourceUsageSchema, type ResourceUsage } from '../protocol.ts'

const ReportSchema = z.object({ exitCode: z.number().int(), usage: ResourceUsageSchema.nullable() })

export interface ReaperReport {
  /** Null when the reaper ended before reporting (it was killed). */
  exitCode: number | null
  usage: ResourceUsage | null
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export function readReaperReport(stream: Readable | Writable | null | undefined): Promise<ReaperReport> {
  const report: ReaperReport = { exitCode: null, usage: null }
  if (!stream || !('on' in stream)) return Promise.resolve(report)
  let buffered = ''
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
    })
    stream.on('error', () => resolve(report))
    stream.on('close', () => {
      const parsed = ReportSchema.safeParse(parseJson(buffered.trim()))
      resolve(parsed.success ? parsed.data : report)
    })
  })
}
