// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/session_journal.hpp"
#include "core/util/read_file.hpp"

#include "core/util/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace cuecard {
namespace {

using nlohmann::json;

/// Parses a journal; nullopt for anything that is not a well-formed version-1 journal.
std::optional<std::pair<std::map<std::string, Progress>, std::string>>
parseJournalUnchecked(const std::string &text, std::set<std::string> &queueIds) {
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_object() || doc.value("cuecard_session", 0) != 1 || !doc.contains("recipients") ||
        !doc["recipients"].is_object()) {
        return std::nullopt;
    }
    std::map<std::string, Progress> progress;
    for (const auto &[id, entry] : doc["recipients"].items()) {
        if (!entry.is_object() || !entry.contains("state") || !entry["state"].is_string()) {
            return std::nullopt;
        }
        Progress p;
        if (!parseStateName(entry["state"].get<std::string>(), p.state)) {
            return std::nullopt;
        }
        if (entry.contains("takes")) {
            if (!entry["takes"].is_array()) {
                return std::nullopt;
            }
            for (const auto &t : entry["takes"]) {
                if (!t.is_object() || !t.contains("number") || !t["number"].is_number_integer()) {
                    return std::nullopt;
                }
                Take take;
                take.number = t["number"].get<int>();
                take.file = t.value("file", "");
                take.startedAt = t.value("started_at", "");
                take.endedAt = t.value("ended_at", "");
                take.status = t.value("status", "complete");
                p.takes.push_back(std::move(take));
            }
        }
        progress.emplace(id, std::move(p));
    }
    if (doc.contains("queue") && doc["queue"].is_object() && doc["queue"].contains("ids") &&
        doc["queue"]["ids"].is_array()) {
        for (const auto &id : doc["queue"]["ids"]) {
            if (id.is_string()) {
                queueIds.insert(id.get<std::string>());
            }
        }
    }
    std::string cursorId = doc.value("cursor_id", "");
    return std::make_pair(std::move(progress), std::move(cursorId));
}

std::optional<std::pair<std::map<std::string, Progress>, std::string>>
parseJournal(const std::string &text, std::set<std::string> &queueIds) {
    try {
        // value() throws when a key holds the wrong type: that is a damaged journal too.
        return parseJournalUnchecked(text, queueIds);
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

} // namespace

SessionJournal::SessionJournal(std::filesystem::path folder)
    : folder_(std::move(folder)), path_(folder_ / kJournalFileName) {}

std::shared_ptr<const std::vector<std::string>> SessionJournal::queueIds(const Session &session) {
    auto ids = std::make_shared<std::vector<std::string>>();
    ids->reserve(session.queue().recipients.size());
    for (const auto &r : session.queue().recipients) {
        ids->push_back(r.id);
    }
    return ids;
}

SessionJournal::State SessionJournal::state(const Session &session,
                                            std::shared_ptr<const std::vector<std::string>> ids) {
    State s;
    s.source = session.queue().source;
    s.ids = ids ? std::move(ids) : queueIds(session);
    s.cursorId = session.current() != nullptr ? session.current()->id : "";
    s.progress = session.allProgress();
    return s;
}

std::string SessionJournal::serialize(const Session &session) {
    return serialize(state(session));
}

std::string SessionJournal::serialize(const State &state) {
    json doc;
    doc["cuecard_session"] = 1;
    doc["saved_at"] = utcIso8601();
    json ids = json::array();
    for (const auto &id : state.ids ? *state.ids : std::vector<std::string>{}) {
        ids.push_back(id);
    }
    doc["queue"] = {{"source", state.source}, {"ids", std::move(ids)}};
    doc["cursor_id"] = state.cursorId;
    json recipients = json::object();
    for (const auto &[id, p] : state.progress) {
        json takes = json::array();
        for (const auto &t : p.takes) {
            takes.push_back({{"number", t.number},
                             {"file", t.file},
                             {"started_at", t.startedAt},
                             {"ended_at", t.endedAt},
                             {"status", t.status}});
        }
        recipients[id] = {{"state", stateName(p.state)}, {"takes", std::move(takes)}};
    }
    doc["recipients"] = std::move(recipients);
    return doc.dump(2) + "\n";
}

Status SessionJournal::save(const Session &session) const {
    return writeFileAtomically(path_, serialize(session));
}

SessionJournal::File SessionJournal::read() const {
    File file;
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) {
        return file;
    }
    file.exists = true;
    file.text = readFile(path_).value_or("");
    return file;
}

ResumeReport SessionJournal::restore(Session &session) const {
    ResumeReport report = apply(session, read());
    setAsideIfAsked(report);
    return report;
}

void SessionJournal::setAsideIfAsked(ResumeReport &report) const {
    if (report.setAsideKind.empty()) {
        return;
    }
    auto moved = renameWithoutReplacing(
        path_, folder_ / ("cuecard-session." + report.setAsideKind + "-" + utcStamp() + ".json"));
    report.setAside = moved ? moved->string() : "";
    report.message += (moved ? "; it was kept as " + moved->filename().string()
                             : "; it could not be moved aside (" + moved.message() + ")") +
                      " and a new session started";
    report.setAsideKind.clear();
}

ResumeReport SessionJournal::apply(Session &session, const File &file) const {
    ResumeReport report;
    if (!file.exists) {
        report.message = "new session: " + std::to_string(session.counts().total) + " recipients";
        return report;
    }
    std::set<std::string> journalIds;
    auto parsed = parseJournal(file.text, journalIds);

    const auto setAside = [&](const std::string &kind, const std::string &why) {
        report.setAsideKind = kind;
        report.message = why;
    };
    if (!parsed) {
        setAside("corrupt", "the session journal " + path_.filename().string() +
                                " is damaged or not a Cuecard journal");
        return report;
    }
    auto &[progress, cursorId] = *parsed;
    // Another queue: none of the journal's recipients is in this one.
    bool overlap = false;
    for (const auto &r : session.queue().recipients) {
        overlap = overlap || journalIds.count(r.id) != 0 || progress.count(r.id) != 0;
    }
    if (!overlap && (!journalIds.empty() || !progress.empty())) {
        setAside("other-queue", "the session journal in this folder belongs to another queue");
        return report;
    }
    int missing = 0;
    for (const auto &[id, p] : progress) {
        (void)p;
        missing += session.queue().findById(id) == nullptr ? 1 : 0;
    }
    session.restore(std::move(progress), 0);
    int cursor = session.firstNotDone();
    if (cursor < 0) {
        // Everyone is done: stay where the rep was.
        session.jumpToId(cursorId);
    } else {
        session.jumpTo(cursor + 1);
    }
    report.resumed = true;
    const SessionCounts c = session.counts();
    std::ostringstream msg;
    msg << "resumed: " << c.recorded << " recorded, " << c.skipped << " skipped, "
        << (c.pending + c.retake) << " to go of " << c.total;
    if (const Recipient *r = session.current(); r != nullptr) {
        msg << (cursor < 0 ? "; everyone is done, at #" : "; continuing at #") << r->index << " "
            << r->displayName();
    }
    if (missing > 0) {
        msg << " (" << missing << " recipient(s) in the journal are no longer in the queue)";
    }
    report.message = msg.str();
    return report;
}

} // namespace cuecard
