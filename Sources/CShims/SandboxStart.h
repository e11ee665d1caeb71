#ifndef CSANDBOX_START_H
#define CSANDBOX_START_H

#include "CSandbox.h"

/// A child between its clone and its exec (the launcher's side of `csandbox_begin`).
struct csandbox_starting {
    pid_t pid;
    /// Held open until the exec, so that the child can tell the launcher's death (see run_child).
    int go;
    /// Readable when the child has exec'd (end of file) or failed (a `csandbox_failure`).
    int report;
    struct csandbox_failure failure;
};

/// Clones the child into `spec`'s namespaces, writes its id maps, joins it to its cgroup and lets
/// it run its setup: 0, and `starting` to finish once `starting->report` is readable; -1 when the
/// child was created but could not be prepared (`starting->failure`; it was sent SIGKILL and is
/// to be reaped); or an errno value when no child was created. The child, cloned without sharing
/// memory, runs only system calls: no allocation, no locks, no glibc credential wrappers.
int csandbox_begin(const struct csandbox_spec *spec, struct csandbox_starting *starting);

/// After `starting->report` turned readable: 0 when the child has exec'd its command; -1 when it
/// failed (`starting->failure`; sent SIGKILL, to be reaped); 1 when not decided yet. Closes the
/// pipes once decided.
int csandbox_finish(struct csandbox_starting *starting);

#endif
