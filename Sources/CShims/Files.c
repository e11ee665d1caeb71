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

static int64_t usage_below(int dirfd, int depth) {
    DIR *dir = fdopendir(dirfd);
    if (dir == NULL) {
        close(dirfd);
        return 0;
    }
    int64_t total = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        struct stat info;
        if (fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) continue;
        total += (int64_t)info.st_blocks * 512;
        if (S_ISDIR(info.st_mode) && depth < MAX_DEPTH) {
            int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0) total += usage_below(fd, depth + 1);
        }
    }
    closedir(dir);
    return total;
}

int64_t cfiles_usage(const char *path) {
    struct stat info;
    if (lstat(path, &info) != 0) return -1;
    int64_t total = (int64_t)info.st_blocks * 512;
    if (!S_ISDIR(info.st_mode)) return total;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return fd < 0 ? total : total + usage_below(fd, 1);
}

static int remove_below(int dirfd, int depth) {
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
        if (unlinkat(dirfd, name, 0) == 0) continue;
        if (errno != EISDIR && errno != EPERM) {
            if (!first) first = errno;
            continue;
        }
        if (depth >= MAX_DEPTH) {
            if (!first) first = ELOOP;
            continue;
        }
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0) {
            fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        int rc = fd < 0 ? errno : remove_below(fd, depth + 1);
        if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0) rc = errno;
        if (rc != 0 && !first) first = rc;
    }
    closedir(dir);
    return first;
}

int cfiles_remove(const char *path) {
    if (unlink(path) == 0) return 0;
    if (errno == ENOENT) return 0;
    if (errno != EISDIR && errno != EPERM) return errno;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == EACCES && chmod(path, 0700) == 0) fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = remove_below(fd, 1);
    if (rmdir(path) != 0 && rc == 0) rc = errno;
    return rc;
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

static int chown_below(int dirfd, unsigned uid, int depth) {
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
        if (fchownat(dirfd, name, uid, uid, AT_SYMLINK_NOFOLLOW) != 0) {
            if (!first) first = errno;
            continue;
        }
        if (entry->d_type != DT_DIR && entry->d_type != DT_UNKNOWN) continue;
        if (depth >= MAX_DEPTH) continue;
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue; // not a directory
        int rc = chown_below(fd, uid, depth + 1);
        if (rc != 0 && !first) first = rc;
    }
    closedir(dir);
    return first;
}

int cfiles_chown(const char *path, unsigned uid) {
    if (lchown(path, uid, uid) != 0) return errno;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ENOTDIR ? 0 : errno;
    return chown_below(fd, uid, 1);
}
