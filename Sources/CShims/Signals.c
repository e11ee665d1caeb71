#define _GNU_SOURCE
#include "CShims.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int signal_pipe[2] = {-1, -1};
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    ssize_t written = write(signal_pipe[1], &byte, 1);
    (void)written; // a full pipe drops the byte: enough signals are already waiting
    errno = saved;
}

int cshims_signal_pipe(const int *signals, int count) {
    pthread_mutex_lock(&install_lock);
    if (signal_pipe[0] < 0) {
        if (pipe2(signal_pipe, O_CLOEXEC) != 0) {
            int error = errno;
            pthread_mutex_unlock(&install_lock);
            errno = error;
            return -1;
        }
        fcntl(signal_pipe[1], F_SETFL, fcntl(signal_pipe[1], F_GETFL) | O_NONBLOCK);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = write_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) {
            int error = errno;
            pthread_mutex_unlock(&install_lock);
            errno = error;
            return -1;
        }
    }
    int fd = signal_pipe[0];
    pthread_mutex_unlock(&install_lock);
    return fd;
}
