// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The page a recipient opens: their video (HTML5 <video>, the poster first), the rep's message
/// and name, a call-to-action button, Open Graph and Twitter-card tags with the poster (a link
/// pasted into Slack or LinkedIn shows the recipient's own frame), `noindex`, and no script at
/// all (a Content-Security-Policy that allows none). Its address holds an unguessable token,
/// never the recipient's name or email. Every value from the queue is escaped for HTML.

#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <string>

namespace cuecard {

struct PageOptions {
    /// Where the destination folder is served, e.g. "https://videos.example.com/v" (http(s)).
    std::string baseUrl;
    std::string repName; ///< who recorded it, under the message ("" : no line)
    /// Templates over the recipient's fields ({first_name|there}…), like the overlay's.
    std::string title = "A video for {first_name|you}";
    std::string message = "Hi {first_name|there}, I recorded this video just for you.";
    std::string ctaText = "Book a time with me";
    /// The button's address, a template (values URL-encoded); http(s) or mailto. "" : no button.
    std::string ctaUrl;
};

/// The options' problems, naming the option ("--cta-url \"javascript:…\": …").
Status checkPageOptions(const PageOptions &options);

/// The addresses of one recipient's page and its files under `baseUrl`.
struct PageLinks {
    std::string page; ///< …/TOKEN/ (the folder: index.html)
    std::string video;
    std::string poster;
    std::string gif;
};
PageLinks pageLinks(const std::string &baseUrl, const std::string &token);

/// 128 random bits as 32 lowercase hex digits (the kernel's random source).
Result<std::string> newPageToken();

/// The page's files inside its folder.
inline constexpr const char *kPageVideo = "video.mp4";
inline constexpr const char *kPagePoster = "poster.jpg";
inline constexpr const char *kPageGif = "preview.gif";
inline constexpr const char *kPageIndex = "index.html";

/// index.html for `recipient`; `width`×`height`: the video's size (0: unknown).
Result<std::string> landingPage(const Recipient &recipient, const PageOptions &options,
                                const PageLinks &links, int width, int height);

/// The link an email carries: the GIF, linking to the page, and a line of text (one line of
/// HTML, everything escaped).
std::string pageSnippet(const Recipient &recipient, const PageLinks &links);

} // namespace cuecard
