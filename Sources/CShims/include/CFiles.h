#ifndef CFILES_H
#define CFILES_H

#include <stdint.h>

/// Bytes allocated to `path` and everything below it (st_blocks × 512), never following a
/// symlink; -1 with errno when `path` itself cannot be read. Entries that vanish meanwhile are
/// skipped (a running pod writes while it is measured).
int64_t cfiles_usage(const char *path);

/// Removes `path` and everything below it, never following a symlink; directories without
/// permissions (overlayfs' work directories) are opened up first. 0, or an errno value of the
/// first failure (the removal goes on past it).
int cfiles_remove(const char *path);

/// `mkdir -p path` with `mode` for the directories it creates; 0 or an errno value.
int cfiles_mkdirs(const char *path, unsigned mode);

/// `chown -R uid:uid path`, never following a symlink; 0 or an errno value of the first failure.
int cfiles_chown(const char *path, unsigned uid);

#endif
