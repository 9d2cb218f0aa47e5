/**
 * Cases where tier 1 knowingly answers differently from GNU on this harness,
 * each explained in docs/native.md ("Differential harness"). Keyed by the
 * case's pipeline.
 */
export const KNOWN_DIFFERENCES: ReadonlySet<string> = new Set<string>([
  // GNU cut -c counts bytes in 9.1 and splits multi-byte characters; tier 1 counts characters.
  'cut -c1-3 unicode.txt',
  'cut -c2,4- unicode.txt',
  'cat unicode.txt | sed -E s/([a-z])([a-z])/\\2\\1/ | cut -c 1-4 | fold -s -w 12',
  // GNU fold 9.1 splits multi-byte characters; the next text utility sees invalid UTF-8, which tier 1 decodes to U+FFFD.
  'cat unicode.txt | cat -n | fold -w 8 | nl -ba',
  // ls -S: an ext4 directory is 4096 bytes, an fsx directory 0, so directories sort last.
  'ls -S',
  'ls -S dir',
  'ls -S dir other',
  // Harness artefact: Node gives GNU sort a socket for stdout, which /dev/stdout cannot reopen (ENXIO).
  'sort -o /dev/stdout nums.txt',
])
