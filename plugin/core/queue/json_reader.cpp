#include "core/queue/json_reader.hpp"

#include "core/util/utf8.hpp"

#include <nlohmann/json.hpp>

namespace cuecard {
Result<Queue> parseJsonQueue(std::string_view text, std::string source) {
    text = utf8::stripBom(text);
    if (auto bad = utf8::findInvalid(text)) {
        return makeError(source + " line " + std::to_string(utf8::lineOfOffset(text, *bad)) +
                         ": the file is not UTF-8; save it as UTF-8");
    }
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error &e) {
        const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
        std::string what = e.what();
        if (auto p = what.find("parse error"); p != std::string::npos) {
            what = what.substr(p);
        }
        return makeError(source + " line " + std::to_string(utf8::lineOfOffset(text, at)) +
                         ": invalid JSON (" + what + ")");
    }

    const nlohmann::json *list = &doc;
    if (doc.is_object()) {
        auto it = doc.find("recipients");
        if (it == doc.end() || !it->is_array()) {
            return makeError(source + ": expected an array of recipients, or an object with a "
                                      "\"recipients\" array");
        }
        list = &*it;
    } else if (!doc.is_array()) {
        return makeError(source + ": expected an array of recipients, or an object with a "
                                  "\"recipients\" array");
    }
    if (list->empty()) {
        return makeError(source + ": the recipient list is empty");
    }

    Queue queue;
    queue.source = std::move(source);
    int index = 0;
    for (const auto &item : *list) {
        ++index;
        if (!item.is_object()) {
            queue.warnings.push_back(
                {0, "recipient " + std::to_string(index) + " is not an object; skipped"});
            continue;
        }
        Recipient r;
        for (const auto &[key, value] : item.items()) {
            const std::string name = normalizeFieldName(key);
            if (name.empty()) {
                continue;
            }
            std::string text_value;
            if (value.is_string()) {
                text_value = value.get<std::string>();
            } else if (value.is_number_integer()) {
                text_value = std::to_string(value.get<long long>());
            } else if (value.is_number()) {
                text_value = value.dump();
            } else if (value.is_boolean()) {
                text_value = value.get<bool>() ? "true" : "false";
            } else if (value.is_null()) {
                text_value.clear();
            } else {
                queue.warnings.push_back({0, "recipient " + std::to_string(index) + " field \"" +
                                                 key + "\" is not text; ignored"});
                continue;
            }
            r.set(name, std::move(text_value));
            bool known = false;
            for (const auto &c : queue.columns) {
                known = known || c == name;
            }
            if (!known) {
                queue.columns.push_back(name);
            }
        }
        queue.recipients.push_back(std::move(r));
    }
    finalizeQueue(queue);
    if (queue.recipients.empty()) {
        return makeError(queue.source + ": no usable recipients");
    }
    return queue;
}

} // namespace cuecard
