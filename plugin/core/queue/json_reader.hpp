#pragma once
/// \file
/// JSON queues: an array of objects, or an object with a "recipients" array. String, number and
/// boolean values become text; null is empty; nested values are reported and skipped.

#include "core/queue/queue.hpp"
#include "core/util/result.hpp"

#include <string>
#include <string_view>

namespace cuecard {

Result<Queue> parseJsonQueue(std::string_view text, std::string source);

} // namespace cuecard
