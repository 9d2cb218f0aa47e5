/** Refuses request bodies over MAX_BODY_BYTES with 413 before they are buffered. */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { FabricError } from '../../../types/errors'
import type { AppEnv } from '../app-env'

export const bodyLimitMiddleware = createMiddleware<AppEnv>((c, next) => {
  const maxSize = Number(c.env.MAX_BODY_BYTES)
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new FabricError('PAYLOAD_TOO_LARGE', `request body is over the ${maxSize}-byte limit; split the upload`, { maxSize })
    },
  })(c, next)
})
