// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The pre-flight of a whole queue, for the dock's rows: every recipient checked against every
/// theme in use (text cut or shrunk to fit, an empty column, a character no font has), on a
/// thread of its own with fonts of its own, so OBS's UI and graphics threads never shape text
/// for it. A queue that is opened or reloaded, or a theme that changes, starts the run again
/// (an older run stops at its next recipient). Results are published as they come: the dock
/// reads `results()` (a shared pointer: no copy, no lock held while it reads).
///
/// Pictures are not checked here: the picture prefetcher already loads every one and keeps its
/// notes by recipient (PrepareProgress::notesById); attachChecks puts both into the rows.

#include "core/session/queue_list.hpp"
#include "core/stage/preflight.hpp"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

struct PreflightResults {
    std::uint64_t serial = 0; ///< changes with every publish
    std::size_t total = 0;    ///< recipients in the queue being checked
    std::size_t checked = 0;  ///< of those, checked against every theme
    /// Lines by recipient id; only recipients with at least one line.
    std::map<std::string, std::vector<PreflightLine>> byId;
    /// Which columns each theme in use puts on camera and which stay private (one line per
    /// theme, "[name] " in front when there are several; then ColumnRoles::advice lines).
    std::vector<std::string> columnRoles;
    bool running() const { return checked < total; }
};

class PreflightRunner {
  public:
    struct QueueData {
        std::vector<std::string> columns;
        std::vector<Recipient> recipients;
    };
    /// Copies the queue (the hub's); called on the runner's thread.
    using QueueFetch = std::function<std::optional<QueueData>()>;

    explicit PreflightRunner(std::vector<std::filesystem::path> fontDirs);
    ~PreflightRunner();
    PreflightRunner(const PreflightRunner &) = delete;
    PreflightRunner &operator=(const PreflightRunner &) = delete;

    /// The theme `key` (a source) draws with, by the name a rep knows it by; null removes it.
    void setTheme(const void *key, std::shared_ptr<const Theme> theme, std::string name);
    void removeTheme(const void *key) { setTheme(key, nullptr, {}); }
    /// The queue is at `version` (SessionHub::FrameState::queueVersion): when that is new, the
    /// queue is read again through `fetch` and checked. Cheap when nothing changed: call it on
    /// a timer.
    void queueChanged(std::uint64_t version, QueueFetch fetch);

    std::shared_ptr<const PreflightResults> results() const;
    /// Waits until nothing is left to check (tests, the CLI; never OBS's threads).
    void waitIdle() const;
    /// Why no text could be checked (the fonts could not load); "" normally.
    std::string error() const;

  private:
    void run();

    std::vector<std::filesystem::path> fontDirs_;
    mutable std::mutex mutex_;
    mutable std::condition_variable wake_;
    mutable std::condition_variable idle_;
    struct NamedTheme {
        std::shared_ptr<const Theme> theme;
        std::string name;
    };
    std::map<const void *, NamedTheme> themes_;
    std::uint64_t queueVersion_ = 0;
    QueueFetch fetch_;
    std::uint64_t wanted_ = 0; ///< bumped by every change
    std::uint64_t done_ = 0;   ///< the change the last finished run saw
    bool busy_ = false;
    bool stop_ = false;
    std::string error_;
    std::shared_ptr<const PreflightResults> results_;
    std::thread thread_;
};

/// Puts the pre-flight into the dock's rows: warnings and errors (and picture notes, by id)
/// become `problems`, notes become `notes`. Either map may be null.
void attachChecks(std::vector<QueueListRow> &rows, const PreflightResults *checks,
                  const std::map<std::string, std::vector<std::string>> *pictureNotes);

/// A pre-flight line in a few words for a row: "cut to fit", "no font has U+1FAE9",
/// "picture: HTTP 404; fallback used".
std::string problemLabel(const std::string &line);

/// What the rep can do about a pre-flight or picture line, in a sentence ("" for a note that
/// needs nothing): the dock puts it under the line in the row's tooltip.
std::string problemFix(const std::string &line);

} // namespace cuecard
