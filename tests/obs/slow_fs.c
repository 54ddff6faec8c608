// SPDX-License-Identifier: GPL-2.0-or-later
// LD_PRELOAD interposer for the thread-contract test: while armed, a file-system call under a
// chosen folder made from one of OBS's threads (libobs' graphics, video and hotkey threads, and
// the process's main thread, which is OBS's UI thread) is recorded and made slow, as a network
// disk would be. Other threads (Cuecard's loaders, the hub, the recorder) pass straight through.
// The test arms it through cuecard_slowfs_arm, found with dlsym; a test run without it fails.
#undef _FORTIFY_SOURCE // the interposed functions are defined here, never wrapped
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static char g_root[4096];
static size_t g_rootLen;
static int g_armed;
static int g_delayMs;
static int g_calls;
static char g_seen[8192];

static int obsThread(char *name, size_t size) {
    name[0] = '\0';
    prctl(PR_GET_NAME, name, 0, 0, 0);
    name[size - 1] = '\0';
    if (syscall(SYS_gettid) == getpid()) {
        return 1; // OBS's UI thread (in the harness: the test's thread, standing in for it)
    }
    static const char *const kObs[] = {"libobs: graphic", "libobs: hotkey", "video-io: video",
                                       "audio-io: audio", "obs-websocket"};
    for (size_t i = 0; i < sizeof kObs / sizeof kObs[0]; ++i) {
        if (strncmp(name, kObs[i], strlen(kObs[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/// Records and delays the call when `path` is under the root and the thread is OBS's.
static void watch(const char *fn, const char *path) {
    if (!__atomic_load_n(&g_armed, __ATOMIC_ACQUIRE) || path == NULL) {
        return;
    }
    char name[32];
    pthread_mutex_lock(&g_mutex);
    const int under = g_rootLen > 0 && strncmp(path, g_root, g_rootLen) == 0;
    const int delay = g_delayMs;
    pthread_mutex_unlock(&g_mutex);
    if (!under || !obsThread(name, sizeof name)) {
        return;
    }
    pthread_mutex_lock(&g_mutex);
    ++g_calls;
    const size_t used = strlen(g_seen);
    if (used + 600 < sizeof g_seen) {
        snprintf(g_seen + used, sizeof g_seen - used, "%s(%s) on thread \"%s\"\n", fn, path,
                 syscall(SYS_gettid) == getpid() ? "main (UI)" : name);
    }
    pthread_mutex_unlock(&g_mutex);
    struct timespec ts = {delay / 1000, (long)(delay % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int cuecard_slowfs_arm(const char *root, int delayMs) {
    pthread_mutex_lock(&g_mutex);
    snprintf(g_root, sizeof g_root, "%s", root);
    g_rootLen = strlen(g_root);
    g_delayMs = delayMs;
    g_calls = 0;
    g_seen[0] = '\0';
    pthread_mutex_unlock(&g_mutex);
    __atomic_store_n(&g_armed, 1, __ATOMIC_RELEASE);
    return 1;
}

/// Disarms; returns the number of calls seen and copies what they were into `out`.
int cuecard_slowfs_disarm(char *out, size_t size) {
    __atomic_store_n(&g_armed, 0, __ATOMIC_RELEASE);
    pthread_mutex_lock(&g_mutex);
    const int calls = g_calls;
    if (out != NULL && size > 0) {
        snprintf(out, size, "%s", g_seen);
    }
    pthread_mutex_unlock(&g_mutex);
    return calls;
}

#define NEXT(ret, fn, ...)                                                                         \
    static ret (*next)(__VA_ARGS__);                                                               \
    if (next == NULL) {                                                                            \
        next = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, fn);                                          \
    }

static mode_t modeOf(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeOf(flags, ap);
    va_end(ap);
    watch("open", path);
    NEXT(int, "open", const char *, int, ...);
    return next(path, flags, mode);
}
int open64(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeOf(flags, ap);
    va_end(ap);
    watch("open64", path);
    NEXT(int, "open64", const char *, int, ...);
    return next(path, flags, mode);
}
int openat(int dir, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeOf(flags, ap);
    va_end(ap);
    watch("openat", path);
    NEXT(int, "openat", int, const char *, int, ...);
    return next(dir, path, flags, mode);
}
int openat64(int dir, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeOf(flags, ap);
    va_end(ap);
    watch("openat64", path);
    NEXT(int, "openat64", int, const char *, int, ...);
    return next(dir, path, flags, mode);
}
FILE *fopen(const char *path, const char *mode) {
    watch("fopen", path);
    NEXT(FILE *, "fopen", const char *, const char *);
    return next(path, mode);
}
FILE *fopen64(const char *path, const char *mode) {
    watch("fopen64", path);
    NEXT(FILE *, "fopen64", const char *, const char *);
    return next(path, mode);
}
int stat(const char *path, struct stat *st) {
    watch("stat", path);
    NEXT(int, "stat", const char *, struct stat *);
    return next(path, st);
}
int stat64(const char *path, struct stat64 *st) {
    watch("stat64", path);
    NEXT(int, "stat64", const char *, struct stat64 *);
    return next(path, st);
}
int lstat(const char *path, struct stat *st) {
    watch("lstat", path);
    NEXT(int, "lstat", const char *, struct stat *);
    return next(path, st);
}
int lstat64(const char *path, struct stat64 *st) {
    watch("lstat64", path);
    NEXT(int, "lstat64", const char *, struct stat64 *);
    return next(path, st);
}
int fstatat(int dir, const char *path, struct stat *st, int flags) {
    watch("fstatat", path);
    NEXT(int, "fstatat", int, const char *, struct stat *, int);
    return next(dir, path, st, flags);
}
int fstatat64(int dir, const char *path, struct stat64 *st, int flags) {
    watch("fstatat64", path);
    NEXT(int, "fstatat64", int, const char *, struct stat64 *, int);
    return next(dir, path, st, flags);
}
int statx(int dir, const char *path, int flags, unsigned mask, struct statx *st) {
    watch("statx", path);
    NEXT(int, "statx", int, const char *, int, unsigned, struct statx *);
    return next(dir, path, flags, mask, st);
}
int access(const char *path, int how) {
    watch("access", path);
    NEXT(int, "access", const char *, int);
    return next(path, how);
}
int mkdir(const char *path, mode_t mode) {
    watch("mkdir", path);
    NEXT(int, "mkdir", const char *, mode_t);
    return next(path, mode);
}
DIR *opendir(const char *path) {
    watch("opendir", path);
    NEXT(DIR *, "opendir", const char *);
    return next(path);
}
int rename(const char *from, const char *to) {
    watch("rename", from);
    NEXT(int, "rename", const char *, const char *);
    return next(from, to);
}
int unlink(const char *path) {
    watch("unlink", path);
    NEXT(int, "unlink", const char *);
    return next(path);
}
char *realpath(const char *path, char *resolved) {
    watch("realpath", path);
    NEXT(char *, "realpath", const char *, char *);
    return next(path, resolved);
}
