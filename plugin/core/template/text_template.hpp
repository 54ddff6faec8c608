// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Theme text with recipient fields:
///   {full_name}               the field
///   {title|Your team}         a fallback when the field is missing or empty
///   {company|upper}           a filter: upper, lower, title (Title Case), first (first word)
///   {full_name|first|Friend}  filters and a fallback together (the fallback is filtered too)
///   {title|"upper"}           a quoted fallback is always text, even when it spells a filter
///   {index:03}                zero-padded to 3 digits
///   {{ and }}                 literal braces
///   {first_name}              the first_name column; for a row without one, the first word of
///                             full_name (so "Hi {first_name|there}" greets "María José" by both
///                             names when the CRM has them, and "Jane Doe" as "Jane")
/// Values are inserted as plain text: nothing in a CRM field can change the layout.

#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cuecard {

enum class TextFilter { Upper, Lower, Title, First };

/// Values that are not queue columns (index, take…), looked up before the recipient's fields.
using TemplateExtras = std::vector<std::pair<std::string, std::string>>;

class TextTemplate {
  public:
    struct Segment {
        bool isField = false;
        std::string text; ///< literal text, or the field name
        bool hasFallback = false;
        std::string fallback; ///< used when the field is missing or empty
        std::vector<TextFilter> filters;
        int zeroPad = 0; ///< from ":03"
    };

    /// Parses the template; errors give the 1-based character position.
    static Result<TextTemplate> parse(std::string_view text);

    /// Checks every field against the queue's columns (and `extraNames`). A field with a
    /// fallback may be absent from the queue (the fallback shows); one without is an error
    /// naming the field and the fields the queue has.
    Status check(const std::vector<std::string> &columns,
                 const std::vector<std::string> &extraNames = {}) const;

    /// Fails when the template names a private field (the rep's `notes`, or one of its
    /// aliases: see privateFieldOf), saying which on-camera field to use instead. Everything a
    /// template expands to can reach a recipient (a video, a file name), so themes and file
    /// names are checked with this when they are loaded.
    Status checkNotPrivate() const;

    std::string expand(const Recipient &recipient, const TemplateExtras &extras = {}) const;

    /// True when some field in the template was empty or missing for this recipient and the
    /// fallback (or nothing) was used instead.
    bool usesFallback(const Recipient &recipient) const;

    const std::vector<Segment> &segments() const { return segments_; }
    const std::string &source() const { return source_; }

  private:
    std::string source_;
    std::vector<Segment> segments_;
};

/// The value a template shows for `field`: the row's own value; a field named by a CRM's word for
/// a canonical field ({job_title}, {talking_point}) is that field's; an empty or missing
/// first_name is the first word of full_name.
std::string fieldValue(const Recipient &recipient, std::string_view field);

/// True when the queue's columns give `field` a value: the column itself, the canonical field it
/// is an alias of, or full_name for first_name.
bool queueProvides(const std::vector<std::string> &columns, std::string_view field);

/// Applies a filter to UTF-8 text (Unicode case mapping: "zoë" → "ZOË").
std::string applyFilter(TextFilter filter, std::string_view text);

} // namespace cuecard
