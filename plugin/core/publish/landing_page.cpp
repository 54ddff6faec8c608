// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/landing_page.hpp"

#include "core/template/text_template.hpp"
#include "core/util/web_text.hpp"

#include <fstream>

namespace cuecard {
namespace {

/// `pattern` expanded for `r`; `what` names the option in an error.
Result<std::string> expand(const std::string &pattern, const Recipient &r,
                           const std::string &what) {
    auto t = TextTemplate::parse(pattern);
    if (!t) {
        return makeError(what + ": " + t.message());
    }
    if (Status s = t->checkNotPrivate(); !s) {
        return makeError(what + ": " + s.message());
    }
    return t->expand(r);
}

/// The CTA's address for `r`: every value URL-encoded, then only http(s) or mailto.
Result<std::string> ctaAddress(const std::string &pattern, const Recipient &r) {
    Recipient encoded = r;
    for (auto &[name, value] : encoded.fields) {
        value = urlEncode(value);
    }
    auto url = expand(pattern, encoded, "--cta-url");
    if (!url) {
        return url;
    }
    const std::string scheme = urlScheme(*url);
    if (scheme != "http" && scheme != "https" && scheme != "mailto") {
        return makeError("--cta-url \"" + pattern +
                         "\": the button can only link to an http(s) or mailto address");
    }
    return url;
}

std::string firstName(const Recipient &r) {
    auto t = TextTemplate::parse("{first_name|}");
    return t ? t->expand(r) : std::string();
}

} // namespace

Status checkPageOptions(const PageOptions &o) {
    const std::string scheme = urlScheme(o.baseUrl);
    if (scheme != "http" && scheme != "https") {
        return makeError("--base-url \"" + o.baseUrl +
                         "\": give the address the destination is served at, like "
                         "https://videos.example.com/v");
    }
    Recipient sample;
    sample.id = "sample";
    sample.set("full_name", "Sample Person");
    sample.set("email", "sample@example.com");
    for (const auto &[pattern, what] :
         {std::pair{o.title, "--title"}, {o.message, "--message"}, {o.ctaText, "--cta-text"}}) {
        if (auto r = expand(pattern, sample, what); !r) {
            return r.error();
        }
    }
    if (!o.ctaUrl.empty()) {
        if (auto r = ctaAddress(o.ctaUrl, sample); !r) {
            return r.error();
        }
    }
    return Status::success();
}

PageLinks pageLinks(const std::string &baseUrl, const std::string &token) {
    std::string base = baseUrl;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    PageLinks l;
    l.page = base + "/" + token + "/";
    l.video = l.page + kPageVideo;
    l.poster = l.page + kPagePoster;
    l.gif = l.page + kPageGif;
    return l;
}

Result<std::string> newPageToken() {
    std::ifstream random("/dev/urandom", std::ios::binary);
    unsigned char bytes[16] = {};
    if (!random.read(reinterpret_cast<char *>(bytes), sizeof bytes)) {
        return makeError("no random source (/dev/urandom) for the pages' addresses");
    }
    static const char *hex = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) {
        token += hex[b >> 4];
        token += hex[b & 15];
    }
    return token;
}

Result<std::string> landingPage(const Recipient &r, const PageOptions &o, const PageLinks &links,
                                int width, int height) {
    auto title = expand(o.title, r, "--title");
    auto message = expand(o.message, r, "--message");
    auto ctaText = expand(o.ctaText, r, "--cta-text");
    if (!title || !message || !ctaText) {
        return !title ? title : !message ? message : ctaText;
    }
    std::string cta;
    if (!o.ctaUrl.empty()) {
        auto url = ctaAddress(o.ctaUrl, r);
        if (!url) {
            return url;
        }
        cta = *url;
    }
    const auto attr = [](const std::string &v) { return htmlEscape(v); };
    const std::string size =
        width > 0 && height > 0
            ? " width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\""
            : std::string();
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Made for one person: never in a search engine, never a script, nothing from elsewhere.
    h += "<meta name=\"robots\" content=\"noindex, nofollow, noarchive\">\n";
    h += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "img-src 'self'; media-src 'self'; style-src 'unsafe-inline'\">\n";
    h += "<title>" + htmlEscape(*title) + "</title>\n";
    h += "<meta property=\"og:type\" content=\"video.other\">\n";
    h += "<meta property=\"og:title\" content=\"" + attr(*title) + "\">\n";
    h += "<meta property=\"og:description\" content=\"" + attr(*message) + "\">\n";
    h += "<meta property=\"og:url\" content=\"" + attr(links.page) + "\">\n";
    h += "<meta property=\"og:image\" content=\"" + attr(links.poster) + "\">\n";
    h += "<meta property=\"og:video\" content=\"" + attr(links.video) + "\">\n";
    h += "<meta property=\"og:video:type\" content=\"video/mp4\">\n";
    if (width > 0 && height > 0) {
        h += "<meta property=\"og:video:width\" content=\"" + std::to_string(width) + "\">\n";
        h += "<meta property=\"og:video:height\" content=\"" + std::to_string(height) + "\">\n";
    }
    h += "<meta name=\"twitter:card\" content=\"summary_large_image\">\n";
    h += "<meta name=\"twitter:title\" content=\"" + attr(*title) + "\">\n";
    h += "<meta name=\"twitter:description\" content=\"" + attr(*message) + "\">\n";
    h += "<meta name=\"twitter:image\" content=\"" + attr(links.poster) + "\">\n";
    h += "<style>\n"
         "body{margin:0;background:#f4f4f6;color:#1d1d24;font:17px/1.5 system-ui,sans-serif}\n"
         "main{max-width:960px;margin:0 auto;padding:24px 16px 48px}\n"
         "h1{font-size:26px;margin:8px 0 16px}\n"
         "video{display:block;width:100%;height:auto;border-radius:10px;background:#000}\n"
         ".message{margin:20px 0 4px;white-space:pre-line}\n.from{margin:0;color:#555}\n"
         ".cta{display:inline-block;margin-top:20px;padding:12px 22px;border-radius:8px;"
         "background:#2463eb;color:#fff;text-decoration:none;font-weight:600}\n"
         "</style>\n</head>\n<body>\n<main>\n";
    h += "<h1>" + htmlEscape(*title) + "</h1>\n";
    h += "<video id=\"video\" controls playsinline preload=\"metadata\" poster=\"" +
         std::string(kPagePoster) + "\"" + size + ">\n<source src=\"" + kPageVideo +
         "\" type=\"video/mp4\">\n<a href=\"" + kPageVideo +
         "\">Download the video</a>\n"
         "</video>\n";
    h += "<p class=\"message\">" + htmlEscape(*message) + "</p>\n";
    if (!o.repName.empty()) {
        h += "<p class=\"from\">— " + htmlEscape(o.repName) + "</p>\n";
    }
    if (!cta.empty()) {
        h += "<p><a class=\"cta\" href=\"" + attr(cta) + "\" rel=\"noopener noreferrer\">" +
             htmlEscape(*ctaText) + "</a></p>\n";
    }
    h += "</main>\n</body>\n</html>\n";
    return h;
}

std::string pageSnippet(const Recipient &r, const PageLinks &links) {
    const std::string first = firstName(r);
    const std::string who = first.empty() ? std::string("you") : first;
    return "<a href=\"" + htmlEscape(links.page) + "\"><img src=\"" + htmlEscape(links.gif) +
           "\" alt=\"A video for " + htmlEscape(who) +
           " (click to play)\" style=\"display:block;border:0;max-width:100%;height:auto\"></a>"
           "<p><a href=\"" +
           htmlEscape(links.page) + "\">&#9654; Watch the video I made for you, " +
           htmlEscape(who) + "</a></p>";
}

} // namespace cuecard
