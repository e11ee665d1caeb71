#define _GNU_SOURCE
#include "CShims.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int cspawn_start(const char *path, char *const argv[], char *const envp[], const char *cwd, int log_fd,
                 pid_t *pid, int *pidfd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return rc;
    }
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    for (int sig = 1; sig < 32; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&defaults, sig);
    }
    sigemptyset(&empty);
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc == 0 && cwd != NULL) rc = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    pid_t child = -1;
    if (rc == 0) rc = posix_spawn(&child, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return rc;
    // Nothing else in this process reaps this child (Foundation waits only for its own), so the
    // pid cannot be reused before the descriptor refers to it.
    int fd = (int)syscall(SYS_pidfd_open, child, 0);
    if (fd < 0) {
        int error = errno;
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        return error;
    }
    *pid = child;
    *pidfd = fd;
    return 0;
}

int cspawn_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int cspawn_epoll_add(int epfd, int fd) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.fd = fd;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 ? 0 : errno;
}

int cspawn_epoll_wait(int epfd, int *fds, int max) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    for (;;) {
        int n = epoll_wait(epfd, events, max, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) fds[i] = events[i].data.fd;
        return n;
    }
}

int cspawn_reap(int pidfd, int block, int *code) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    for (;;) {
        if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | (block ? 0 : WNOHANG)) == 0) break;
        if (errno != EINTR) return errno;
    }
    if (info.si_pid == 0) return EAGAIN;
    *code = (info.si_code == CLD_EXITED) ? info.si_status : 128 + info.si_status;
    return 0;
}

#else

int cspawn_start(const char *path, char *const argv[], char *const envp[], const char *cwd, int log_fd,
                 pid_t *pid, int *pidfd) {
    return ENOSYS;
}
int cspawn_epoll_create(void) { errno = ENOSYS; return -1; }
int cspawn_epoll_add(int epfd, int fd) { return ENOSYS; }
int cspawn_epoll_wait(int epfd, int *fds, int max) { errno = ENOSYS; return -1; }
int cspawn_reap(int pidfd, int block, int *code) { return ENOSYS; }

#endif
