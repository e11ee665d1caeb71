#ifndef CSHIMS_H
#define CSHIMS_H

#include <sys/types.h>

#include "CFiles.h"
#include "CNet.h"
#include "CSandbox.h"

/// Installs, for each of `signals`, a handler that writes the signal's number as one byte to a
/// pipe, and returns the pipe's read end (blocking, close-on-exec), or -1 with errno. Installing
/// again adds signals and returns the same pipe. The handler only calls write(2) on the
/// non-blocking write end, so it is async-signal-safe and never blocks; no signal is lost between
/// the default disposition and the handler (sigaction replaces one with the other atomically).
int cshims_signal_pipe(const int *signals, int count);

#endif
