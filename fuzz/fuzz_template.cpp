// SPDX-License-Identifier: GPL-2.0-or-later
// Any bytes as a theme text template and as a file-name template. A file-name stem must never
// contain a path separator or "..", whatever the template and the recipient say.
#include "core/template/file_name.hpp"
#include "core/template/text_template.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    cuecard::Recipient r;
    r.set("full_name", std::string(text.substr(0, size / 2)));
    r.set("company", "Acme");
    r.index = 7;
    if (auto t = cuecard::TextTemplate::parse(text)) {
        (void)t->expand(r, {{"index", "7"}});
        (void)t->check({"full_name", "company"});
    }
    if (auto f = cuecard::FileNameTemplate::parse(text)) {
        const std::string stem = f->stem(r, 2);
        if (stem.empty() || stem.find('/') != std::string::npos ||
            stem.find('\\') != std::string::npos || stem.find("..") != std::string::npos) {
            std::abort();
        }
    }
    (void)cuecard::sanitizeFileStem(text);
    return 0;
}
