/*
 * The warm sandbox's supervisor: the one long-lived process sandboxd starts
 * inside an agent's bubblewrap sandbox. It runs one command at a time, each
 * in its own process group with its own rlimits, cwd and environment, and
 * after each command leaves the sandbox as the next one expects to find it:
 * every other process killed and reaped, /tmp and /dev/shm emptied, SysV IPC
 * objects removed. sandboxd compiles it at start-up with `cc`, like
 * hide-reserved.c.
 *
 * It talks to sandboxd over its stdin (fd 0) and stdout (fd 1) in frames of
 * one type byte, a 4-byte little-endian length and the payload:
 *   in:  'R' run: NUL-terminated fields timeoutMs, addressSpaceBytes,
 *            cpuSeconds, maxProcesses, maxFileBytes, cwd, argc, argv...,
 *            envc, env ("NAME=value")...
 *        'I' stdin bytes, 'E' end of stdin, 'K' kill the run
 *   out: 'W' ready (once), 'O' stdout bytes, 'e' stderr bytes,
 *        'X' "exitCode timedOut userMs systemMs maxRssKb clean" (last of a run)
 *
 * Why the command cannot tamper with it although both run as the sandbox's
 * uid: the supervisor is not dumpable, so the command can neither ptrace it
 * nor open its /proc/<pid>/fd pipes to forge frames. It can kill it; sandboxd
 * then fails that run and starts a fresh sandbox for the next.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME (64u << 20)
#define MAX_FIELDS 65536
#define MAX_WIPE_DEPTH 64
#define CHUNK 65536

extern char **environ;

static void die(const char *what) {
  dprintf(2, "sandboxd supervisor: %s: %s\n", what, strerror(errno));
  _exit(70);
}

static void write_all(int fd, const void *data, size_t length) {
  const char *p = data;
  while (length > 0) {
    ssize_t n = write(fd, p, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0); /* sandboxd went away: the sandbox goes with it */
    p += n;
    length -= (size_t)n;
  }
}

static void send_frame(char type, const void *payload, uint32_t length) {
  unsigned char header[5] = {(unsigned char)type, length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, length >> 24};
  write_all(1, header, 5);
  if (length > 0) write_all(1, payload, length);
}

/* 1 on a whole read, 0 on end of input before the first byte. */
static int read_exact(int fd, void *buffer, size_t length) {
  char *p = buffer;
  size_t got = 0;
  while (got < length) {
    ssize_t n = read(fd, p + got, length - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("read");
    if (n == 0) {
      if (got == 0) return 0;
      errno = EPROTO;
      die("truncated frame");
    }
    got += (size_t)n;
  }
  return 1;
}

/* Next frame from sandboxd; 0 when it closed the channel. The payload is NUL-terminated. */
static int read_frame(char *type, char **payload, uint32_t *length) {
  unsigned char header[5];
  if (!read_exact(0, header, 5)) return 0;
  *type = (char)header[0];
  *length = header[1] | header[2] << 8 | header[3] << 16 | (uint32_t)header[4] << 24;
  if (*length > MAX_FRAME) {
    errno = EMSGSIZE;
    die("frame too large");
  }
  *payload = malloc(*length + 1);
  if (!*payload) die("malloc");
  if (*length > 0 && !read_exact(0, *payload, *length)) die("truncated frame");
  (*payload)[*length] = 0;
  return 1;
}

struct run {
  long long timeout_ms, address_space, cpu_seconds, processes, file_bytes;
  char *cwd;
  char **argv, **envp;
};

/* Splits the 'R' payload into its NUL-terminated fields; 0 when it is malformed. */
static int parse_run(char *payload, uint32_t length, struct run *run) {
  char *fields[MAX_FIELDS];
  uint32_t count = 0;
  for (char *p = payload; p < payload + length && count < MAX_FIELDS; p += strlen(p) + 1) fields[count++] = p;
  if (count < 7) return 0;
  long long *numbers[] = {&run->timeout_ms, &run->address_space, &run->cpu_seconds, &run->processes, &run->file_bytes};
  for (int i = 0; i < 5; i++) *numbers[i] = atoll(fields[i]);
  run->cwd = fields[5];
  uint32_t argc = (uint32_t)atoll(fields[6]);
  if (argc == 0 || 7 + argc >= count) return 0;
  uint32_t envc = (uint32_t)atoll(fields[7 + argc]);
  if (8 + argc + envc != count) return 0;
  run->argv = calloc(argc + 1, sizeof(char *));
  run->envp = calloc(envc + 1, sizeof(char *));
  if (!run->argv || !run->envp) die("calloc");
  memcpy(run->argv, fields + 7, argc * sizeof(char *));
  memcpy(run->envp, fields + 8 + argc, envc * sizeof(char *));
  return 1;
}

static void limit(int resource, long long soft, long long hard) {
  struct rlimit value = {(rlim_t)soft, (rlim_t)hard};
  if (setrlimit(resource, &value) != 0) {
    dprintf(2, "sandbox: cannot set resource limit %d: %s\n", resource, strerror(errno));
    _exit(126);
  }
}

/* In the forked child: its own group, its limits, cwd and environment, then the command. */
static void exec_command(const struct run *run, int in, int out, int err) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  setpgid(0, 0);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
  syscall(SYS_close_range, 3, ~0u, 0);
  limit(RLIMIT_AS, run->address_space, run->address_space);
  limit(RLIMIT_CPU, run->cpu_seconds, run->cpu_seconds + 1);
  limit(RLIMIT_NPROC, run->processes, run->processes);
  limit(RLIMIT_FSIZE, run->file_bytes, run->file_bytes);
  limit(RLIMIT_CORE, 0, 0);
  if (chdir(run->cwd) != 0) {
    dprintf(2, "sandbox: cannot enter '%s': %s\n", run->cwd, strerror(errno));
    _exit(126);
  }
  /* execvp searches the PATH of environ: the command's, not the supervisor's (empty) one. */
  environ = run->envp;
  execvp(run->argv[0], run->argv);
  dprintf(2, "sandbox: failed to execute %s: %s\n", run->argv[0], strerror(errno));
  _exit(errno == ENOENT ? 127 : 126);
}

struct usage {
  long long user_us, system_us, max_rss_kb;
};

static void add_usage(struct usage *total, const struct rusage *ru) {
  total->user_us += ru->ru_utime.tv_sec * 1000000LL + ru->ru_utime.tv_usec;
  total->system_us += ru->ru_stime.tv_sec * 1000000LL + ru->ru_stime.tv_usec;
  if (ru->ru_maxrss > total->max_rss_kb) total->max_rss_kb = ru->ru_maxrss;
}

/*
 * kill(-1) reaches every process of the sandbox but bwrap's init (pid 1) and
 * this one; as a child subreaper the supervisor inherits every orphan, so
 * waiting until ECHILD means nothing of the command is left. Killing again
 * before each wait catches children forked while the previous kill ran.
 */
static void kill_and_reap_all(struct usage *total) {
  for (;;) {
    kill(-1, SIGKILL);
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, 0, &ru);
    if (pid > 0) {
      add_usage(total, &ru);
      continue;
    }
    if (errno == EINTR) continue;
    return;
  }
}

/* Removes everything under the directory `fd` (closed here) without following symlinks; 0 if something stayed. */
static int wipe(int fd, int depth) {
  DIR *dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return 0;
  }
  int clean = 1;
  struct dirent *entry;
  while ((entry = readdir(dir))) {
    const char *name = entry->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (unlinkat(fd, name, 0) == 0) continue;
    /* A directory (maybe left without permissions): make it ours again, empty it, remove it. */
    fchmodat(fd, name, 0700, 0);
    int child = depth < MAX_WIPE_DEPTH ? openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (child < 0 || !wipe(child, depth + 1) || unlinkat(fd, name, AT_REMOVEDIR) != 0) clean = 0;
  }
  closedir(dir);
  return clean;
}

static int wipe_path(const char *path, mode_t mode) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  fchmod(fd, 0700);
  int clean = wipe(dup(fd), 0);
  fchmod(fd, mode);
  close(fd);
  return clean;
}

/* SysV shared memory, semaphores and message queues live in the sandbox's IPC namespace, not in a process. */
static void remove_ipc(void) {
  struct shmid_ds shm;
  int top = shmctl(0, SHM_INFO, &shm);
  for (int i = 0; i <= top; i++) {
    int id = shmctl(i, SHM_STAT, &shm);
    if (id >= 0) shmctl(id, IPC_RMID, NULL);
  }
  struct seminfo seminfo;
  union {
    struct semid_ds *ds;
    struct seminfo *info;
  } arg = {.info = &seminfo};
  top = semctl(0, 0, SEM_INFO, arg);
  struct semid_ds sem;
  arg.ds = &sem;
  for (int i = 0; i <= top; i++) {
    int id = semctl(i, 0, SEM_STAT, arg);
    if (id >= 0) semctl(id, 0, IPC_RMID);
  }
  struct msqid_ds msg;
  top = msgctl(0, MSG_INFO, &msg);
  for (int i = 0; i <= top; i++) {
    int id = msgctl(i, MSG_STAT, &msg);
    if (id >= 0) msgctl(id, IPC_RMID, NULL);
  }
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) die("pipe");
}

static void nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static mode_t tmp_mode, shm_mode;

static void run_command(const struct run *run, int children) {
  int in[2], out[2], err[2];
  make_pipe(in);
  make_pipe(out);
  make_pipe(err);
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) exec_command(run, in[0], out[1], err[1]);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  nonblocking(in[1]);
  nonblocking(out[0]);
  nonblocking(err[0]);

  struct usage total = {0, 0, 0};
  char *input = NULL;
  size_t input_length = 0, input_sent = 0;
  int input_ended = 0, main_status = 0, main_done = 0, timed_out = 0, control_open = 1;
  int stdin_fd = in[1], out_fd = out[0], err_fd = err[0];
  long long deadline = now_ms() + run->timeout_ms;
  char buffer[CHUNK];

  while (!main_done || out_fd >= 0 || err_fd >= 0) {
    if (stdin_fd >= 0 && input_ended && input_sent == input_length) {
      close(stdin_fd);
      stdin_fd = -1;
    }
    struct pollfd fds[5] = {
        {control_open ? 0 : -1, POLLIN, 0},
        {children, POLLIN, 0},
        {out_fd, POLLIN, 0},
        {err_fd, POLLIN, 0},
        {stdin_fd >= 0 && input_sent < input_length ? stdin_fd : -1, POLLOUT, 0},
    };
    long long left = deadline - now_ms();
    if (!main_done && !timed_out && left <= 0) {
      timed_out = 1;
      kill(-1, SIGKILL);
    }
    int wait_ms = main_done || timed_out ? -1 : (int)(left < 1000000 ? left : 1000000);
    if (poll(fds, 5, wait_ms) < 0 && errno != EINTR) die("poll");

    if (fds[0].revents) {
      char type;
      char *payload;
      uint32_t length;
      if (!read_frame(&type, &payload, &length)) {
        kill(-1, SIGKILL); /* sandboxd is gone: so is everything here */
        _exit(0);
      }
      if (type == 'I' && stdin_fd >= 0) {
        input = realloc(input, input_length + length);
        if (!input && length > 0) die("realloc");
        memcpy(input + input_length, payload, length);
        input_length += length;
      } else if (type == 'E') {
        input_ended = 1;
      } else if (type == 'K') {
        kill(-1, SIGKILL);
      }
      free(payload);
    }
    if (fds[1].revents) {
      struct signalfd_siginfo info;
      while (read(children, &info, sizeof info) > 0) {
      }
      int status;
      struct rusage ru;
      pid_t done;
      while ((done = wait4(-1, &status, WNOHANG, &ru)) > 0) {
        add_usage(&total, &ru);
        if (done == pid) {
          main_status = status;
          main_done = 1;
          /* The command is over: what it left running goes now, so its pipes reach end of file. */
          kill(-1, SIGKILL);
        }
      }
    }
    for (int i = 2; i <= 3; i++) {
      if (!fds[i].revents) continue;
      int *fd = i == 2 ? &out_fd : &err_fd;
      ssize_t n = read(*fd, buffer, sizeof buffer);
      if (n > 0) send_frame(i == 2 ? 'O' : 'e', buffer, (uint32_t)n);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        close(*fd);
        *fd = -1;
      }
    }
    if (fds[4].revents) {
      ssize_t n = write(stdin_fd, input + input_sent, input_length - input_sent);
      if (n > 0) input_sent += (size_t)n;
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        /* The command stopped reading its stdin: the rest is dropped, as a closed pipe would. */
        close(stdin_fd);
        stdin_fd = -1;
      }
    }
  }
  if (stdin_fd >= 0) close(stdin_fd);
  free(input);
  kill_and_reap_all(&total);
  int clean = wipe_path("/tmp", tmp_mode) & wipe_path("/dev/shm", shm_mode);
  remove_ipc();

  int code = WIFEXITED(main_status) ? WEXITSTATUS(main_status) : 128 + WTERMSIG(main_status);
  char report[160];
  int length = snprintf(report, sizeof report, "%d %d %lld %lld %lld %d", code, timed_out, total.user_us / 1000,
                        total.system_us / 1000, total.max_rss_kb, clean);
  send_frame('X', report, (uint32_t)length);
}

static mode_t mode_of(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0 ? st.st_mode & 07777 : 0755;
}

int main(void) {
  /* Not dumpable: the commands (same uid) cannot ptrace this process or open its pipes via /proc. */
  prctl(PR_SET_DUMPABLE, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int children = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (children < 0) die("signalfd");
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);
  if (chdir("/") != 0) die("chdir");
  tmp_mode = mode_of("/tmp");
  shm_mode = mode_of("/dev/shm");
  send_frame('W', NULL, 0);

  for (;;) {
    char type;
    char *payload;
    uint32_t length;
    if (!read_frame(&type, &payload, &length)) return 0;
    /* Stdin or kill frames that arrive after their run ended are dropped. */
    if (type == 'R') {
      struct run run;
      if (!parse_run(payload, length, &run)) {
        errno = EPROTO;
        die("malformed run frame");
      }
      run_command(&run, children);
      free(run.argv);
      free(run.envp);
    }
    free(payload);
  }
}
