// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Cuecard's lines in OBS's log, with one prefix (the format is still checked by the compiler),
// and the guard every callback OBS calls goes through: nothing thrown may reach OBS.

#include <util/base.h>

#include <exception>

#define CUECARD_LOG(level, format, ...) blog(level, "[cuecard] " format __VA_OPT__(, ) __VA_ARGS__)

namespace cuecard::obs {

/// Runs `f`, logging anything it throws as an error of `where`; a default value then.
template <class F> auto guarded(const char *where, F f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception &e) {
        CUECARD_LOG(LOG_ERROR, "%s: %s", where, e.what());
    } catch (...) {
        CUECARD_LOG(LOG_ERROR, "%s: unknown error", where);
    }
    return decltype(f())();
}

} // namespace cuecard::obs
