// SPDX-License-Identifier: GPL-2.0-or-later
// Any bytes as a theme file.
#include "core/theme/theme.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    if (auto theme = cuecard::parseTheme(text, "fuzz.json")) {
        (void)theme->check({"full_name", "company", "title"});
        cuecard::Recipient r;
        r.set("full_name", "Jane Doe");
        for (const auto &e : theme->elements) {
            if (const auto *t = std::get_if<cuecard::TextElement>(&e)) {
                (void)t->expand(r);
            }
        }
    }
    return 0;
}
