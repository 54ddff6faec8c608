#pragma once
// Cuecard's lines in OBS's log, with one prefix (the format is still checked by the compiler).

#include <util/base.h>

#define CUECARD_LOG(level, format, ...) blog(level, "[cuecard] " format __VA_OPT__(, ) __VA_ARGS__)
