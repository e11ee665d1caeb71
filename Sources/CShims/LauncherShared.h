#ifndef LAUNCHER_SHARED_H
#define LAUNCHER_SHARED_H

#include "CSandbox.h"

#include <stddef.h>
#include <stdint.h>

/// What the launcher's two files share: its messages (`Launcher.c`) and its pod networks
/// (`LauncherNetworks.c`).

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
