#define _GNU_SOURCE
#include "CSandbox.h"
#include "LauncherShared.h"

#include <errno.h>

/// The launcher's messages: the simulator's side encodes start and signal requests and reads
/// replies; the launcher's side decodes start requests (`launcher_decode`). The process that
/// acts on them is `Launcher.c`.

#ifdef __linux__
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

// MARK: The simulator's side

static size_t string_size(const char *s) { return 1 + (s ? strlen(s) + 1 : 0); }

static char *put_string(char *p, const char *s) {
    *p++ = s != NULL;
    if (s) {
        size_t n = strlen(s) + 1;
        memcpy(p, s, n);
        p += n;
    }
    return p;
}

int launcher_send(int fd, const void *data, size_t length, int pass_fd) {
    struct iovec iov = {(void *)data, length};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    char control[CMSG_SPACE(sizeof(int))];
    if (pass_fd >= 0) {
        memset(control, 0, sizeof control);
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &pass_fd, sizeof(int));
    }
    for (;;) {
        ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n == (ssize_t)length) return 0;
        if (n < 0 && errno == EINTR) continue;
        return n < 0 ? errno : EIO;
    }
}

int csandbox_launcher_start(int fd, unsigned id, const struct csandbox_spec *spec) {
    size_t size = sizeof(struct wire_header) + (size_t)spec->step_count * sizeof(struct wire_step);
    size += string_size(spec->path) + string_size(spec->cgroup_procs);
    uint32_t argc = 0, envc = 0;
    while (spec->argv[argc]) size += string_size(spec->argv[argc++]);
    while (spec->envp[envc]) size += string_size(spec->envp[envc++]);
    for (int i = 0; i < spec->step_count; i++) {
        const struct csandbox_step *s = &spec->steps[i];
        size += string_size(s->a) + string_size(s->b) + string_size(s->fstype) + string_size(s->data);
    }
    char *buffer = malloc(size);
    if (buffer == NULL) return ENOMEM;
    struct wire_header header = {CSANDBOX_REQUEST_START, id, 0, argc, envc, (uint32_t)spec->step_count,
                                 spec->clone_flags, spec->clear_groups, spec->limit_caps, spec->no_new_privs,
                                 spec->map_uid, spec->map_gid, spec->keep_caps, spec->net_id, 0};
    memcpy(buffer, &header, sizeof header);
    char *p = buffer + sizeof header;
    for (int i = 0; i < spec->step_count; i++) {
        const struct csandbox_step *s = &spec->steps[i];
        struct wire_step w = {s->op, s->optional, s->skip_on_success, 0, s->flags};
        memcpy(p, &w, sizeof w);
        p += sizeof w;
    }
    p = put_string(p, spec->path);
    p = put_string(p, spec->cgroup_procs);
    for (uint32_t i = 0; i < argc; i++) p = put_string(p, spec->argv[i]);
    for (uint32_t i = 0; i < envc; i++) p = put_string(p, spec->envp[i]);
    for (int i = 0; i < spec->step_count; i++) {
        const struct csandbox_step *s = &spec->steps[i];
        p = put_string(p, s->a);
        p = put_string(p, s->b);
        p = put_string(p, s->fstype);
        p = put_string(p, s->data);
    }
    int rc = launcher_send(fd, buffer, size, spec->log_fd);
    free(buffer);
    return rc;
}

int csandbox_launcher_signal(int fd, unsigned id, int signal) {
    struct wire_header header;
    memset(&header, 0, sizeof header);
    header.kind = CSANDBOX_REQUEST_SIGNAL;
    header.id = id;
    header.signal = signal;
    return launcher_send(fd, &header, sizeof header, -1);
}

int csandbox_launcher_receive(int fd, struct csandbox_reply *reply) {
    for (;;) {
        ssize_t n = recv(fd, reply, sizeof *reply, 0);
        if (n == (ssize_t)sizeof *reply) return 1;
        if (n == 0) return 0;
        if (n < 0 && errno == EINTR) continue;
        if (n > 0) errno = EPROTO;
        return -1;
    }
}

// MARK: The launcher's side

static const char *take_string(const char **p, const char *end) {
    if (*p >= end) return NULL;
    int present = *(*p)++;
    if (!present) return NULL;
    const char *s = *p;
    const char *nul = memchr(s, 0, (size_t)(end - s));
    if (nul == NULL) {
        *p = end;
        return NULL;
    }
    *p = nul + 1;
    return s;
}

void launcher_free_request(struct request *r) {
    if (r == NULL) return;
    free(r->buffer);
    free(r->argv);
    free(r->envp);
    free(r->steps);
    free(r);
}

struct request *launcher_decode(const char *message, size_t length, int log_fd) {
    struct wire_header h;
    memcpy(&h, message, sizeof h);
    size_t steps_size = (size_t)h.steps * sizeof(struct wire_step);
    if (h.steps > 4096 || h.argc > 1 << 20 || h.envc > 1 << 20 || sizeof h + steps_size > length) return NULL;
    struct request *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->buffer = malloc(length);
    r->argv = calloc(h.argc + 1, sizeof(char *));
    r->envp = calloc(h.envc + 1, sizeof(char *));
    r->steps = calloc(h.steps + 1, sizeof(struct csandbox_step));
    if (!r->buffer || !r->argv || !r->envp || !r->steps) {
        launcher_free_request(r);
        return NULL;
    }
    memcpy(r->buffer, message, length);
    const char *buffer = r->buffer, *p = buffer + sizeof h + steps_size, *end = buffer + length;
    struct csandbox_spec *spec = &r->spec;
    spec->path = take_string(&p, end);
    spec->cgroup_procs = take_string(&p, end);
    int complete = h.argc > 0;
    for (uint32_t i = 0; i < h.argc; i++) complete = (r->argv[i] = (char *)take_string(&p, end)) != NULL && complete;
    for (uint32_t i = 0; i < h.envc; i++) complete = (r->envp[i] = (char *)take_string(&p, end)) != NULL && complete;
    for (uint32_t i = 0; i < h.steps; i++) {
        struct wire_step w;
        memcpy(&w, buffer + sizeof h + i * sizeof w, sizeof w);
        struct csandbox_step *step = &r->steps[i];
        step->op = w.op;
        step->optional = w.optional;
        step->skip_on_success = w.skip;
        step->flags = (unsigned long)w.flags;
        step->a = take_string(&p, end);
        step->b = take_string(&p, end);
        step->fstype = take_string(&p, end);
        step->data = take_string(&p, end);
    }
    if (!complete) {
        launcher_free_request(r);
        return NULL;
    }
    spec->argv = r->argv;
    spec->envp = r->envp;
    spec->log_fd = log_fd;
    spec->clone_flags = h.clone_flags;
    spec->map_uid = h.map_uid;
    spec->map_gid = h.map_gid;
    spec->clear_groups = h.clear_groups;
    spec->steps = r->steps;
    spec->step_count = (int)h.steps;
    spec->limit_caps = h.limit_caps;
    spec->keep_caps = h.keep_caps;
    spec->no_new_privs = h.no_new_privs;
    spec->net_id = h.net;
    return r;
}

#else

int csandbox_launcher_start(int fd, unsigned id, const struct csandbox_spec *spec) { return ENOSYS; }
int csandbox_launcher_signal(int fd, unsigned id, int signal) { return ENOSYS; }
int csandbox_launcher_receive(int fd, struct csandbox_reply *reply) { errno = ENOSYS; return -1; }

#endif
