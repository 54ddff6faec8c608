// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/session/session.hpp"

#include <algorithm>
#include <set>

namespace cuecard {

const char *stateName(RecipientState state) {
    switch (state) {
    case RecipientState::Pending:
        return "pending";
    case RecipientState::Recorded:
        return "recorded";
    case RecipientState::Skipped:
        return "skipped";
    case RecipientState::RetakeRequested:
        return "retake";
    }
    return "pending";
}

bool parseStateName(std::string_view name, RecipientState &out) {
    for (auto s : {RecipientState::Pending, RecipientState::Recorded, RecipientState::Skipped,
                   RecipientState::RetakeRequested}) {
        if (name == stateName(s)) {
            out = s;
            return true;
        }
    }
    return false;
}

Session::Session(Queue queue) : queue_(std::move(queue)) {}

const Recipient *Session::current() const {
    return at(cursor_);
}

const Recipient *Session::at(int cursor) const {
    if (cursor < 0 || cursor >= static_cast<int>(queue_.recipients.size())) {
        return nullptr;
    }
    return &queue_.recipients[static_cast<std::size_t>(cursor)];
}

const Progress &Session::progress(const std::string &id) const {
    static const Progress kPending;
    auto it = progress_.find(id);
    return it == progress_.end() ? kPending : it->second;
}

SessionCounts Session::counts() const {
    SessionCounts c;
    c.total = static_cast<int>(queue_.recipients.size());
    for (const auto &r : queue_.recipients) {
        switch (stateOf(r)) {
        case RecipientState::Pending:
            ++c.pending;
            break;
        case RecipientState::Recorded:
            ++c.recorded;
            break;
        case RecipientState::Skipped:
            ++c.skipped;
            break;
        case RecipientState::RetakeRequested:
            ++c.retake;
            break;
        }
    }
    return c;
}

int Session::firstNotDone() const {
    for (std::size_t i = 0; i < queue_.recipients.size(); ++i) {
        const RecipientState s = stateOf(queue_.recipients[i]);
        if (s == RecipientState::Pending || s == RecipientState::RetakeRequested) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void Session::changed() {
    if (onChange_) {
        onChange_();
    }
}

Progress &Session::mutableProgress() {
    return progress_[current()->id];
}

bool Session::next() {
    if (cursor_ + 1 >= static_cast<int>(queue_.recipients.size())) {
        return false;
    }
    ++cursor_;
    changed();
    return true;
}

bool Session::previous() {
    if (cursor_ <= 0) {
        return false;
    }
    --cursor_;
    changed();
    return true;
}

bool Session::jumpTo(int index1Based) {
    if (index1Based < 1 || index1Based > static_cast<int>(queue_.recipients.size())) {
        return false;
    }
    cursor_ = index1Based - 1;
    changed();
    return true;
}

bool Session::jumpToId(std::string_view id) {
    for (std::size_t i = 0; i < queue_.recipients.size(); ++i) {
        if (queue_.recipients[i].id == id) {
            cursor_ = static_cast<int>(i);
            changed();
            return true;
        }
    }
    return false;
}

void Session::skip() {
    if (current() == nullptr) {
        return;
    }
    mutableProgress().state = RecipientState::Skipped;
    if (!next()) {
        changed();
    }
}

void Session::markDone() {
    if (current() == nullptr) {
        return;
    }
    mutableProgress().state = RecipientState::Recorded;
    if (!next()) {
        changed();
    }
}

void Session::retake() {
    if (current() == nullptr) {
        return;
    }
    mutableProgress().state = RecipientState::RetakeRequested;
    changed();
}

int Session::beginTake(std::string file, std::string startedAt) {
    if (current() == nullptr) {
        return 0;
    }
    Progress &p = mutableProgress();
    Take t;
    t.number = p.takes.empty() ? 1 : p.takes.back().number + 1;
    t.file = std::move(file);
    t.startedAt = std::move(startedAt);
    p.takes.push_back(std::move(t));
    changed();
    return p.takes.back().number;
}

void Session::endTake(std::string endedAt) {
    if (current() == nullptr) {
        return;
    }
    Progress &p = mutableProgress();
    if (!p.takes.empty()) {
        p.takes.back().endedAt = std::move(endedAt);
    }
    p.state = RecipientState::Recorded;
    changed();
}

bool Session::addTake(std::string_view id, Take take, bool recorded) {
    if (queue_.findById(id) == nullptr) {
        return false;
    }
    Progress &p = progress_[std::string(id)];
    for (const auto &t : p.takes) {
        if (t.file == take.file) {
            return false;
        }
    }
    p.takes.push_back(std::move(take));
    std::stable_sort(p.takes.begin(), p.takes.end(),
                     [](const Take &a, const Take &b) { return a.number < b.number; });
    if (recorded) {
        p.state = RecipientState::Recorded;
    }
    changed();
    return true;
}

ReloadReport Session::replaceQueue(Queue queue) {
    ReloadReport report;
    if (queue.recipients.empty()) {
        report.message = "kept the last good queue: " + queue.fatalMessage();
        return report;
    }
    const Recipient *old = current();
    const std::string oldId = old != nullptr ? old->id : std::string();
    const std::vector<std::pair<std::string, std::string>> oldFields =
        old != nullptr ? old->fields : std::vector<std::pair<std::string, std::string>>{};

    std::set<std::string> oldIds;
    for (const auto &r : queue_.recipients) {
        oldIds.insert(r.id);
    }
    std::set<std::string> newIds;
    for (const auto &r : queue.recipients) {
        newIds.insert(r.id);
        if (oldIds.count(r.id) == 0) {
            ++report.added;
        } else if (const Recipient *before = queue_.findById(r.id);
                   before != nullptr && before->fields != r.fields) {
            ++report.changed;
        }
    }
    for (const auto &id : oldIds) {
        report.removed += newIds.count(id) == 0 ? 1 : 0;
    }

    // Where the cursor goes: the same id, else the next old recipient that survived, else the
    // previous one, else the start.
    int newCursor = -1;
    if (newIds.count(oldId) != 0) {
        for (std::size_t i = 0; i < queue.recipients.size(); ++i) {
            if (queue.recipients[i].id == oldId) {
                newCursor = static_cast<int>(i);
            }
        }
    } else {
        report.currentRemoved = old != nullptr;
        const auto findNew = [&](const std::string &id) {
            for (std::size_t i = 0; i < queue.recipients.size(); ++i) {
                if (queue.recipients[i].id == id) {
                    return static_cast<int>(i);
                }
            }
            return -1;
        };
        for (std::size_t i = static_cast<std::size_t>(cursor_) + 1;
             i < queue_.recipients.size() && newCursor < 0; ++i) {
            newCursor = findNew(queue_.recipients[i].id);
        }
        for (int i = cursor_ - 1; i >= 0 && newCursor < 0; --i) {
            newCursor = findNew(queue_.recipients[static_cast<std::size_t>(i)].id);
        }
        newCursor = std::max(newCursor, 0);
    }
    queue_ = std::move(queue);
    cursor_ = newCursor;
    const Recipient *now = current();
    report.currentChanged = report.currentRemoved || (now != nullptr && now->fields != oldFields);
    report.applied = true;
    report.message = "queue reloaded: " + std::to_string(report.added) + " added, " +
                     std::to_string(report.removed) + " removed, " +
                     std::to_string(report.changed) + " changed";
    if (report.currentRemoved && now != nullptr) {
        report.message += "; the current recipient was removed, now at #" +
                          std::to_string(now->index) + " " + now->displayName();
    }
    changed();
    return report;
}

void Session::restore(std::map<std::string, Progress> progress, int cursor) {
    progress_ = std::move(progress);
    cursor_ = std::clamp(cursor, 0, std::max(0, static_cast<int>(queue_.recipients.size()) - 1));
}

} // namespace cuecard
