/**
 * The convert service's RPC contract. The fabric imports these types
 * (type-only); the service parses every request with the schema because RPC
 * arguments cross a Worker boundary.
 */
import { z } from 'zod'
import type { CommandOutput } from '../../shared/src/call'

export const FORMATS = ['json', 'yaml', 'toml', 'csv', 'tsv'] as const
export type Format = (typeof FORMATS)[number]

export const ConvertRequestSchema = z
  .object({
    from: z.enum(FORMATS),
    to: z.enum(FORMATS),
    input: z.string(),
    options: z
      .object({
        /** JSON on one line instead of indented by two spaces. */
        compact: z.boolean().optional(),
        /** CSV/TSV input has no header row: rows become arrays, not objects. */
        noHeader: z.boolean().optional(),
      })
      .strict()
      .default({}),
    traceparent: z.string().optional(),
    deadline: z.number().optional(),
  })
  .strict()

export type ConvertRequest = z.input<typeof ConvertRequestSchema>
export type ConvertOptions = z.infer<typeof ConvertRequestSchema>['options']

/** What a `convert` command prints and how it exits. */
export type ConvertResponse = CommandOutput
