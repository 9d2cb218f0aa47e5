/*
 * Preloaded into every sandboxed process (LD_PRELOAD): readdir() of the
 * sandbox's root leaves out the reserved system directories (/usr, /etc,
 * /proc, /tmp, ...), so `ls /` and `find /` see the tenant's files only, as
 * on tier 1, while every path under them still opens and runs. sandboxd
 * compiles this at start-up with the names of types/sandbox-paths.ts
 * (-DRESERVED_NAMES). Not a security boundary: a program that reads the
 * directory with raw getdents64, or unsets LD_PRELOAD, sees the mounts.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <string.h>
#include <sys/stat.h>

static const char *const reserved[] = {RESERVED_NAMES, 0};

static int is_reserved(const char *name) {
  for (const char *const *r = reserved; *r; r++)
    if (strcmp(*r, name) == 0) return 1;
  return 0;
}

static int is_root(DIR *dir) {
  struct stat here, root;
  if (fstat(dirfd(dir), &here) != 0 || stat("/", &root) != 0) return 0;
  return here.st_dev == root.st_dev && here.st_ino == root.st_ino;
}

/* readdir and readdir64 are separate symbols with the same behaviour: one definition for both. */
#define FILTERED_READDIR(name, entry_type)                                       \
  entry_type *name(DIR *dir) {                                                   \
    static entry_type *(*real)(DIR *);                                           \
    if (!real) real = (entry_type * (*)(DIR *)) dlsym(RTLD_NEXT, #name);         \
    entry_type *entry;                                                           \
    while ((entry = real(dir)) && is_reserved(entry->d_name) && is_root(dir)) { \
    }                                                                            \
    return entry;                                                                \
  }

FILTERED_READDIR(readdir, struct dirent)
FILTERED_READDIR(readdir64, struct dirent64)
