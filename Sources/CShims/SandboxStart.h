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
    /// The child's stack (it shares the launcher's memory) and its arguments.
    void *stack;
    size_t stack_size;
    void *args;
};

/// Clones the child into `spec`'s namespaces, writes its id maps, joins it to its cgroup and lets
/// it run its setup: 0, and `starting` to finish once `starting->report` is readable; -1 when the
/// child was created but could not be prepared (`starting->failure`; it was sent SIGKILL and is
/// to be reaped); or an errno value when no child was created. The child shares the launcher's
/// memory (CLONE_VM) and makes raw system calls only; `spec` must stay valid until
/// `csandbox_finish` has decided.
int csandbox_begin(const struct csandbox_spec *spec, struct csandbox_starting *starting);

/// Releases the child's stack and arguments: once it has been reaped (its init runs on that stack
/// for the pod's life), and never before its exec or failure (`csandbox_finish` deciding).
void csandbox_end(struct csandbox_starting *starting);

/// After `starting->report` turned readable: 0 when the child has exec'd its command; -1 when it
/// failed (`starting->failure`; sent SIGKILL, to be reaped); 1 when not decided yet. Closes the
/// pipes once decided.
int csandbox_finish(struct csandbox_starting *starting);

#endif
