/**
 * Wrangler's per-request line (`[wrangler:info] GET /v1/agents/a/stream?token=… 101 …`) echoes the raw URL,
 * and the status stream takes its token in the query string: `npm run dev` prints every wrangler line
 * without its request query strings.
 */
export function withoutQueryStrings(line) {
  return line.replace(/(\b(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+[^\s?]*)\?\S*/g, '$1?[query hidden]')
}
