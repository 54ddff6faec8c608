// SPDX-License-Identifier: GPL-2.0-or-later
// Any bytes as a JSON or JSON Lines queue.
#include "core/queue/queue.hpp"
#include "core/util/utf8.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    for (const char *ext : {".json", ".jsonl"}) {
        const cuecard::Queue q = cuecard::readQueueText(text, "fuzz.json", ext);
        for (const auto &r : q.recipients) {
            for (const auto &[k, v] : r.fields) {
                if (cuecard::utf8::findInvalid(v)) {
                    std::abort();
                }
            }
        }
    }
    return 0;
}
