#ifndef CNET_H
#define CNET_H

#include <stdint.h>

/// Pod networking with rtnetlink: the simulator's network (a lower device, a veth pair whose ends
/// are both on the host, and the host's macvlan on it holding the first address) and each pod's
/// network namespace, whose `eth0` is a macvlan of that lower device in bridge mode (pods and the
/// host reach each other through it; nothing is routed further). Addresses are IPv4 in host
/// byte order. Every call returns 0 or an errno value unless it says otherwise.

/// A route netlink socket in the caller's current network namespace: a descriptor, or -errno.
int cnet_open(void);

/// Creates a network: the veth pair `name`/`<name>p` (the lower device, `*ifindex`, carrying the
/// interface alias `alias`) and the macvlan `<name>g` holding `address/prefix`; `name` has at most
/// 13 bytes. EEXIST when a link of that name exists. Deleting `name` deletes all of it, pods'
/// `eth0`s included.
int cnet_network_create(int nl, const char *name, uint32_t address, int prefix, const char *alias, int *ifindex);

/// Deletes link `ifindex` (a veth takes its peer and the macvlans on it with it).
int cnet_link_delete(int nl, int ifindex);

/// What `cnet_pod_create` builds.
struct cnet_pod {
    /// The network's lower device (`cnet_network_create`'s `ifindex`).
    int lower;
    uint32_t address;
    int prefix;
};

/// The stages of `cnet_pod_create`, for its error report.
enum cnet_stage {
    CNET_STAGE_NAMESPACE = 1,
    CNET_STAGE_SYSCTL = 2,
    CNET_STAGE_LOOPBACK = 3,
    CNET_STAGE_LINK = 4,
    CNET_STAGE_ADDRESS = 5,
    CNET_STAGE_RETURN = 6,
};

/// Creates a pod's network namespace (loopback up, unprivileged ports from 0, ICMP sockets for
/// every group, no IPv6 on eth0) with `eth0` holding `pod->address/prefix`; the caller's thread
/// is back in `host_ns` (a descriptor of its own network namespace) on return. Sets `*netns` (a
/// descriptor that keeps the namespace; closing it lets the namespace and eth0 go once the pod's
/// processes have ended) and `*eth0_index`;
/// on failure `*stage` says where, and nothing is left. Not for threads that share their
/// network namespace with others on purpose: it switches the calling thread's.
int cnet_pod_create(int host_nl, int host_ns, const struct cnet_pod *pod, int *netns, int *eth0_index, int *stage);

#endif
