#define _GNU_SOURCE
#include "CFiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/// Deeper trees are not walked (a pod could nest directories without end).
#define MAX_DEPTH 256

/// What a walk does with each entry of a directory (not `.` and `..`): 0 or an errno value.
typedef int (*visit_fn)(int dirfd, const char *name, unsigned char type, int depth, void *context);

/// Calls `visit` for every entry of the directory `dirfd` (which it closes); the first failure's
/// errno value, after visiting every entry.
static int walk(int dirfd, int depth, visit_fn visit, void *context) {
    DIR *dir = fdopendir(dirfd);
    if (dir == NULL) {
        int error = errno;
        close(dirfd);
        return error;
    }
    int first = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        int rc = visit(dirfd, name, entry->d_type, depth, context);
        if (rc != 0 && !first) first = rc;
    }
    closedir(dir);
    return first;
}

/// The subdirectory `name` of `dirfd`, never through a symlink; -1 when it is not one.
static int open_below(int dirfd, const char *name) {
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int add_usage(int dirfd, const char *name, unsigned char type, int depth, void *context) {
    (void)type;
    struct stat info;
    if (fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) return 0; // vanished meanwhile
    *(int64_t *)context += (int64_t)info.st_blocks * 512;
    if (S_ISDIR(info.st_mode) && depth < MAX_DEPTH) {
        int fd = open_below(dirfd, name);
        if (fd >= 0) walk(fd, depth + 1, add_usage, context);
    }
    return 0;
}

int64_t cfiles_usage(const char *path) {
    struct stat info;
    if (lstat(path, &info) != 0) return -1;
    int64_t total = (int64_t)info.st_blocks * 512;
    if (!S_ISDIR(info.st_mode)) return total;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) walk(fd, 1, add_usage, &total);
    return total;
}

static int remove_entry(int dirfd, const char *name, unsigned char type, int depth, void *context) {
    (void)type;
    (void)context;
    if (unlinkat(dirfd, name, 0) == 0) return 0;
    if (errno != EISDIR && errno != EPERM) return errno;
    if (depth >= MAX_DEPTH) return ELOOP;
    int fd = open_below(dirfd, name);
    if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0) fd = open_below(dirfd, name);
    int rc = fd < 0 ? errno : walk(fd, depth + 1, remove_entry, NULL);
    if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0) rc = errno;
    return rc;
}

int cfiles_remove(const char *path) {
    if (unlink(path) == 0) return 0;
    if (errno == ENOENT) return 0;
    if (errno != EISDIR && errno != EPERM) return errno;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == EACCES && chmod(path, 0700) == 0) fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = walk(fd, 1, remove_entry, NULL);
    if (rmdir(path) != 0 && rc == 0) rc = errno;
    return rc;
}

static int chown_entry(int dirfd, const char *name, unsigned char type, int depth, void *context) {
    unsigned uid = *(unsigned *)context;
    if (fchownat(dirfd, name, uid, uid, AT_SYMLINK_NOFOLLOW) != 0) return errno;
    if ((type != DT_DIR && type != DT_UNKNOWN) || depth >= MAX_DEPTH) return 0;
    int fd = open_below(dirfd, name);
    return fd < 0 ? 0 : walk(fd, depth + 1, chown_entry, context); // not a directory
}

int cfiles_chown(const char *path, unsigned uid) {
    if (lchown(path, uid, uid) != 0) return errno;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ENOTDIR ? 0 : errno;
    return walk(fd, 1, chown_entry, &uid);
}

int cfiles_mkdirs(const char *path, unsigned mode) {
    if (mkdir(path, mode) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return errno;
    char parent[PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof parent) return ENAMETOOLONG;
    memcpy(parent, path, n + 1);
    while (n > 1 && parent[n - 1] == '/') parent[--n] = 0;
    char *slash = strrchr(parent, '/');
    if (slash == NULL || slash == parent) return ENOENT;
    *slash = 0;
    int rc = cfiles_mkdirs(parent, mode);
    if (rc != 0) return rc;
    return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : errno;
}
