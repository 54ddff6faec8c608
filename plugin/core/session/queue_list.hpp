// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The queue as the dock lists it: one row per recipient (position, name, company, e-mail,
/// state, the file of their last take), and search as a rep types it: every word of the query
/// must appear in the name, company or e-mail, with case and accents folded ("zoe mull" finds
/// "Zoë Müller"), so "the other John" is two keystrokes away.

#include "core/session/session.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cuecard {

struct QueueListRow {
    int index = 0; ///< 1-based position in the queue
    std::string id;
    std::string name;
    std::string company;
    std::string email;
    RecipientState state = RecipientState::Pending;
    std::string file; ///< the last take's file ("" when none)
    bool current = false;
    bool recording = false; ///< their file is being written now (set by the recorder's owner)
    std::string folded;     ///< name, company and e-mail folded for search
    /// What to fix before recording them (pre-flight warnings and errors, picture problems),
    /// and what is only worth knowing (shrunk to fit, an empty column): see attachChecks.
    std::vector<std::string> problems;
    std::vector<std::string> notes;

    bool operator==(const QueueListRow &) const = default;
};

/// What a row takes from the recipient alone: name, company, e-mail and their folded form
/// (ICU: slow for a big queue; the hub builds it once per queue, outside its lock).
QueueListRow listRowText(const Recipient &recipient);
/// What it takes from the session (position, id, state, last file, current), into `row`:
/// quick, done under the hub's lock.
void setListRowState(QueueListRow &row, const Session &session, std::size_t position);

/// Lowercase, accents and other marks removed, compatibility forms unified (ICU: NFKD, drop
/// nonspacing marks, case fold): "Zoë MÜLLER" → "zoe muller".
std::string foldForSearch(std::string_view utf8);

/// Positions (0-based, in `rows`) of the rows matching every word of `query` (all rows for an
/// empty query), and with `onlyProblems`, only rows with a problem.
std::vector<std::size_t> searchRows(const std::vector<QueueListRow> &rows, std::string_view query,
                                    bool onlyProblems = false);

} // namespace cuecard
