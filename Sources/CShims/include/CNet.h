#ifndef CNET_H
#define CNET_H

#include <stdint.h>

/// Pod networking with rtnetlink (the simulator's bridge, each pod's network namespace and veth
/// pair). Addresses are IPv4 in host byte order. Every call returns 0 or an errno value unless
/// it says otherwise.

/// A route netlink socket in the caller's current network namespace: a descriptor, or -errno.
int cnet_open(void);

/// Creates the bridge `name` (up, with `address/prefix` and the interface alias `alias`) and sets
/// `*ifindex`. EEXIST when a link of that name exists.
int cnet_bridge_create(int nl, const char *name, uint32_t address, int prefix, const char *alias, int *ifindex);

/// Deletes link `ifindex` (a veth takes its peer with it).
int cnet_link_delete(int nl, int ifindex);

/// What `cnet_pod_create` builds.
struct cnet_pod {
    /// The bridge the pod's host-side veth joins.
    int bridge;
    /// The host-side veth's name (at most 15 bytes).
    const char *host_name;
    uint32_t address;
    int prefix;
};

/// The stages of `cnet_pod_create`, for its error report.
enum cnet_stage {
    CNET_STAGE_NAMESPACE = 1,
    CNET_STAGE_SYSCTL = 2,
    CNET_STAGE_LOOPBACK = 3,
    CNET_STAGE_VETH = 4,
    CNET_STAGE_ADDRESS = 5,
    CNET_STAGE_RETURN = 6,
};

/// Creates a pod's network namespace (loopback up, unprivileged ports from 0, ICMP sockets for
/// every group, no IPv6) with `eth0` holding `pod->address/prefix`, the peer of `pod->host_name`
/// on the bridge; the caller's thread is back in `host_ns` (a descriptor of its own network
/// namespace) on return. Sets `*netns` (a descriptor that keeps the namespace) and `*host_index`;
/// on failure `*stage` says where, and nothing is left. Not for threads that share their
/// network namespace with others on purpose: it switches the calling thread's.
int cnet_pod_create(int host_nl, int host_ns, const struct cnet_pod *pod, int *netns, int *host_index, int *stage);

#endif
