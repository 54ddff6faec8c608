// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/template/file_name.hpp"

#include "core/util/unicode_class.hpp"
#include "core/util/utf8.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace cuecard {
namespace {

bool unsafe(char32_t c) {
    switch (c) {
    case '/':
    case '\\':
    case ':':
    case '*':
    case '?':
    case '"':
    case '<':
    case '>':
    case '|':
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case 0x00A0:
    case 0x3000:
    case 0x2215: // division slash
    case 0x2044: // fraction slash
    case 0xFF0F: // fullwidth solidus
    case 0xFF3C: // fullwidth reverse solidus
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A; // typographic spaces
    }
}

bool trimmable(char c) {
    return c == '-' || c == '_' || c == '.' || c == ' ';
}

std::string trimEnds(std::string s) {
    std::size_t a = 0;
    while (a < s.size() && trimmable(s[a])) {
        ++a;
    }
    std::size_t b = s.size();
    while (b > a && trimmable(s[b - 1])) {
        --b;
    }
    return s.substr(a, b - a);
}

bool reservedOnWindows(std::string_view stem) {
    std::string head(stem.substr(0, stem.find('.')));
    for (auto &c : head) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    if (head == "CON" || head == "PRN" || head == "AUX" || head == "NUL") {
        return true;
    }
    return head.size() == 4 && (head.rfind("COM", 0) == 0 || head.rfind("LPT", 0) == 0) &&
           head[3] >= '1' && head[3] <= '9';
}

} // namespace

std::string sanitizeFileComponent(std::string_view value) {
    std::string out;
    bool pendingDash = false;
    for (char32_t c : utf8::decode(value)) {
        if (unicode::isInvisibleInName(c)) {
            continue;
        }
        if (unsafe(c) || c == '_') {
            pendingDash = !out.empty();
            continue;
        }
        if (pendingDash) {
            out.push_back('-');
            pendingDash = false;
        }
        utf8::append(out, c);
    }
    // Runs of dots would make ".." or hidden names; "a..b" becomes "a.b".
    std::string collapsed;
    for (char c : out) {
        if (c == '.' && !collapsed.empty() && collapsed.back() == '.') {
            continue;
        }
        collapsed.push_back(c);
    }
    return trimEnds(collapsed);
}

std::string sanitizeFileStem(std::string_view stem, std::size_t maxBytes) {
    std::string out;
    for (char32_t c : utf8::decode(stem)) {
        if (unicode::isInvisibleInName(c)) {
            continue;
        }
        if (unsafe(c)) {
            c = '-';
        }
        // Collapse runs of separators: "001__Jane" and "a--b" come out single.
        const bool sep = c == '-' || c == '_';
        if (sep && !out.empty() && (out.back() == '-' || out.back() == '_')) {
            if (c == '_') {
                out.back() = '_'; // "_" wins: it separates template parts
            }
            continue;
        }
        if (c == '.' && !out.empty() && out.back() == '.') {
            continue;
        }
        utf8::append(out, c);
    }
    out = trimEnds(out);
    out = trimEnds(std::string(utf8::truncateBytes(out, maxBytes)));
    if (out.empty()) {
        out = "recipient";
    }
    if (reservedOnWindows(out)) {
        out.insert(0, "_");
    }
    return out;
}

Result<FileNameTemplate> FileNameTemplate::parse(std::string_view pattern) {
    auto t = TextTemplate::parse(pattern);
    if (!t) {
        return t.error();
    }
    if (Status priv = t->checkNotPrivate(); !priv) {
        return priv.error();
    }
    FileNameTemplate f;
    f.template_ = std::move(t.value());
    return f;
}

std::string FileNameTemplate::stem(const Recipient &recipient, int take) const {
    // Each field value is sanitized on its own, then the joined stem once more.
    Recipient safe;
    safe.index = recipient.index;
    for (const auto &[k, v] : recipient.fields) {
        safe.set(k, sanitizeFileComponent(v));
    }
    const TemplateExtras extras{{"index", std::to_string(recipient.index)},
                                {"take", std::to_string(take)},
                                {"id", sanitizeFileComponent(recipient.id)}};
    return sanitizeFileStem(template_.expand(safe, extras));
}

std::string FileNameTemplate::takeStem(const Recipient &recipient, int take) const {
    std::string out = stem(recipient, take);
    if (take > 1) {
        out += "_take" + std::to_string(take);
    }
    return out;
}

Result<std::filesystem::path> claimNewFile(const std::filesystem::path &dir,
                                           const std::string &stem, const std::string &extension) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return makeError("the output folder " + dir.string() + " does not exist");
    }
    if (stem.empty() || stem.find('/') != std::string::npos || stem == "." || stem == ".." ||
        extension.find('/') != std::string::npos) {
        return makeError("unsafe file name \"" + stem + extension + "\"");
    }
    for (int n = 1; n < 10000; ++n) {
        const std::string name =
            n == 1 ? stem + extension : stem + "-" + std::to_string(n) + extension;
        const std::filesystem::path path = dir / name;
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::close(fd);
            return path;
        }
        if (errno != EEXIST) {
            return makeError("cannot create " + path.string() + ": " + std::strerror(errno));
        }
    }
    return makeError("too many files named " + stem + extension + " in " + dir.string());
}

} // namespace cuecard
