#pragma once
/// \file
/// Theme text with recipient fields: "{full_name}", "{title|Your team}" (fallback when the
/// field is missing or empty), "{{" and "}}" for literal braces. Values are inserted as plain
/// text: nothing in a CRM field can change the layout.

#include "core/queue/recipient.hpp"
#include "core/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

class TextTemplate {
  public:
    struct Segment {
        bool isField = false;
        std::string text; ///< literal text, or the field name
        bool hasFallback = false;
        std::string fallback; ///< used when the field is missing or empty
    };

    /// Parses the template; errors give the 1-based character position.
    static Result<TextTemplate> parse(std::string_view text);

    /// Checks every field against the queue's columns. A field with a fallback may be absent
    /// from the queue (the fallback shows); one without is an error naming the field and the
    /// fields the queue has.
    Status check(const std::vector<std::string> &columns) const;

    std::string expand(const Recipient &recipient) const;

    /// True when some field in the template was empty or missing for this recipient and the
    /// fallback (or nothing) was used instead.
    bool usesFallback(const Recipient &recipient) const;

    const std::vector<Segment> &segments() const { return segments_; }
    const std::string &source() const { return source_; }

  private:
    std::string source_;
    std::vector<Segment> segments_;
};

} // namespace cuecard
