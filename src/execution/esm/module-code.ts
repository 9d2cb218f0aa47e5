/**
 * A module's code as bytes, addressed by its sha-256. Code lives in R2 under
 * `modules/<hash>`; fsx roots are always `tenants/<id>/…`, so no tenant path
 * can name it.
 */

export const CODE_PREFIX = 'modules/'

export function codeKey(hash: string): string {
  return `${CODE_PREFIX}${hash}`
}
