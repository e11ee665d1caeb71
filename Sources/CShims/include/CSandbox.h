#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <sys/types.h>

/// What one step of a sandbox's setup does (see `SandboxPlan`). Paths are absolute: before a
/// `CSANDBOX_CHROOT` step they name the host's file system (as the new mount namespace sees it),
/// after it the pod's.
enum csandbox_op {
    /// `mkdir -p a` (mode 0755).
    CSANDBOX_MKDIR = 1,
    /// `mount(b, a, fstype, flags, data)`: `a` the target, `b` the source (may be NULL).
    CSANDBOX_MOUNT = 2,
    /// `symlink(b, a)`: a link at `a` to `b`.
    CSANDBOX_SYMLINK = 3,
    /// Creates the regular file `a` (mode 0644) if it does not exist.
    CSANDBOX_TOUCH = 4,
    /// `chroot(a)`, then `chdir("/")`.
    CSANDBOX_CHROOT = 5,
    /// `umount2(a, MNT_DETACH)`.
    CSANDBOX_UMOUNT = 6,
    /// `rmdir(a)`.
    CSANDBOX_RMDIR = 7,
    /// `chdir(a)`.
    CSANDBOX_CHDIR = 8,
    /// `sethostname(a)`.
    CSANDBOX_HOSTNAME = 9,
    /// Brings the loopback interface up.
    CSANDBOX_LOOPBACK = 10,
    /// Writes `b` to the existing file `a`.
    CSANDBOX_WRITE = 11,
};

/// How a container's process starts (see `SandboxPlan`): the launcher clones it with
/// `clone_flags`, writes its id maps; the child (leader of a new
/// process group, with default signal dispositions, an empty signal mask, stdin from /dev/null,
/// stdout and stderr to `log_fd`, no other inherited descriptor) takes on root in its user
/// namespace, runs `steps`, limits its capabilities, sets the parent-death signal to SIGKILL and
/// execs. A failure of any step is reported to the simulator, not logged.

/// The namespaces a sandbox can get (the kernel's `CLONE_NEW*` values).
enum csandbox_namespace {
    CSANDBOX_NEWNS = 0x00020000,
    CSANDBOX_NEWUTS = 0x04000000,
    CSANDBOX_NEWIPC = 0x08000000,
    CSANDBOX_NEWUSER = 0x10000000,
    CSANDBOX_NEWPID = 0x20000000,
    CSANDBOX_NEWNET = 0x40000000,
};

struct csandbox_step {
    int op;
    const char *a;
    const char *b;
    const char *fstype;
    const char *data;
    unsigned long flags;
    /// A failure of this step is ignored.
    int optional;
    /// How many of the following steps are skipped when this one succeeds (a fallback's steps).
    int skip_on_success;
};

struct csandbox_spec {
    /// NULL-terminated; `argv[0]` is the program, looked up in `path` (colon-separated, the pod's
    /// `PATH`) when it has no slash, as execvp does.
    char *const *argv;
    char *const *envp;
    const char *path;
    /// Receives stdout and stderr; stdin is /dev/null.
    int log_fd;
    /// `csandbox_namespace` flags. With `CLONE_NEWPID` a small init is PID 1 and the command PID 2: it
    /// reaps orphans and exits with the command's status, which ends every process of the pod.
    int clone_flags;
    /// With `CLONE_NEWUSER`: the host uid and gid that root in the namespace maps to (one id
    /// each); -1 for this process's effective ids.
    long long map_uid;
    long long map_gid;
    /// With `CLONE_NEWUSER`, as root: the pod's supplementary groups are cleared (the maps are
    /// written by a privileged parent, so setgroups stays allowed); otherwise setgroups is denied.
    int clear_groups;
    /// `cgroup.procs` of a group the command joins right before its exec (not its init), or NULL.
    const char *cgroup_procs;
    const struct csandbox_step *steps;
    int step_count;
    /// When non-zero, every capability outside `keep_caps` (bit n = capability n) is dropped from
    /// the bounding set, and the inheritable and ambient sets are cleared.
    int limit_caps;
    unsigned long long keep_caps;
    /// Sets `no_new_privs` before the command starts.
    int no_new_privs;
    /// Launcher only: a pod network (`csandbox_launcher_net_create`) the child is cloned into
    /// (then `clone_flags` has no `CLONE_NEWNET`); 0 for none.
    unsigned net_id;
};

/// Where a start failed: `step` is the index of the failing step, -1 for the child's own setup
/// (credentials, descriptors), `step_count` for the command's exec, -2 for the launcher's side;
/// `error` an errno value.
struct csandbox_failure {
    int step;
    int error;
};

// MARK: The launcher

/// Sandboxes are created by a launcher: this same executable, started once with
/// `ARMADA_SIM_LAUNCHER_FD` set, which a constructor catches before the program's own start. Its
/// address space is small, so creating a pod's process there costs a fraction of a fork of the
/// simulator (whose page tables grow with its heap). The launcher starts children on request,
/// reaps them, reports their exits, and signals their process groups only while they are not
/// reaped (a reaped pid may be reused). It gets SIGKILL when its parent thread ends, and its pods
/// get SIGKILL when it ends.

/// A request to the launcher (`csandbox_launcher_send`).
enum csandbox_request_kind {
    CSANDBOX_REQUEST_START = 1,
    /// `signal` to the process group of child `id`, if it has not been reaped.
    CSANDBOX_REQUEST_SIGNAL = 2,
    /// Creates pod network `id` (see `cnet_pod_create`), which starts can join.
    CSANDBOX_REQUEST_NET_CREATE = 3,
    /// Lets pod network `id` go: the kernel destroys its namespace and eth0 once the namespace's
    /// last process has ended.
    CSANDBOX_REQUEST_NET_DELETE = 4,
};

/// What the launcher reports (`csandbox_launcher_receive`).
enum csandbox_reply_kind {
    /// Child `id` started as `pid`.
    CSANDBOX_REPLY_STARTED = 1,
    /// Child `id` did not start: `failure`, or `error` for the start itself (`failure.step` -2).
    CSANDBOX_REPLY_FAILED = 2,
    /// Child `id` exited with `code` (128 + signal when a signal ended it).
    CSANDBOX_REPLY_EXITED = 3,
    /// Pod network `id` is ready.
    CSANDBOX_REPLY_NET_READY = 4,
    /// Pod network `id` could not be created: `failure.step` is the `cnet_stage`, `failure.error`
    /// the errno value.
    CSANDBOX_REPLY_NET_FAILED = 5,
};

struct csandbox_reply {
    int kind;
    unsigned id;
    int pid;
    int code;
    struct csandbox_failure failure;
};

/// Starts the launcher; returns 0 and sets `*pid` and `*fd` (the simulator's end of its socket,
/// close-on-exec), or an errno value.
int csandbox_launcher_spawn(pid_t *pid, int *fd);

/// Asks the launcher to start `spec` as child `id` (its `log_fd` is passed along); 0 or an errno value.
int csandbox_launcher_start(int fd, unsigned id, const struct csandbox_spec *spec);

/// Asks the launcher to send `signal` to child `id`'s process group; 0 or an errno value.
int csandbox_launcher_signal(int fd, unsigned id, int signal);

/// Waits for the launcher's next reply: 1 when `*reply` is set, 0 when the launcher has gone,
/// -1 with errno on another error.
int csandbox_launcher_receive(int fd, struct csandbox_reply *reply);

/// Asks for pod network `id` (see `cnet_pod_create`): `eth0` on lower device `lower` (an interface
/// index) holding `address/prefix` (host byte order). 0 or an errno value.
int csandbox_launcher_net_create(int fd, unsigned id, int lower, unsigned address, int prefix);

/// Deletes pod network `id`. 0 or an errno value.
int csandbox_launcher_net_delete(int fd, unsigned id);

#endif
