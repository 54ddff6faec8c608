// SPDX-License-Identifier: GPL-2.0-or-later
// Any bytes as a CSV queue: never crashes, leaks, hangs or trips UB, and every recipient that
// comes out is valid UTF-8 with a non-empty id.
#include "core/queue/queue.hpp"
#include "core/util/utf8.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    for (const char *ext : {".csv", ".tsv", ""}) {
        const cuecard::Queue q = cuecard::readQueueText(text, "fuzz.csv", ext);
        for (const auto &r : q.recipients) {
            if (r.id.empty()) {
                std::abort();
            }
            for (const auto &[k, v] : r.fields) {
                if (cuecard::utf8::findInvalid(v) || cuecard::utf8::findInvalid(k)) {
                    std::abort();
                }
            }
        }
        for (const auto &d : q.diagnostics) {
            (void)d.format();
        }
    }
    return 0;
}
