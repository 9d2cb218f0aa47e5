/**
 * Corpus lines where tier 1 (as tested, without tier 4) does not answer
 * byte for byte like bash, and why. docs/native.md lists the same. The
 * tests check each still differs, so the list cannot go stale.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  'for f in src/*; do wc -l < "$f"; done':
    'redirecting stdin from a directory: bash opens it and wc reports a read error and 0; fsx refuses to open a directory, so the command fails before it runs',
  'while read -r level rest; do case $level in ERROR) echo "!! $rest";; WARN) echo "! $rest";; esac; done < <(cut -d" " -f2- data/log.txt) 2>/dev/null || true':
    'process substitution runs only on tier 4 (the whole line goes there); this suite wires no tier 4',
}

/** The share of the corpus that must match bash exactly. */
export const REQUIRED_SHARE = 0.99
