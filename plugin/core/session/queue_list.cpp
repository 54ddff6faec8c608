// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/queue_list.hpp"

#include "core/util/utf8.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

namespace cuecard {

QueueListRow listRowText(const Recipient &r) {
    QueueListRow row;
    row.name = r.displayName();
    row.company = std::string(r.get("company"));
    row.email = std::string(r.get("email"));
    row.folded = foldForSearch(row.name + " " + row.company + " " + row.email);
    return row;
}

void setListRowState(QueueListRow &row, const Session &session, std::size_t position) {
    const Recipient &r = session.queue().recipients[position];
    row.index = static_cast<int>(position) + 1;
    row.id = r.id;
    const Progress &p = session.progress(r.id);
    row.state = p.state;
    row.file = p.takes.empty() ? std::string() : p.takes.back().file;
    const Recipient *current = session.current();
    row.current = current != nullptr && current->id == r.id;
}

std::string foldForSearch(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&status);
    std::u32string in = utf8::decode(utf8);
    std::u16string u16;
    for (char32_t c : in) {
        if (c >= 0x10000) {
            const char32_t v = c - 0x10000;
            u16.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
            u16.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
        } else {
            u16.push_back(static_cast<char16_t>(c));
        }
    }
    std::u16string decomposed(u16.size() * 4 + 16, u'\0');
    int32_t length = 0;
    if (U_SUCCESS(status)) {
        length =
            unorm2_normalize(nfkd, u16.data(), static_cast<int32_t>(u16.size()), decomposed.data(),
                             static_cast<int32_t>(decomposed.size()), &status);
    }
    if (U_FAILURE(status)) {
        decomposed = u16; // no ICU data: case folding below still works on the text as is
        length = static_cast<int32_t>(u16.size());
    }
    std::u16string bare;
    for (int32_t i = 0; i < length;) {
        const int32_t at = i;
        UChar32 c = 0;
        U16_NEXT(decomposed.data(), i, length, c);
        if (u_charType(c) != U_NON_SPACING_MARK) { // drop the accent of a decomposed letter
            bare.append(decomposed.data() + at, static_cast<std::size_t>(i - at));
        }
    }
    // Full case folding: "Straße" matches "strasse".
    std::u16string folded(bare.size() * 3 + 16, u'\0');
    UErrorCode foldStatus = U_ZERO_ERROR;
    const int32_t foldedLength =
        u_strFoldCase(folded.data(), static_cast<int32_t>(folded.size()), bare.data(),
                      static_cast<int32_t>(bare.size()), U_FOLD_CASE_DEFAULT, &foldStatus);
    if (U_FAILURE(foldStatus)) {
        folded = bare;
    } else {
        folded.resize(static_cast<std::size_t>(foldedLength));
    }
    std::u32string out;
    for (int32_t i = 0; i < static_cast<int32_t>(folded.size());) {
        UChar32 c = 0;
        U16_NEXT(folded.data(), i, static_cast<int32_t>(folded.size()), c);
        out.push_back(static_cast<char32_t>(c));
    }
    return utf8::encode(out);
}

std::vector<std::size_t> searchRows(const std::vector<QueueListRow> &rows, std::string_view query,
                                    bool onlyProblems) {
    std::vector<std::string> words;
    const std::string folded = foldForSearch(query);
    std::size_t start = 0;
    while (start < folded.size()) {
        const std::size_t end = std::min(folded.find(' ', start), folded.size());
        if (end > start) {
            words.push_back(folded.substr(start, end - start));
        }
        start = end + 1;
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        bool all = !onlyProblems || !rows[i].problems.empty();
        for (const auto &w : words) {
            all = all && rows[i].folded.find(w) != std::string::npos;
        }
        if (all) {
            out.push_back(i);
        }
    }
    return out;
}

} // namespace cuecard
