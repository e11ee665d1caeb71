#ifndef CSHIMS_H
#define CSHIMS_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated) as the leader of a new process group,
/// in `cwd`, with stdin from /dev/null, stdout and stderr to `log_fd`, every other descriptor
/// closed, default signal dispositions and an empty signal mask. On success returns 0 and sets
/// `*pid` and `*pidfd` (a pollable descriptor of the child, close-on-exec); else an errno value.
int cspawn_start(const char *path, char *const argv[], char *const envp[], const char *cwd, int log_fd,
                 pid_t *pid, int *pidfd);

/// An epoll instance (close-on-exec), or -1 with errno.
int cspawn_epoll_create(void);

/// Adds `fd` to `epfd` for readability, one-shot; 0 or an errno value.
int cspawn_epoll_add(int epfd, int fd);

/// Waits for ready descriptors (restarting on EINTR); writes up to `max` of them to `fds` and
/// returns how many, or -1 with errno.
int cspawn_epoll_wait(int epfd, int *fds, int max);

/// Reaps the exited child of `pidfd` (which stays open), waiting for it to exit when `block` is
/// non-zero. Returns 0 and sets `*code` to the exit status, or to 128 + signal when a signal
/// ended it; else an errno value (ECHILD: not a child of this process or already reaped;
/// EAGAIN: still running).
int cspawn_reap(int pidfd, int block, int *code);

/// Installs, for each of `signals`, a handler that writes the signal's number as one byte to a
/// pipe, and returns the pipe's read end (blocking, close-on-exec), or -1 with errno. Installing
/// again adds signals and returns the same pipe. The handler only calls write(2) on the
/// non-blocking write end, so it is async-signal-safe and never blocks; no signal is lost between
/// the default disposition and the handler (sigaction replaces one with the other atomically).
int cshims_signal_pipe(const int *signals, int count);

#endif
