#define _GNU_SOURCE
#include "CNet.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// MARK: Messages

/// One rtnetlink request being built: a header, a fixed part and attributes.
struct message {
    union {
        struct nlmsghdr header;
        char bytes[1024];
    } u;
    /// Open nests: offsets of their attribute headers.
    size_t nests[4];
    int depth;
    int overflow;
};

static void begin(struct message *m, int type, int flags, const void *fixed, size_t size) {
    memset(m, 0, sizeof *m);
    m->u.header.nlmsg_len = NLMSG_LENGTH(size);
    m->u.header.nlmsg_type = (uint16_t)type;
    m->u.header.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
    memcpy(NLMSG_DATA(&m->u.header), fixed, size);
}

static void *attribute(struct message *m, int type, const void *data, size_t size) {
    size_t at = NLMSG_ALIGN(m->u.header.nlmsg_len), length = RTA_LENGTH(size);
    if (at + RTA_ALIGN(length) > sizeof m->u.bytes) {
        m->overflow = 1;
        return NULL;
    }
    struct rtattr *rta = (struct rtattr *)(m->u.bytes + at);
    rta->rta_type = (unsigned short)type;
    rta->rta_len = (unsigned short)length;
    if (size) memcpy(RTA_DATA(rta), data, size);
    m->u.header.nlmsg_len = (uint32_t)(at + RTA_ALIGN(length));
    return RTA_DATA(rta);
}

/// Appends `size` bytes as they are (a nested header).
static void raw(struct message *m, const void *data, size_t size) {
    size_t at = NLMSG_ALIGN(m->u.header.nlmsg_len);
    if (at + NLMSG_ALIGN(size) > sizeof m->u.bytes) {
        m->overflow = 1;
        return;
    }
    memcpy(m->u.bytes + at, data, size);
    m->u.header.nlmsg_len = (uint32_t)(at + NLMSG_ALIGN(size));
}

static void string(struct message *m, int type, const char *s) { attribute(m, type, s, strlen(s) + 1); }

static void u32(struct message *m, int type, uint32_t value) { attribute(m, type, &value, sizeof value); }

static void nest(struct message *m, int type) {
    size_t at = NLMSG_ALIGN(m->u.header.nlmsg_len);
    if (attribute(m, type, NULL, 0) != NULL && m->depth < 4) m->nests[m->depth++] = at;
    else m->overflow = 1;
}

static void end_nest(struct message *m) {
    if (m->depth == 0) return;
    size_t at = m->nests[--m->depth];
    struct rtattr *rta = (struct rtattr *)(m->u.bytes + at);
    rta->rta_len = (unsigned short)(m->u.header.nlmsg_len - at);
}

/// Sends `m` and reads the kernel's acknowledgement: 0 or its errno value.
static int transact(int nl, struct message *m) {
    if (m->overflow) return EMSGSIZE;
    static uint32_t sequence;
    m->u.header.nlmsg_seq = ++sequence;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    for (;;) {
        ssize_t n = sendto(nl, m->u.bytes, m->u.header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
        if (n >= 0) break;
        if (errno != EINTR) return errno;
    }
    char reply[4096];
    for (;;) {
        ssize_t n = recv(nl, reply, sizeof reply, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != m->u.header.nlmsg_seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                return -e->error;
            }
        }
    }
}

static struct ifinfomsg link_header(int ifindex, int up) {
    struct ifinfomsg ifi;
    memset(&ifi, 0, sizeof ifi);
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = ifindex;
    ifi.ifi_flags = up ? IFF_UP : 0;
    ifi.ifi_change = up ? IFF_UP : 0;
    return ifi;
}

// MARK: Calls

int cnet_open(void) {
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl < 0) return -errno;
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    if (bind(nl, (struct sockaddr *)&local, sizeof local) != 0) {
        int e = errno;
        close(nl);
        return -e;
    }
    return nl;
}

static int link_up(int nl, int ifindex) {
    struct message m;
    struct ifinfomsg ifi = link_header(ifindex, 1);
    begin(&m, RTM_NEWLINK, 0, &ifi, sizeof ifi);
    return transact(nl, &m);
}

static int address_add(int nl, int ifindex, uint32_t address, int prefix) {
    struct message m;
    struct ifaddrmsg ifa;
    memset(&ifa, 0, sizeof ifa);
    ifa.ifa_family = AF_INET;
    ifa.ifa_prefixlen = (unsigned char)prefix;
    ifa.ifa_index = (unsigned)ifindex;
    begin(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
    uint32_t a = htonl(address);
    u32(&m, IFA_LOCAL, a);
    u32(&m, IFA_ADDRESS, a);
    return transact(nl, &m);
}

/// Creates a link: `kind` (with `data`, IFLA_INFO_DATA's contents, if any), named `name`, up,
/// on lower device `lower` (0: none), moved to namespace `netns` (-1: stays), with index `index` (0: any).
static int link_create(int nl, const char *name, const char *kind, int lower, int netns, int index, int up,
                       void (*data)(struct message *, const void *), const void *context) {
    struct message m;
    struct ifinfomsg ifi = link_header(index, up);
    begin(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
    string(&m, IFLA_IFNAME, name);
    if (lower > 0) u32(&m, IFLA_LINK, (uint32_t)lower);
    if (netns >= 0) u32(&m, IFLA_NET_NS_FD, (uint32_t)netns);
    nest(&m, IFLA_LINKINFO);
    string(&m, IFLA_INFO_KIND, kind);
    if (data) {
        nest(&m, IFLA_INFO_DATA);
        data(&m, context);
        end_nest(&m);
    }
    end_nest(&m);
    return transact(nl, &m);
}

/// A veth's peer: its header, then its name.
static void veth_peer(struct message *m, const void *name) {
    nest(m, VETH_INFO_PEER);
    struct ifinfomsg peer = link_header(0, 0);
    raw(m, &peer, sizeof peer);
    string(m, IFLA_IFNAME, name);
    end_nest(m);
}

static void macvlan_bridge_mode(struct message *m, const void *unused) {
    (void)unused;
    u32(m, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
}

static int set_alias(int nl, int index, const char *alias) {
    struct message m;
    struct ifinfomsg set = link_header(index, 0);
    begin(&m, RTM_NEWLINK, 0, &set, sizeof set);
    string(&m, IFLA_IFALIAS, alias);
    return transact(nl, &m);
}

int cnet_network_create(int nl, const char *name, uint32_t address, int prefix, const char *alias, int *ifindex) {
    // The lower device: a veth pair in this namespace (both ends up, so it has a carrier).
    char peer[IFNAMSIZ], gateway[IFNAMSIZ];
    if (snprintf(peer, sizeof peer, "%sp", name) >= (int)sizeof peer || snprintf(gateway, sizeof gateway, "%sg", name) >= (int)sizeof gateway) {
        return ENAMETOOLONG;
    }
    int rc = link_create(nl, name, "veth", 0, -1, 0, 1, veth_peer, peer);
    if (rc != 0) return rc;
    int index = (int)if_nametoindex(name), peer_index = (int)if_nametoindex(peer);
    if (index == 0 || peer_index == 0) rc = ENODEV;
    if (rc == 0) rc = link_up(nl, peer_index);
    // The kernel ignores an alias given at creation: it is set on the link made.
    if (rc == 0 && alias) rc = set_alias(nl, index, alias);
    // The host's own place on the network: a macvlan of the lower device holding the first address.
    if (rc == 0) rc = link_create(nl, gateway, "macvlan", index, -1, 0, 1, macvlan_bridge_mode, NULL);
    int gateway_index = rc == 0 ? (int)if_nametoindex(gateway) : 0;
    if (rc == 0 && gateway_index == 0) rc = ENODEV;
    if (rc == 0) rc = address_add(nl, gateway_index, address, prefix);
    if (rc != 0) {
        if (index > 0) cnet_link_delete(nl, index); // takes the peer and the gateway with it
        return rc;
    }
    *ifindex = index;
    return 0;
}

int cnet_link_delete(int nl, int ifindex) {
    struct message m;
    struct ifinfomsg ifi = link_header(ifindex, 0);
    begin(&m, RTM_DELLINK, 0, &ifi, sizeof ifi);
    return transact(nl, &m);
}

/// Writes `value` to the sysctl file `path` of the current network namespace.
static int sysctl_write(const char *path, const char *value) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    size_t n = strlen(value);
    int rc = write(fd, value, n) == (ssize_t)n ? 0 : errno ? errno : EIO;
    close(fd);
    return rc;
}

/// The peer's index in the new namespace: 1 is loopback.
#define POD_ETH0_INDEX 2

int cnet_pod_create(int host_nl, int host_ns, const struct cnet_pod *pod, int *netns, int *eth0_index, int *stage) {
    *stage = CNET_STAGE_NAMESPACE;
    if (unshare(CLONE_NEWNET) != 0) return errno;
    int rc = 0, ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int pod_nl = ns < 0 ? -errno : cnet_open();
    if (ns < 0 || pod_nl < 0) rc = ns < 0 ? errno : -pod_nl;
    if (rc == 0) {
        // Pods run as an unprivileged user towards this namespace (it belongs to the host's user
        // namespace): they may still bind any port and ping, as root in a pod may on a node.
        *stage = CNET_STAGE_SYSCTL;
        rc = sysctl_write("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0");
        if (rc == 0) rc = sysctl_write("/proc/sys/net/ipv4/ping_group_range", "0 2147483647");
        // IPv4 only on eth0: no link-local address, duplicate detection or router solicitation
        // per pod (loopback keeps ::1; turning "all" off costs an IPv6 teardown per pod).
        if (rc == 0) sysctl_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
    }
    // Back in the host's namespace: the pod's socket keeps working in the pod's.
    if (setns(host_ns, CLONE_NEWNET) != 0) {
        // This thread would stay in the pod's namespace: nothing here can go on safely.
        *stage = CNET_STAGE_RETURN;
        _exit(125);
    }
    if (rc == 0) {
        *stage = CNET_STAGE_LOOPBACK;
        rc = link_up(pod_nl, 1);
    }
    if (rc == 0) {
        // eth0: a macvlan of the network's lower device, made straight in the pod's namespace
        // (one device per pod, none on the host's side).
        *stage = CNET_STAGE_LINK;
        rc = link_create(host_nl, "eth0", "macvlan", pod->lower, ns, POD_ETH0_INDEX, 0, macvlan_bridge_mode, NULL);
    }
    if (rc == 0) {
        *stage = CNET_STAGE_ADDRESS;
        rc = address_add(pod_nl, POD_ETH0_INDEX, pod->address, pod->prefix);
        if (rc == 0) rc = link_up(pod_nl, POD_ETH0_INDEX);
    }
    if (pod_nl >= 0) close(pod_nl);
    if (rc != 0) {
        if (ns >= 0) close(ns); // the namespace goes, and eth0 with it
        return rc;
    }
    *netns = ns;
    *eth0_index = POD_ETH0_INDEX;
    return 0;
}

#else

int cnet_open(void) { return -ENOSYS; }
int cnet_network_create(int nl, const char *name, uint32_t address, int prefix, const char *alias, int *ifindex) { return ENOSYS; }
int cnet_link_delete(int nl, int ifindex) { return ENOSYS; }
int cnet_pod_create(int host_nl, int host_ns, const struct cnet_pod *pod, int *netns, int *eth0_index, int *stage) {
    *stage = 0;
    return ENOSYS;
}

#endif
