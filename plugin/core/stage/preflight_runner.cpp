// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stage/preflight_runner.hpp"

#include "core/text/font_collection.hpp"
#include "core/text/glyph_cache.hpp"
#include "core/theme/column_roles.hpp"

#include <chrono>
#include <set>

namespace cuecard {

PreflightRunner::PreflightRunner(std::vector<std::filesystem::path> fontDirs)
    : fontDirs_(std::move(fontDirs)), results_(std::make_shared<const PreflightResults>()),
      thread_([this] { run(); }) {}

PreflightRunner::~PreflightRunner() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PreflightRunner::setTheme(const void *key, std::shared_ptr<const Theme> theme,
                               std::string name) {
    {
        std::lock_guard lock(mutex_);
        auto it = themes_.find(key);
        if (!theme) {
            if (it == themes_.end()) {
                return;
            }
            themes_.erase(it);
        } else {
            if (it != themes_.end() && it->second.theme == theme && it->second.name == name) {
                return;
            }
            themes_[key] = NamedTheme{std::move(theme), std::move(name)};
        }
        ++wanted_;
    }
    wake_.notify_all();
}

void PreflightRunner::queueChanged(std::uint64_t version, QueueFetch fetch) {
    {
        std::lock_guard lock(mutex_);
        if (fetch_ && version == queueVersion_) {
            return;
        }
        queueVersion_ = version;
        fetch_ = std::move(fetch);
        ++wanted_;
    }
    wake_.notify_all();
}

std::shared_ptr<const PreflightResults> PreflightRunner::results() const {
    std::lock_guard lock(mutex_);
    return results_;
}

void PreflightRunner::waitIdle() const {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return stop_ || (!busy_ && wanted_ == done_); });
}

std::string PreflightRunner::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void PreflightRunner::run() {
    // Fonts of its own: shaping here never waits on (or for) a source's worker.
    std::unique_ptr<FontCollection> fonts;
    std::unique_ptr<GlyphCache> glyphs;
    std::unique_ptr<OverlayComposer> composer;
    std::uint64_t serial = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || wanted_ != done_; });
        if (stop_) {
            return;
        }
        const std::uint64_t change = wanted_;
        const auto themes = themes_;
        const QueueFetch fetch = fetch_;
        std::shared_ptr<const PreflightResults> previous = results_;
        busy_ = true;
        lock.unlock();

        std::string error;
        std::optional<QueueData> queue;
        try {
            if (fetch) {
                queue = fetch();
            }
            if (!fonts && queue && !themes.empty()) {
                auto created = FontCollection::create(fontDirs_);
                if (!created) {
                    error = "pre-flight: " + created.message();
                } else {
                    fonts = std::move(created.value());
                    glyphs = std::make_unique<GlyphCache>(*fonts);
                    composer = std::make_unique<OverlayComposer>(*fonts, *glyphs);
                }
            }
        } catch (const std::exception &ex) {
            error = std::string("pre-flight: ") + ex.what();
        }

        // Rows not checked yet in this run keep what the last run found (no flicker while a
        // reloaded queue is checked again); rows gone from the queue are dropped.
        PreflightResults working;
        std::vector<Recipient> recipients;
        Queue columnsOnly;
        if (queue) {
            recipients = std::move(queue->recipients);
            columnsOnly.columns = std::move(queue->columns);
        }
        working.total = recipients.size();
        std::set<std::string> ids;
        for (const auto &r : recipients) {
            ids.insert(r.id);
        }
        for (const auto &[id, lines] : previous->byId) {
            if (ids.count(id) != 0) {
                working.byId[id] = lines;
            }
        }
        // Distinct themes (two sources with the same theme are checked once).
        std::vector<NamedTheme> distinct;
        for (const auto &[key, named] : themes) {
            (void)key;
            bool seen = false;
            for (const auto &d : distinct) {
                seen = seen || d.name == named.name;
            }
            if (!seen) {
                distinct.push_back(named);
            }
        }
        for (const auto &named : distinct) {
            const ColumnRoles roles = columnRoles(*named.theme, columnsOnly.columns);
            const std::string prefix = distinct.size() > 1 ? "[" + named.name + "] " : "";
            working.columnRoles.push_back(prefix + roles.describe());
            for (const auto &advice : roles.advice) {
                working.columnRoles.push_back(prefix + advice);
            }
        }
        const auto publish = [&] {
            auto out = std::make_shared<PreflightResults>(working);
            out->serial = ++serial;
            std::lock_guard published(mutex_);
            results_ = std::move(out);
        };
        bool stopped = false;
        auto lastPublish = std::chrono::steady_clock::now();
        for (const auto &r : recipients) {
            {
                std::lock_guard check(mutex_);
                if (stop_ || wanted_ != change) {
                    stopped = true; // something changed: start again from the top
                    break;
                }
            }
            std::vector<PreflightLine> lines;
            if (composer) {
                for (const auto &named : distinct) {
                    try {
                        for (auto &line : preflightRecipient(*named.theme, r, columnsOnly,
                                                             *composer, nullptr, {})) {
                            if (distinct.size() > 1) {
                                line.text = "[" + named.name + "] " + line.text;
                            }
                            lines.push_back(std::move(line));
                        }
                    } catch (const std::exception &ex) {
                        lines.push_back({PreflightLine::Level::Error,
                                         std::string("error: pre-flight failed: ") + ex.what()});
                    }
                }
            }
            if (lines.empty()) {
                working.byId.erase(r.id);
            } else {
                working.byId[r.id] = std::move(lines);
            }
            ++working.checked;
            if (std::chrono::steady_clock::now() - lastPublish > std::chrono::milliseconds(200)) {
                publish();
                lastPublish = std::chrono::steady_clock::now();
            }
        }
        if (!stopped) {
            working.checked = working.total;
            publish();
        }
        lock.lock();
        error_ = error;
        if (!stopped) {
            done_ = change;
        }
        busy_ = false;
        idle_.notify_all();
    }
}

void attachChecks(std::vector<QueueListRow> &rows, const PreflightResults *checks,
                  const std::map<std::string, std::vector<std::string>> *pictureNotes) {
    for (QueueListRow &row : rows) {
        row.problems.clear();
        row.notes.clear();
        if (checks != nullptr) {
            if (auto it = checks->byId.find(row.id); it != checks->byId.end()) {
                for (const PreflightLine &line : it->second) {
                    (line.level == PreflightLine::Level::Note ? row.notes : row.problems)
                        .push_back(line.text);
                }
            }
        }
        if (pictureNotes != nullptr) {
            if (auto it = pictureNotes->find(row.id); it != pictureNotes->end()) {
                for (const std::string &note : it->second) {
                    row.problems.push_back("warning: picture " + note);
                }
            }
        }
    }
}

std::string problemLabel(const std::string &line) {
    std::string_view s = line;
    if (!s.empty() && s.front() == '[') { // "[theme] " of a queue drawn with several themes
        if (const auto end = s.find("] "); end != std::string_view::npos) {
            s.remove_prefix(end + 2);
        }
    }
    for (std::string_view prefix : {"warning: ", "error: ", "note: "}) {
        if (s.substr(0, prefix.size()) == prefix) {
            s.remove_prefix(prefix.size());
            break;
        }
    }
    if (s.substr(0, 8) == "picture ") {
        const auto last = s.rfind(": ");
        return "picture: " +
               std::string(last == std::string_view::npos ? s.substr(8) : s.substr(last + 2));
    }
    if (s.substr(0, 21) == "no installed font has") {
        const auto end = s.find(" (");
        return "no font has" +
               std::string(
                   s.substr(21, end == std::string_view::npos ? std::string_view::npos : end - 21));
    }
    const auto colon = s.find(": ");
    std::string out(colon == std::string_view::npos ? s : s.substr(0, colon));
    if (out.size() > 48) {
        std::size_t cut = 47;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut; // never inside a character
        }
        out = out.substr(0, cut) + "…";
    }
    return out;
}

std::string problemFix(const std::string &line) {
    const auto has = [&line](std::string_view part) {
        return line.find(part) != std::string::npos;
    };
    if (has("cut to fit")) {
        return "Shorten this value in the queue (the file reloads by itself), or choose a theme "
               "with more room.";
    }
    if (has("shows nothing")) {
        return "Fill in that column for this person, or give the theme a fallback such as "
               "{talking_points|Made for you}.";
    }
    if (has("no installed font has")) {
        return "Install a font that has these characters (for most scripts and emoji: the Noto "
               "fonts), then reload the queue.";
    }
    if (has("loopback address") || has("private address") || has("your own network") ||
        has("rep's network")) {
        return "This address is on your own computer or network: use a public address, or turn "
               "on \"Load pictures from my own network\" if your team keeps pictures there.";
    }
    if (has("elements[")) { // a picture
        if (has("empty for this recipient")) {
            return "Fill in the picture's column for this person, or leave it: the element is "
                   "left out.";
        }
        return "Check the picture's address or file in the queue; until it loads, " +
               std::string(has("fallback used") ? "the theme's fallback is drawn."
                                                : "the element is left out.");
    }
    if (line.starts_with("error: ") || line.find("] error: ") != std::string::npos) {
        return "Fix this row in the queue file; the file reloads by itself.";
    }
    return {};
}

} // namespace cuecard
