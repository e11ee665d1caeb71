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
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

// MARK: The child
//
// The child shares the launcher's memory (CLONE_VM: no page tables to copy, none to tear down at
// its exec) and runs on a stack of its own while the launcher goes on. So it makes system calls
// directly, never through glibc's wrappers: those write `errno`, which lives in the launcher's
// thread storage. It reads its spec (kept alive by the launcher until the exec) and writes only
// its own stack.

/// A system call without errno: the result, or -errno.
static inline long sys6(long n, long a, long b, long c, long d, long e, long f) {
#if defined(__x86_64__)
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
    return ret;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
#else
#error "the sandbox's child needs raw system calls for this architecture"
#endif
}

#define SYS0(n) sys6((n), 0, 0, 0, 0, 0, 0)
#define SYS1(n, a) sys6((n), (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) sys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c) sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(n, a, b, c, d) sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS5(n, a, b, c, d, e) sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/// 0 when a raw call succeeded, else its errno value.
static inline int err(long rc) { return rc < 0 ? (int)-rc : 0; }

static void child_exit(int code) {
    for (;;) SYS1(SYS_exit_group, code);
}

/// Reports where the start failed to the launcher and ends the child.
static void fail(int report, int step, int error) {
    struct csandbox_failure failure = {step, error};
    SYS3(SYS_write, report, &failure, sizeof failure);
    child_exit(127);
}

/// `mkdir -p`: the directory first, its parents only when missing (one call in the common case).
static int mkdir_p(const char *path) {
    long rc = SYS3(SYS_mkdirat, AT_FDCWD, path, 0755);
    if (rc == 0 || rc == -EEXIST) return 0;
    if (rc != -ENOENT) return (int)-rc;
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        rc = SYS3(SYS_mkdirat, AT_FDCWD, buf, 0755);
        if (rc != 0 && rc != -EEXIST) return (int)-rc;
        *p = '/';
    }
    rc = SYS3(SYS_mkdirat, AT_FDCWD, buf, 0755);
    return rc == 0 || rc == -EEXIST ? 0 : (int)-rc;
}

static int loopback_up(void) {
    long s = SYS3(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return (int)-s;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    long rc = SYS3(SYS_ioctl, s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = SYS3(SYS_ioctl, s, SIOCSIFFLAGS, &ifr);
    }
    SYS1(SYS_close, s);
    return err(rc);
}

static int write_text(int fd, const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        long n = SYS3(SYS_write, fd, text, left);
        if (n == -EINTR) continue;
        if (n <= 0) return n < 0 ? (int)-n : EIO;
        text += n;
        left -= (size_t)n;
    }
    return 0;
}

static int run_step(const struct csandbox_step *s) {
    long fd;
    int rc;
    switch (s->op) {
    case CSANDBOX_MKDIR: return mkdir_p(s->a);
    case CSANDBOX_MOUNT: return err(SYS5(SYS_mount, s->b, s->a, s->fstype, s->flags, s->data));
    case CSANDBOX_SYMLINK: return err(SYS3(SYS_symlinkat, s->b, AT_FDCWD, s->a));
    case CSANDBOX_TOUCH:
        // Non-blocking: a FIFO at the path must not hold the start (it fails instead).
        fd = SYS4(SYS_openat, AT_FDCWD, s->a, O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0644);
        if (fd < 0) return (int)-fd;
        SYS1(SYS_close, fd);
        return 0;
    case CSANDBOX_CHROOT:
        if ((rc = err(SYS1(SYS_chroot, s->a))) != 0) return rc;
        return err(SYS1(SYS_chdir, "/"));
    case CSANDBOX_UMOUNT: return err(SYS2(SYS_umount2, s->a, MNT_DETACH));
    case CSANDBOX_RMDIR: return err(SYS3(SYS_unlinkat, AT_FDCWD, s->a, AT_REMOVEDIR));
    case CSANDBOX_CHDIR: return err(SYS1(SYS_chdir, s->a));
    case CSANDBOX_HOSTNAME: return err(SYS2(SYS_sethostname, s->a, strlen(s->a)));
    case CSANDBOX_LOOPBACK: return loopback_up();
    case CSANDBOX_WRITE:
        fd = SYS3(SYS_openat, AT_FDCWD, s->a, O_WRONLY | O_CLOEXEC);
        if (fd < 0) return (int)-fd;
        rc = write_text((int)fd, s->b);
        SYS1(SYS_close, fd);
        return rc;
    default: return EINVAL;
    }
}

/// execve of argv[0], searched in `path` as execvp does; returns the error when every try failed.
static int exec_command(const struct csandbox_spec *spec) {
    const char *program = spec->argv[0];
    if (program == NULL || *program == 0) return ENOENT;
    if (strchr(program, '/') != NULL || spec->path == NULL) return err(SYS3(SYS_execve, program, spec->argv, spec->envp));
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
            int rc = err(SYS3(SYS_execve, buf, spec->argv, spec->envp));
            if (rc == EACCES) error = EACCES;
            else if (rc != ENOENT && rc != ENOTDIR) return rc;
        }
        if (*end == 0) break;
        p = end + 1;
    }
    return error;
}

/// Closes every descriptor from 3 up but those in `keep` (-1 entries are ignored).
static void close_others(int keep[3]) {
    for (int i = 0; i < 3; i++) {
        for (int j = i + 1; j < 3; j++) {
            if (keep[j] < keep[i]) {
                int t = keep[i];
                keep[i] = keep[j];
                keep[j] = t;
            }
        }
    }
    unsigned from = 3;
    for (int i = 0; i < 3; i++) {
        if (keep[i] < (int)from) continue;
        if ((unsigned)keep[i] > from) SYS3(SYS_close_range, from, (unsigned)keep[i] - 1, 0U);
        from = (unsigned)keep[i] + 1;
    }
    SYS3(SYS_close_range, from, ~0U, 0U);
}

/// What the child gets from `csandbox_begin`.
struct child_args {
    const struct csandbox_spec *spec;
    int go, report;
    /// The memory group's `cgroup.procs`, opened by the launcher (the kernel checks the opener's
    /// credentials), or -1. Only the command joins it: the init shares the launcher's memory, and
    /// an OOM kill of the init would take every process sharing it.
    int cgroup;
};

/// The command's last steps: it joins its memory group, then execs; returns only on failure.
static void start_command(const struct child_args *args) {
    if (args->cgroup >= 0) {
        int rc = write_text(args->cgroup, "0");
        if (rc != 0) fail(args->report, -1, rc);
    }
    fail(args->report, args->spec->step_count, exec_command(args->spec));
}

static int run_child(void *argument) {
    const struct child_args *args = argument;
    const struct csandbox_spec *spec = args->spec;
    int go = args->go, report = args->report;
    SYS2(SYS_setpgid, 0, 0);
    // The launcher's dispositions are the defaults (it was started so); its mask holds SIGCHLD.
    uint64_t empty = 0;
    SYS4(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, sizeof empty);

    // The launcher writes the id maps, then says go.
    char byte;
    long n;
    do n = SYS3(SYS_read, go, &byte, 1); while (n == -EINTR);
    if (n != 1) child_exit(127);
    if (spec->clone_flags & CLONE_NEWUSER) {
        if (spec->clear_groups && SYS2(SYS_setgroups, 0, NULL) != 0) fail(report, -1, EPERM);
        long rc = SYS3(SYS_setresgid, 0, 0, 0);
        if (rc == 0) rc = SYS3(SYS_setresuid, 0, 0, 0);
        if (rc != 0) fail(report, -1, (int)-rc);
    }
    // Set after the credential change (which clears it); the launcher keeps `go` open until the
    // exec, so an end of file now means it died before the signal was armed.
    if (SYS2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL) != 0) fail(report, -1, EINVAL);
    if (SYS3(SYS_fcntl, go, F_SETFL, O_NONBLOCK) == 0 && SYS3(SYS_read, go, &byte, 1) == 0) child_exit(137);

    long log = SYS3(SYS_fcntl, spec->log_fd, F_DUPFD_CLOEXEC, 3);
    long null = SYS4(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
    if (log < 0 || null < 0) fail(report, -1, (int)-(log < 0 ? log : null));
    if (SYS3(SYS_dup3, null, 0, 0) < 0 || SYS3(SYS_dup3, log, 1, 0) < 0 || SYS3(SYS_dup3, log, 2, 0) < 0) fail(report, -1, EBADF);
    int keep[3] = {go, report, args->cgroup};
    close_others(keep);

    for (int i = 0; i < spec->step_count; i++) {
        const struct csandbox_step *s = &spec->steps[i];
        int rc = run_step(s);
        if (rc == 0) i += s->skip_on_success;
        else if (!s->optional) fail(report, i, rc);
    }

    if (spec->limit_caps) {
        for (int cap = 0; cap < 64; cap++) {
            if (spec->keep_caps & (1ULL << cap)) continue;
            if (SYS2(SYS_prctl, PR_CAPBSET_READ, cap) < 0) break; // past the kernel's last capability
            long rc = SYS2(SYS_prctl, PR_CAPBSET_DROP, cap);
            if (rc != 0) fail(report, -1, (int)-rc);
        }
        struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2];
        long rc = SYS2(SYS_capget, &header, data);
        data[0].inheritable = data[1].inheritable = 0;
        if (rc == 0) rc = SYS2(SYS_capset, &header, data);
        if (rc != 0) fail(report, -1, (int)-rc);
        SYS2(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
    }
    if (spec->no_new_privs) {
        long rc = SYS2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1);
        if (rc != 0) fail(report, -1, (int)-rc);
    }

    if (spec->clone_flags & CLONE_NEWPID) {
        // PID 1 of the pod: the command is its child, so that orphans are reaped and signals from
        // the host reach the command with their default effect (PID 1 ignores them).
        pid_t command = vfork();
        if (command == 0) start_command(args);
        if (command < 0) fail(report, -1, EAGAIN);
        SYS1(SYS_close, report);
        SYS1(SYS_close, go);
        if (args->cgroup >= 0) SYS1(SYS_close, args->cgroup);
        for (;;) {
            int status = 0;
            long p = SYS4(SYS_wait4, -1, &status, 0, NULL);
            if (p == command) child_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            if (p < 0 && p != -EINTR) child_exit(127);
        }
    }
    start_command(args);
    return 127;
}

// MARK: The parent

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
    memset(starting, 0, sizeof *starting);
    starting->go = starting->report = -1;
    int go[2] = {-1, -1}, report[2] = {-1, -1}, error = 0;
    // The child's stack and arguments live until it is reaped and until its exec (csandbox_end).
    size_t stack_size = 256 << 10;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    struct child_args *args = calloc(1, sizeof *args);
    if (args != NULL) args->cgroup = -1;
    if (stack == MAP_FAILED || args == NULL) {
        error = ENOMEM;
        goto failed;
    }
    if (pipe2(go, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0) {
        error = errno;
        goto failed;
    }
    args->spec = spec;
    args->go = go[0];
    args->report = report[1];
    args->cgroup = spec->cgroup_procs == NULL ? -1 : open(spec->cgroup_procs, O_WRONLY | O_CLOEXEC);
    if (spec->cgroup_procs != NULL && args->cgroup < 0) {
        error = errno;
        goto failed;
    }
    int fd = -1;
    int flags = spec->clone_flags | CLONE_VM | CLONE_PIDFD | SIGCHLD;
    int child = clone(run_child, (char *)stack + stack_size, flags, args, &fd);
    error = errno;
    // The child has its copy of the descriptor; `args` is shared with it, so it is left as it is.
    if (args->cgroup >= 0) close(args->cgroup);
    if (child < 0) {
        args->cgroup = -1; // closed above; no child reads it
        goto failed;
    }
    close(go[0]);
    close(report[1]);
    if (fd >= 0) close(fd); // the launcher reaps with waitpid
    starting->pid = child;
    starting->stack = stack;
    starting->stack_size = stack_size;
    starting->args = args;
    int rc = 0;
    if (spec->clone_flags & CLONE_NEWUSER) rc = write_maps(child, spec);
    if (rc == 0 && write(go[1], "g", 1) != 1) rc = errno;
    if (rc != 0) {
        kill(child, SIGKILL);
        close(go[1]);
        close(report[0]);
        starting->failure = (struct csandbox_failure){-2, rc};
        return -1;
    }
    fcntl(report[0], F_SETFL, O_NONBLOCK);
    starting->go = go[1];
    starting->report = report[0];
    return 0;

failed:
    // Nothing was started: everything made so far goes.
    if (stack != MAP_FAILED) munmap(stack, stack_size);
    if (args != NULL && args->cgroup >= 0) close(args->cgroup);
    free(args);
    for (int i = 0; i < 2; i++) {
        if (go[i] >= 0) close(go[i]);
        if (report[i] >= 0) close(report[i]);
    }
    return error ? error : EIO;
}

void csandbox_end(struct csandbox_starting *starting) {
    free(starting->args);
    starting->args = NULL;
    if (starting->stack != NULL) munmap(starting->stack, starting->stack_size);
    starting->stack = NULL;
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
void csandbox_end(struct csandbox_starting *starting) {}

#endif
