// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/email_draft.hpp"

#include "core/template/text_template.hpp"
#include "core/util/sha256.hpp"
#include "core/util/web_text.hpp"

#include <ctime>
#include <optional>

namespace cuecard {
namespace {

std::string base64(std::string_view in) {
    static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += t[(n >> 6) & 63];
        out += t[n & 63];
    }
    if (i < in.size()) {
        const bool two = i + 1 < in.size();
        const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                       (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += two ? t[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// Base64 in lines of 76 (a MIME body).
std::string base64Body(std::string_view in) {
    const std::string b = base64(in);
    std::string out;
    for (std::size_t i = 0; i < b.size(); i += 76) {
        out += b.substr(i, 76) + "\r\n";
    }
    return out;
}

Result<std::string> expand(const std::string &pattern, const Recipient &r, const char *what) {
    auto t = TextTemplate::parse(pattern);
    if (!t) {
        return makeError(std::string(what) + ": " + t.message());
    }
    if (Status s = t->checkNotPrivate(); !s) {
        return makeError(std::string(what) + ": " + s.message());
    }
    return t->expand(r);
}

/// Text with CRLF line ends (a text/plain body).
std::string crlf(const std::string &text) {
    std::string out;
    for (char c : text) {
        if (c == '\r') {
            continue;
        }
        if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

/// Paragraphs of escaped text (blank lines between them), single line breaks kept.
std::string htmlParagraphs(const std::string &text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string para = htmlEscape(text.substr(start, end - start));
        std::string withBreaks;
        for (char c : para) {
            withBreaks += c == '\n' ? std::string("<br>") : std::string(1, c);
        }
        if (!withBreaks.empty()) {
            out += "<p>" + withBreaks + "</p>\r\n";
        }
        start = end + 2;
    }
    return out;
}

/// "Name <address>" or "address", checked; nullopt when it is not one plain address.
std::optional<std::string> mailbox(const std::string &spec) {
    std::string name;
    std::string address = spec;
    if (const auto lt = spec.rfind('<'); lt != std::string::npos && spec.back() == '>') {
        name = spec.substr(0, lt);
        address = spec.substr(lt + 1, spec.size() - lt - 2);
        while (!name.empty() && name.back() == ' ') {
            name.pop_back();
        }
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
    }
    if (!plainAddress(address)) {
        return std::nullopt;
    }
    return name.empty() ? address : encodedWords(name) + " <" + address + ">";
}

} // namespace

bool plainAddress(const std::string &a) {
    const auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= a.size() ||
        a.find('@', at + 1) != std::string::npos || a.size() > 254) {
        return false;
    }
    for (unsigned char c : a) {
        if (c <= 0x20 || c >= 0x7f ||
            std::string_view("<>()[],;:\"\\").find(static_cast<char>(c)) !=
                std::string_view::npos) {
            return false;
        }
    }
    return a.find('.', at) != std::string::npos;
}

std::string encodedWords(const std::string &text) {
    std::string clean;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        clean += u < 0x20 || u == 0x7f ? ' ' : c; // CR, LF, tab…: never a header line of its own
    }
    // At most 45 bytes per word (60 in base64, the word under 75), never splitting a character.
    std::string out;
    std::size_t i = 0;
    while (i < clean.size()) {
        std::size_t end = std::min(clean.size(), i + 45);
        while (end < clean.size() && end > i &&
               (static_cast<unsigned char>(clean[end]) & 0xC0) == 0x80) {
            --end;
        }
        out +=
            (out.empty() ? "" : "\r\n ") + ("=?UTF-8?B?" + base64(clean.substr(i, end - i)) + "?=");
        i = end;
    }
    return out;
}

Status checkDraftOptions(const DraftOptions &o) {
    if (!o.from.empty() && !mailbox(o.from)) {
        return makeError("--from \"" + o.from +
                         "\": give one address, like \"Sam Rivera <sam@example.com>\"");
    }
    Recipient sample;
    sample.set("full_name", "Sample Person");
    for (const auto &[pattern, what] : {std::pair{o.subject, "--subject"}, {o.body, "--body"}}) {
        if (auto r = expand(pattern, sample, what); !r) {
            return r.error();
        }
    }
    return Status::success();
}

std::string draftMessageIdPrefix(const std::string &token) {
    return "cuecard." + token + ".";
}

std::string draftMessageId(const std::string &token, int take) {
    return "<" + draftMessageIdPrefix(token) + "take" + std::to_string(take) + "@cuecard.invalid>";
}

Result<std::string> draftMessage(const Recipient &r, const DraftOptions &o, const PageLinks &links,
                                 const std::string &gif, const std::string &messageId,
                                 long long unixTime) {
    const std::string email(r.get("email"));
    if (!plainAddress(email)) {
        return makeError("\"" + email + "\" is not an email address a draft can go to");
    }
    auto subject = expand(o.subject, r, "--subject");
    auto body = expand(o.body, r, "--body");
    if (!subject || !body) {
        return !subject ? subject : body;
    }
    const std::string name(r.get("full_name"));
    const std::string to = name.empty() ? email : encodedWords(name) + " <" + email + ">";
    std::string text = *body;
    if (!o.signature.empty()) {
        text += "\n\n" + o.signature;
    }
    char date[64];
    const std::time_t t = static_cast<std::time_t>(unixTime);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    // Boundaries and the picture's id from the page's address: unique, and no recipient data.
    const std::string tag = sha256Hex(links.page).substr(0, 16);
    const std::string alt = "=_cuecard_alt_" + tag;
    const std::string rel = "=_cuecard_rel_" + tag;
    const std::string cid = "preview." + tag + "@cuecard.invalid";

    std::string m;
    if (!o.from.empty()) {
        m += "From: " + *mailbox(o.from) + "\r\n";
    }
    m += "To: " + to + "\r\n";
    m += "Subject: " + encodedWords(*subject) + "\r\n";
    m += "Date: " + std::string(date) + "\r\n";
    m += "Message-ID: " + messageId + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    m += "--" + alt + "\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += base64Body(crlf(text + "\n\n" + links.page + "\n"));
    m += "--" + alt + "\r\n";
    m += "Content-Type: multipart/related; boundary=\"" + rel + "\"; type=\"text/html\"\r\n\r\n";
    m += "--" + rel + "\r\n";
    m += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    std::string html = "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>\r\n";
    html += htmlParagraphs(*body);
    html += "<p><a href=\"" + htmlEscape(links.page) + "\"><img src=\"cid:" + cid +
            "\" alt=\"A video for you (click to play)\" style=\"display:block;border:0;"
            "max-width:100%;height:auto\"></a></p>\r\n";
    html += "<p><a href=\"" + htmlEscape(links.page) + "\">&#9654; Watch the video</a></p>\r\n";
    if (!o.signature.empty()) {
        html += htmlParagraphs(o.signature);
    }
    html += "</body></html>\r\n";
    m += base64Body(html);
    m += "--" + rel + "\r\n";
    m += "Content-Type: image/gif; name=\"preview.gif\"\r\nContent-Transfer-Encoding: base64\r\n";
    m += "Content-ID: <" + cid +
         ">\r\nContent-Disposition: inline; filename=\"preview.gif\"\r\n\r\n";
    m += base64Body(gif);
    m += "--" + rel + "--\r\n";
    m += "--" + alt + "--\r\n";
    return m;
}

} // namespace cuecard
