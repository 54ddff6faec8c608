// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// One recipient's email as a draft for the rep to open, add a line to and send: To the
/// recipient, a subject and body from templates, the preview GIF inline (multipart/related,
/// cid:) linking to their page, and a plain-text part with the link. Values from the queue never
/// become a header or markup: names and subjects go out as RFC 2047 encoded words (no CR or LF
/// can survive), an address with anything but an address in it is refused, the HTML escapes
/// every value.

#include "core/publish/landing_page.hpp"
#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <string>

namespace cuecard {

struct DraftOptions {
    std::string from; ///< "Sam Rivera <sam@example.com>" ("" : the mail client's identity)
    std::string subject = "A video I made for you, {first_name|there}";
    std::string body = "Hi {first_name|there},\n\nI recorded a short video just for you. Click "
                       "the picture to watch it.";
    std::string signature; ///< a closing line or two ("Sam"), plain text
};

/// The options' problems, naming the option.
Status checkDraftOptions(const DraftOptions &options);

/// `<cuecard.TOKEN.takeN@cuecard.invalid>`: one per recipient (their page's token, not their
/// name) and take, so a rerun finds the draft it made.
std::string draftMessageId(const std::string &token, int take);
/// What every Message-ID of that recipient's drafts contains (any take).
std::string draftMessageIdPrefix(const std::string &token);

/// The whole message (CRLF line ends), ready for IMAP APPEND. `gif`: the preview's bytes.
Result<std::string> draftMessage(const Recipient &recipient, const DraftOptions &options,
                                 const PageLinks &links, const std::string &gif,
                                 const std::string &messageId, long long unixTime);

/// "=?UTF-8?B?…?=" words (folded when long); control characters become spaces first.
std::string encodedWords(const std::string &text);
/// Whether `address` is one plain address (local@domain, nothing a header could be built from).
bool plainAddress(const std::string &address);

} // namespace cuecard
