#define _GNU_SOURCE
#include "CSandbox.h"
#include "LauncherShared.h"
#include "SandboxStart.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LAUNCHER_FD_ENV "ARMADA_SIM_LAUNCHER_FD"
#define LAUNCHER_PARENT_ENV "ARMADA_SIM_LAUNCHER_PARENT"

int csandbox_launcher_spawn(pid_t *pid, int *fd) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return errno;
    int size = 4 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    char fd_env[64], parent_env[64];
    snprintf(fd_env, sizeof fd_env, LAUNCHER_FD_ENV "=3");
    snprintf(parent_env, sizeof parent_env, LAUNCHER_PARENT_ENV "=%d", (int)getpid());
    char *argv[] = {"armada-sim-launcher", NULL};
    char *envp[] = {fd_env, parent_env, NULL};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc == 0) rc = posix_spawnattr_init(&attr);
    sigset_t defaults, empty;
    sigfillset(&defaults);
    sigemptyset(&empty);
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, sv[1], 3);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    if (rc == 0) rc = posix_spawn(pid, "/proc/self/exe", &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        return rc;
    }
    *fd = sv[0];
    return 0;
}

// MARK: The launcher process

enum child_state { STARTING, RUNNING, FAILED };

/// A child of the launcher, from its clone until it is reaped and its end reported.
struct child_entry {
    unsigned id;
    enum child_state state;
    int exited, code;
    struct csandbox_starting starting;
    struct request *request;
};

static struct child_entry *children;
static size_t child_count, child_capacity;

static void kill_all(void) {
    for (size_t i = 0; i < child_count; i++) {
        kill(-children[i].starting.pid, SIGKILL);
        kill(children[i].starting.pid, SIGKILL);
    }
}

void launcher_reply(int fd, int kind, unsigned id, int pid, int code, struct csandbox_failure failure) {
    struct csandbox_reply r = {kind, id, pid, code, failure};
    if (launcher_send(fd, &r, sizeof r, -1) != 0) {
        // The simulator has gone: its pods go with this process.
        kill_all();
        _exit(0);
    }
}

/// Forgets a reaped child and releases its memory (its stack, its request).
static void remove_child(size_t i) {
    csandbox_end(&children[i].starting);
    launcher_free_request(children[i].request);
    children[i] = children[--child_count];
}

static int add_child(struct child_entry entry) {
    if (child_count == child_capacity) {
        size_t capacity = child_capacity ? child_capacity * 2 : 64;
        struct child_entry *grown = realloc(children, capacity * sizeof *children);
        if (grown == NULL) return ENOMEM;
        children = grown;
        child_capacity = capacity;
    }
    children[child_count++] = entry;
    return 0;
}

static void handle_start(int fd, const char *buffer, size_t length, int log_fd) {
    struct wire_header h;
    memcpy(&h, buffer, sizeof h);
    struct request *request = log_fd < 0 ? NULL : launcher_decode(buffer, length, log_fd);
    if (request == NULL) {
        launcher_reply(fd, CSANDBOX_REPLY_FAILED, h.id, 0, 0, (struct csandbox_failure){-2, EPROTO});
        return;
    }
    struct child_entry entry;
    memset(&entry, 0, sizeof entry);
    entry.id = h.id;
    entry.request = request;
    // A pod network is joined by cloning the child in it: this process enters it for the clone.
    unsigned net = request->spec.net_id;
    int entered = net ? launcher_net_enter(net) : 0;
    if (entered != 0) {
        launcher_free_request(request);
        launcher_reply(fd, CSANDBOX_REPLY_FAILED, h.id, 0, 0, (struct csandbox_failure){-2, entered});
        return;
    }
    int rc = csandbox_begin(&request->spec, &entry.starting);
    if (net && launcher_net_leave() != 0) {
        // Later pods would start in this pod's network: end, and the simulator starts a new launcher.
        kill_all();
        _exit(1);
    }
    if (rc > 0) {
        launcher_free_request(request);
        launcher_reply(fd, CSANDBOX_REPLY_FAILED, h.id, 0, 0, (struct csandbox_failure){-2, rc});
        return;
    }
    // Started or to be reaped: either way the child is ours until waitpid.
    entry.state = rc == 0 ? STARTING : FAILED;
    if (add_child(entry) != 0) {
        // Not tracked: it ends now, and its memory stays (it may still run on it).
        kill(entry.starting.pid, SIGKILL);
        if (rc == 0) {
            close(entry.starting.go);
            close(entry.starting.report);
        }
        launcher_reply(fd, CSANDBOX_REPLY_FAILED, h.id, 0, 0, (struct csandbox_failure){-2, ENOMEM});
        return;
    }
    if (rc == -1) launcher_reply(fd, CSANDBOX_REPLY_FAILED, h.id, 0, 0, entry.starting.failure);
}

static void reap(int fd) {
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) return;
        for (size_t i = 0; i < child_count; i++) {
            struct child_entry *c = &children[i];
            if (c->starting.pid != pid) continue;
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (c->state == RUNNING) {
                unsigned id = c->id;
                remove_child(i);
                launcher_reply(fd, CSANDBOX_REPLY_EXITED, id, pid, code, (struct csandbox_failure){0, 0});
            } else if (c->state == FAILED) {
                remove_child(i);
            } else {
                c->exited = 1; // its report decides whether it started
                c->code = code;
            }
            break;
        }
    }
}

/// A starting child's report turned readable: it exec'd or failed.
static void finish(int fd, size_t i) {
    struct child_entry *c = &children[i];
    int rc = csandbox_finish(&c->starting);
    if (rc == 1) return;
    unsigned id = c->id;
    pid_t pid = c->starting.pid;
    if (rc == 0) {
        c->state = RUNNING;
        int exited = c->exited, code = c->code;
        if (exited) remove_child(i);
        launcher_reply(fd, CSANDBOX_REPLY_STARTED, id, pid, 0, (struct csandbox_failure){0, 0});
        if (exited) launcher_reply(fd, CSANDBOX_REPLY_EXITED, id, pid, code, (struct csandbox_failure){0, 0});
        return;
    }
    struct csandbox_failure failure = c->starting.failure;
    c->state = FAILED;
    if (c->exited) remove_child(i);
    launcher_reply(fd, CSANDBOX_REPLY_FAILED, id, 0, 0, failure);
}

static void launcher_main(int fd) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) _exit(1);
    size_t capacity = 64 << 10;
    char *buffer = malloc(capacity);
    if (buffer == NULL) _exit(1);
    struct pollfd *fds = NULL;
    unsigned *ids = NULL;
    size_t fds_capacity = 0;
    for (;;) {
        if (child_count + 2 > fds_capacity) {
            fds_capacity = (child_count + 2) * 2;
            fds = realloc(fds, fds_capacity * sizeof *fds);
            ids = realloc(ids, fds_capacity * sizeof *ids);
            if (fds == NULL || ids == NULL) {
                kill_all();
                _exit(1);
            }
        }
        fds[0] = (struct pollfd){fd, POLLIN, 0};
        fds[1] = (struct pollfd){sfd, POLLIN, 0};
        nfds_t count = 2;
        for (size_t i = 0; i < child_count; i++) {
            if (children[i].state != STARTING) continue;
            ids[count] = children[i].id;
            fds[count++] = (struct pollfd){children[i].starting.report, POLLIN, 0};
        }
        if (poll(fds, count, -1) < 0) {
            if (errno == EINTR) continue;
            kill_all();
            _exit(1);
        }
        for (nfds_t k = 2; k < count; k++) {
            if (!fds[k].revents) continue;
            for (size_t i = 0; i < child_count; i++) {
                if (children[i].id == ids[k] && children[i].state == STARTING) {
                    finish(fd, i);
                    break;
                }
            }
        }
        if (fds[1].revents) {
            struct signalfd_siginfo info;
            while (read(sfd, &info, sizeof info) > 0) {}
            reap(fd);
        }
        if (!fds[0].revents) continue;
        ssize_t size = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
        if (size == 0) {
            kill_all();
            _exit(0);
        }
        if (size < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            _exit(1);
        }
        if ((size_t)size > capacity) {
            char *grown = realloc(buffer, (size_t)size);
            if (grown == NULL) _exit(1);
            buffer = grown;
            capacity = (size_t)size;
        }
        struct iovec iov = {buffer, capacity};
        char control[CMSG_SPACE(sizeof(int))];
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
        if (n <= 0) continue;
        int log_fd = -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&log_fd, CMSG_DATA(c), sizeof(int));
        }
        uint32_t kind = 0;
        if ((size_t)n >= sizeof kind) memcpy(&kind, buffer, sizeof kind);
        if ((kind == CSANDBOX_REQUEST_NET_CREATE || kind == CSANDBOX_REQUEST_NET_DELETE) && (size_t)n == sizeof(struct wire_net)) {
            struct wire_net w;
            memcpy(&w, buffer, sizeof w);
            if (kind == CSANDBOX_REQUEST_NET_CREATE) launcher_net_create(fd, &w);
            else launcher_net_delete(w.id);
            if (log_fd >= 0) close(log_fd);
            continue;
        }
        struct wire_header h;
        if ((size_t)n < sizeof h) {
            if (log_fd >= 0) close(log_fd);
            continue;
        }
        memcpy(&h, buffer, sizeof h);
        if (h.kind == CSANDBOX_REQUEST_START) {
            handle_start(fd, buffer, (size_t)n, log_fd);
        } else if (h.kind == CSANDBOX_REQUEST_SIGNAL) {
            for (size_t i = 0; i < child_count; i++) {
                struct child_entry *c = &children[i];
                if (c->id != h.id || c->state == FAILED) continue;
                kill(-c->starting.pid, h.signal);
                if (c->state == STARTING) kill(c->starting.pid, h.signal); // its group may not exist yet
            }
        }
        if (log_fd >= 0) close(log_fd);
    }
}

/// Runs before the program's own start: in a process started by `csandbox_launcher_spawn`, the
/// launcher's loop takes over and the program never runs.
__attribute__((constructor)) static void csandbox_launcher_hook(void) {
    const char *fd_text = getenv(LAUNCHER_FD_ENV), *parent_text = getenv(LAUNCHER_PARENT_ENV);
    if (fd_text == NULL || parent_text == NULL) return;
    int fd = atoi(fd_text), type = 0;
    socklen_t length = sizeof type;
    if (fd < 3 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_SEQPACKET) return;
    unsetenv(LAUNCHER_FD_ENV);
    unsetenv(LAUNCHER_PARENT_ENV);
    // Pods inherit this process's dispositions: whatever the libraries' constructors installed or
    // ignored (a crash handler, SIGPIPE), pods start with the defaults, as on a node.
    // The kernel's call, not glibc's: glibc refuses its own signals (32, 33), which a parent may
    // have left ignored.
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } dfl = {SIG_DFL, 0, NULL, 0};
    for (int sig = 1; sig <= 64; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    prctl(PR_SET_NAME, "armada-launcher", 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != (pid_t)atoi(parent_text)) _exit(0); // the parent ended before the signal was armed
    launcher_main(fd);
}

#else

int csandbox_launcher_spawn(pid_t *pid, int *fd) { return ENOSYS; }

#endif
