/**
 * The jq service's RPC contract. The fabric imports these types (type-only,
 * so no jq code enters its bundle); the service parses every request with the
 * schema because RPC arguments cross a Worker boundary.
 */
import { z } from 'zod'
import type { CommandOutput } from '../../shared/src/call'

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export const JqOptionsSchema = z
  .object({
    /** -c: one line per result instead of pretty-printed. */
    compact: z.boolean().optional(),
    /** -r: strings without quotes. */
    rawOutput: z.boolean().optional(),
    /** -j: like -r, and no newline after each result. */
    joinOutput: z.boolean().optional(),
    /** -a: escape non-ASCII characters. */
    asciiOutput: z.boolean().optional(),
    /** -s: read all inputs into one array. */
    slurp: z.boolean().optional(),
    /** -n: ignore the input, run the filter once with `null`. */
    nullInput: z.boolean().optional(),
    /** -R: each input line is a string, not JSON. */
    rawInput: z.boolean().optional(),
    /** -S: sort object keys. */
    sortKeys: z.boolean().optional(),
    /** --tab: indent with tabs. */
    tab: z.boolean().optional(),
    /** --indent n (0–7). */
    indent: z.number().int().min(0).max(7).optional(),
    /** --arg name value: `$name` is the string value. */
    args: z.record(z.string().regex(VARIABLE_NAME), z.string()).optional(),
    /** --argjson name text: `$name` is the parsed JSON text. */
    jsonArgs: z.record(z.string().regex(VARIABLE_NAME), z.string()).optional(),
  })
  .strict()

export const JqRequestSchema = z
  .object({
    filter: z.string().min(1).max(64 * 1024),
    /** The JSON text (or raw text with rawInput) jq reads, as `jq` would read stdin. */
    input: z.string(),
    options: JqOptionsSchema.default({}),
    /** W3C traceparent of the calling span, echoed into the service's logs. */
    traceparent: z.string().optional(),
    /** Epoch milliseconds after which the caller no longer waits for the answer. */
    deadline: z.number().optional(),
  })
  .strict()

export type JqOptions = z.infer<typeof JqOptionsSchema>
export type JqRequest = z.input<typeof JqRequestSchema>

/** What jq printed and how it exited, exactly as the CLI would. */
export type JqResponse = CommandOutput
