#ifndef LAUNCHER_SHARED_H
#define LAUNCHER_SHARED_H

#include "CSandbox.h"

#include <stddef.h>
#include <stdint.h>

/// What the launcher's files share: its process (`Launcher.c`), its message codec
/// (`LauncherWire.c`) and its pod networks (`LauncherNetworks.c`).

/// A request on the wire: this header, `steps` wire steps, then the strings (each a presence
/// byte and, when present, its bytes and a NUL): path, cgroup, argv, envp, and per step a, b,
/// fstype, data. A start carries the log descriptor as SCM_RIGHTS.
struct wire_header {
    uint32_t kind, id;
    int32_t signal;
    uint32_t argc, envc, steps;
    int32_t clone_flags, clear_groups, limit_caps, no_new_privs;
    int64_t map_uid, map_gid;
    uint64_t keep_caps;
    uint32_t net, pad;
};

struct wire_step {
    int32_t op, optional, skip, pad;
    uint64_t flags;
};

/// A start request decoded: the spec and everything it points into. Children share the
/// launcher's memory, so this lives until the child is reaped (`launcher_free_request`).
struct request {
    struct csandbox_spec spec;
    char *buffer;
    char **argv, **envp;
    struct csandbox_step *steps;
};

/// Decodes a start request (`length` bytes, the log descriptor that came with it); NULL when it
/// is malformed or memory is short.
struct request *launcher_decode(const char *message, size_t length, int log_fd);

/// Releases a decoded request (NULL is fine).
void launcher_free_request(struct request *r);

/// A pod network request (`CSANDBOX_REQUEST_NET_CREATE`, `_DELETE`).
struct wire_net {
    uint32_t kind, id;
    int32_t lower, prefix;
    uint32_t address, pad;
};

/// Sends one message (and `pass_fd`, when not -1, as SCM_RIGHTS): 0 or an errno value.
int launcher_send(int fd, const void *data, size_t length, int pass_fd);

/// The launcher's reply to the simulator; a simulator that has gone ends the launcher and its pods.
void launcher_reply(int fd, int kind, unsigned id, int pid, int code, struct csandbox_failure failure);

void launcher_net_create(int fd, const struct wire_net *w);
void launcher_net_delete(unsigned id);

/// Enters pod network `id`'s namespace (for a clone): 0, or an errno value (ENONET: no such network).
int launcher_net_enter(unsigned id);

/// Back in the launcher's own network namespace: 0 or an errno value.
int launcher_net_leave(void);

#endif
