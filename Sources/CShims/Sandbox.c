#define _GNU_SOURCE
#include "CSandbox.h"
#include "SandboxStart.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(CSANDBOX_NEWNS == CLONE_NEWNS && CSANDBOX_NEWUTS == CLONE_NEWUTS && CSANDBOX_NEWIPC == CLONE_NEWIPC &&
               CSANDBOX_NEWUSER == CLONE_NEWUSER && CSANDBOX_NEWPID == CLONE_NEWPID && CSANDBOX_NEWNET == CLONE_NEWNET,
               "namespace flags");

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/// The kernel's `struct clone_args`, first version (glibc 2.36 has no header for it).
struct cs_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

// MARK: The child (system calls only: it is a copy of a multi-threaded process)

/// Reports where the start failed to the parent and ends the child.
static void fail(int report, int step, int error) {
    struct csandbox_failure failure = {step, error};
    ssize_t ignored = write(report, &failure, sizeof failure);
    (void)ignored;
    _exit(127);
}

/// `mkdir -p`: the directory first, its parents only when missing (one call in the common case).
static int mkdir_p(const char *path) {
    if (mkdir(path, 0755) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return errno;
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return errno;
    return 0;
}

static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    int rc = 0;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        rc = errno;
    } else {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) rc = errno;
    }
    close(s);
    return rc;
}

static int write_all(int fd, const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(fd, text, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? errno : EIO;
        text += n;
        left -= (size_t)n;
    }
    return 0;
}

static int run_step(const struct csandbox_step *s) {
    int fd, rc;
    switch (s->op) {
    case CSANDBOX_MKDIR: return mkdir_p(s->a);
    case CSANDBOX_MOUNT: return mount(s->b, s->a, s->fstype, s->flags, s->data) == 0 ? 0 : errno;
    case CSANDBOX_SYMLINK: return symlink(s->b, s->a) == 0 ? 0 : errno;
    case CSANDBOX_TOUCH:
        fd = open(s->a, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return errno;
        close(fd);
        return 0;
    case CSANDBOX_CHROOT:
        if (chroot(s->a) != 0) return errno;
        return chdir("/") == 0 ? 0 : errno;
    case CSANDBOX_UMOUNT: return umount2(s->a, MNT_DETACH) == 0 ? 0 : errno;
    case CSANDBOX_RMDIR: return rmdir(s->a) == 0 ? 0 : errno;
    case CSANDBOX_CHDIR: return chdir(s->a) == 0 ? 0 : errno;
    case CSANDBOX_HOSTNAME: return sethostname(s->a, strlen(s->a)) == 0 ? 0 : errno;
    case CSANDBOX_LOOPBACK: return loopback_up();
    case CSANDBOX_WRITE:
        fd = open(s->a, O_WRONLY | O_CLOEXEC);
        if (fd < 0) return errno;
        rc = write_all(fd, s->b);
        close(fd);
        return rc;
    default: return EINVAL;
    }
}

/// execve of argv[0], searched in `path` as execvp does; returns the error when every try failed.
static int exec_command(const struct csandbox_spec *spec) {
    const char *program = spec->argv[0];
    if (program == NULL || *program == 0) return ENOENT;
    if (strchr(program, '/') != NULL || spec->path == NULL) {
        execve(program, spec->argv, spec->envp);
        return errno;
    }
    char buf[PATH_MAX];
    size_t length = strlen(program);
    int error = ENOENT;
    for (const char *p = spec->path;;) {
        const char *end = strchrnul(p, ':');
        size_t dir = (size_t)(end - p);
        const char *prefix = dir == 0 ? "." : p;
        if (dir == 0) dir = 1;
        if (dir + 1 + length < sizeof buf) {
            memcpy(buf, prefix, dir);
            buf[dir] = '/';
            memcpy(buf + dir + 1, program, length + 1);
            execve(buf, spec->argv, spec->envp);
            if (errno == EACCES) error = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR) return errno;
        }
        if (*end == 0) break;
        p = end + 1;
    }
    return error;
}

/// Closes every descriptor from 3 up but `a` and `b`.
static void close_others(int a, int b) {
    int lo = a < b ? a : b, hi = a < b ? b : a;
    if (lo > 3) syscall(SYS_close_range, 3U, (unsigned)(lo - 1), 0U);
    if (hi > lo + 1) syscall(SYS_close_range, (unsigned)(lo + 1), (unsigned)(hi - 1), 0U);
    syscall(SYS_close_range, (unsigned)(hi + 1), ~0U, 0U);
}

static void run_child(const struct csandbox_spec *spec, int go, int report) {
    setpgid(0, 0);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);

    // The parent writes the id maps and joins the child to its cgroup, then says go.
    char byte;
    ssize_t n;
    do n = read(go, &byte, 1); while (n < 0 && errno == EINTR);
    if (n != 1) _exit(127);
    if (spec->clone_flags & CLONE_NEWUSER) {
        // Raw system calls: glibc's wrappers would signal threads this copy does not have.
        if (spec->clear_groups && syscall(SYS_setgroups, 0, NULL) != 0) fail(report, -1, errno);
        if (syscall(SYS_setresgid, 0, 0, 0) != 0) fail(report, -1, errno);
        if (syscall(SYS_setresuid, 0, 0, 0) != 0) fail(report, -1, errno);
    }
    // Set after the credential change (which clears it); the parent keeps `go` open until the
    // exec, so an end of file now means it died before the signal was armed.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(report, -1, errno);
    if (fcntl(go, F_SETFL, O_NONBLOCK) == 0 && read(go, &byte, 1) == 0) _exit(137);

    int log = fcntl(spec->log_fd, F_DUPFD_CLOEXEC, 3);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log < 0 || null < 0) fail(report, -1, errno);
    if (dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0) fail(report, -1, errno);
    close_others(go, report);

    for (int i = 0; i < spec->step_count; i++) {
        const struct csandbox_step *s = &spec->steps[i];
        int rc = run_step(s);
        if (rc == 0) i += s->skip_on_success;
        else if (!s->optional) fail(report, i, rc);
    }

    if (spec->limit_caps) {
        for (int cap = 0; cap < 64; cap++) {
            if (spec->keep_caps & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break; // past the kernel's last capability
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) fail(report, -1, errno);
        }
        struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2];
        if (syscall(SYS_capget, &header, data) != 0) fail(report, -1, errno);
        data[0].inheritable = data[1].inheritable = 0;
        if (syscall(SYS_capset, &header, data) != 0) fail(report, -1, errno);
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    }
    if (spec->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(report, -1, errno);

    if (spec->clone_flags & CLONE_NEWPID) {
        // PID 1 of the pod: the command is its child, so that orphans are reaped and signals from
        // the host reach the command with their default effect (PID 1 ignores them).
        pid_t command = vfork();
        if (command == 0) fail(report, spec->step_count, exec_command(spec));
        if (command < 0) fail(report, -1, errno);
        close(report);
        close(go);
        for (;;) {
            int status;
            pid_t p = waitpid(-1, &status, 0);
            if (p == command) _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            if (p < 0 && errno != EINTR) _exit(127);
        }
    }
    fail(report, spec->step_count, exec_command(spec));
}

// MARK: The parent

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = write_all(fd, text);
    close(fd);
    return rc;
}

static int write_maps(pid_t child, const struct csandbox_spec *spec) {
    char path[64], line[64];
    long long uid = spec->map_uid < 0 ? (long long)geteuid() : spec->map_uid;
    long long gid = spec->map_gid < 0 ? (long long)getegid() : spec->map_gid;
    int rc;
    if (!spec->clear_groups) {
        snprintf(path, sizeof path, "/proc/%d/setgroups", (int)child);
        if ((rc = write_file(path, "deny")) != 0) return rc;
    }
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)child);
    snprintf(line, sizeof line, "0 %lld 1\n", uid);
    if ((rc = write_file(path, line)) != 0) return rc;
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)child);
    snprintf(line, sizeof line, "0 %lld 1\n", gid);
    return write_file(path, line);
}

int csandbox_begin(const struct csandbox_spec *spec, struct csandbox_starting *starting) {
    int go[2], report[2];
    if (pipe2(go, O_CLOEXEC) != 0) return errno;
    if (pipe2(report, O_CLOEXEC) != 0) {
        int error = errno;
        close(go[0]);
        close(go[1]);
        return error;
    }
    int fd = -1;
    struct cs_clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = (uint64_t)(unsigned)spec->clone_flags | CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)&fd;
    args.exit_signal = SIGCHLD;
    long child = syscall(SYS_clone3, &args, sizeof args);
    if (child < 0 && errno == ENOSYS) {
        // Kernels before 5.3 (or filters that hide clone3): clone writes the pidfd to parent_tid.
        child = syscall(SYS_clone, (unsigned long)(unsigned)spec->clone_flags | CLONE_PIDFD | SIGCHLD, 0UL, &fd, 0UL, 0UL);
    }
    if (child == 0) {
        close(go[1]);
        close(report[0]);
        run_child(spec, go[0], report[1]);
        _exit(127);
    }
    int error = errno;
    close(go[0]);
    close(report[1]);
    if (child < 0) {
        close(go[1]);
        close(report[0]);
        return error;
    }
    if (fd >= 0) close(fd); // the launcher reaps with waitpid
    int rc = 0;
    if (spec->clone_flags & CLONE_NEWUSER) rc = write_maps((pid_t)child, spec);
    if (rc == 0 && spec->cgroup_procs != NULL) {
        char line[32];
        snprintf(line, sizeof line, "%ld\n", child);
        rc = write_file(spec->cgroup_procs, line);
    }
    if (rc == 0 && write(go[1], "g", 1) != 1) rc = errno;
    starting->pid = (pid_t)child;
    if (rc != 0) {
        kill((pid_t)child, SIGKILL);
        close(go[1]);
        close(report[0]);
        starting->go = starting->report = -1;
        starting->failure = (struct csandbox_failure){-2, rc};
        return -1;
    }
    fcntl(report[0], F_SETFL, O_NONBLOCK);
    starting->go = go[1];
    starting->report = report[0];
    return 0;
}

int csandbox_finish(struct csandbox_starting *starting) {
    struct csandbox_failure result = {-1, 0};
    ssize_t n;
    do n = read(starting->report, &result, sizeof result); while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) return 1;
    close(starting->go);
    close(starting->report);
    starting->go = starting->report = -1;
    if (n == 0) return 0; // the exec closed the pipe: started
    if (n != (ssize_t)sizeof result) result = (struct csandbox_failure){-1, n < 0 ? errno : EIO};
    kill(starting->pid, SIGKILL);
    starting->failure = result;
    return -1;
}

#else

int csandbox_begin(const struct csandbox_spec *spec, struct csandbox_starting *starting) { return ENOSYS; }
int csandbox_finish(struct csandbox_starting *starting) { return -1; }

#endif
