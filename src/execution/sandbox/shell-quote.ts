/** POSIX single-quoting: the value reaches the command as one argument, byte for byte, whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}
