#define _GNU_SOURCE
#include "CNet.h"
#include "LauncherShared.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// MARK: The simulator's side

int csandbox_launcher_net_create(int fd, unsigned id, int lower, unsigned address, int prefix) {
    struct wire_net w;
    memset(&w, 0, sizeof w);
    w.kind = CSANDBOX_REQUEST_NET_CREATE;
    w.id = id;
    w.lower = lower;
    w.prefix = prefix;
    w.address = address;
    return launcher_send(fd, &w, sizeof w, -1);
}

int csandbox_launcher_net_delete(int fd, unsigned id) {
    struct wire_net w;
    memset(&w, 0, sizeof w);
    w.kind = CSANDBOX_REQUEST_NET_DELETE;
    w.id = id;
    return launcher_send(fd, &w, sizeof w, -1);
}

// MARK: The launcher's side


/// A pod network: the descriptor that keeps its namespace.
struct net_entry {
    unsigned id;
    int netns;
};

static struct net_entry *nets;
static size_t net_count, net_capacity;
/// This process's own network namespace and a route socket in it, opened at the first network.
static int host_ns = -1, host_nl = -1;

static struct net_entry *find_net(unsigned id) {
    for (size_t i = 0; i < net_count; i++) {
        if (nets[i].id == id) return &nets[i];
    }
    return NULL;
}

void launcher_net_create(int fd, const struct wire_net *w) {
    struct csandbox_failure failure = {CNET_STAGE_NAMESPACE, 0};
    if (host_ns < 0) host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (host_ns >= 0 && host_nl < 0) {
        host_nl = cnet_open();
        if (host_nl < 0) failure.error = -host_nl;
    }
    if (host_ns < 0) failure.error = errno;
    if (failure.error == 0 && find_net(w->id) != NULL) failure.error = EEXIST;
    if (failure.error == 0 && net_count == net_capacity) {
        size_t capacity = net_capacity ? net_capacity * 2 : 64;
        struct net_entry *grown = realloc(nets, capacity * sizeof *nets);
        if (grown == NULL) failure.error = ENOMEM;
        else {
            nets = grown;
            net_capacity = capacity;
        }
    }
    if (failure.error != 0) {
        launcher_reply(fd, CSANDBOX_REPLY_NET_FAILED, w->id, 0, 0, failure);
        return;
    }
    struct cnet_pod pod = {w->lower, w->address, w->prefix};
    struct net_entry entry = {w->id, -1};
    int stage = 0, eth0 = 0;
    int rc = cnet_pod_create(host_nl, host_ns, &pod, &entry.netns, &eth0, &stage);
    if (rc != 0) {
        launcher_reply(fd, CSANDBOX_REPLY_NET_FAILED, w->id, 0, 0, (struct csandbox_failure){stage, rc});
        return;
    }
    nets[net_count++] = entry;
    launcher_reply(fd, CSANDBOX_REPLY_NET_READY, w->id, 0, 0, (struct csandbox_failure){0, 0});
}

/// Lets the namespace go: the kernel destroys it (and eth0 with it) once its processes have
/// ended, in batches. Deleting devices one by one instead costs ~35 ms of RCU waits per pod.
void launcher_net_delete(unsigned id) {
    struct net_entry *n = find_net(id);
    if (n == NULL) return;
    close(n->netns);
    *n = nets[--net_count];
}

int launcher_net_enter(unsigned id) {
    struct net_entry *net = find_net(id);
    if (net == NULL) return ENONET;
    return setns(net->netns, CLONE_NEWNET) == 0 ? 0 : errno;
}

int launcher_net_leave(void) { return setns(host_ns, CLONE_NEWNET) == 0 ? 0 : errno; }

#else

int csandbox_launcher_net_create(int fd, unsigned id, int lower, unsigned address, int prefix) { return ENOSYS; }
int csandbox_launcher_net_delete(int fd, unsigned id) { return ENOSYS; }

#endif
