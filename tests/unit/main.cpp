// SPDX-License-Identifier: GPL-2.0-or-later
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

int main(int argc, char **argv) {
    // The tests' own HTTP servers listen on 127.0.0.1, which Cuecard refuses for queue data by
    // default; the address policy's tests turn this off again where they need the default.
    ::setenv("CUECARD_ALLOW_PRIVATE_HOSTS", "1", 0);
    doctest::Context context(argc, argv);
    return context.run();
}
