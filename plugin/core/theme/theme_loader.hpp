// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// What an overlay source's settings ask for (a theme, the rep's corners, a queue), loaded on a
/// thread of its own. OBS runs a video source's update() on its graphics thread: that callback
/// only hands the settings over (request() never waits on a load), and the graphics thread's
/// tick picks the finished theme up (take()). The newest settings win: settings asked for while
/// a load runs replace each other, and only the last of them is loaded next.

#include "core/theme/theme.hpp"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuecard {

/// A source's settings as OBS hands them over.
struct SourceSettings {
    std::string queuePath;
    std::string theme;   ///< a built-in name or a file; empty: "default"
    std::string corners; ///< "x,y x,y x,y x,y" for the theme's first group; empty: the theme's
    bool operator==(const SourceSettings &) const = default;
};

/// A theme loaded for a source, immutable once made.
struct LoadedTheme {
    SourceSettings settings;
    std::string themeName;              ///< settings.theme, or "default"
    std::shared_ptr<const Theme> theme; ///< null when it could not load
    std::string error;                  ///< why not, or what is wrong with the corners
    std::uint64_t generation = 0;       ///< the request this answers (1, 2, …)
};

/// The corners a source uses for `theme` (issue 31: corners belong to a theme). `quad` and
/// `quadTheme` are the corners last set and the theme they were set for; `savedForTheme` the
/// ones kept for `theme` when it was used before (empty: none). `quad` when it was set for this
/// theme (or names no theme: settings from before corners belonged to one), else the saved ones,
/// else "" (the theme's own placement).
std::string cornersFor(const std::string &theme, const std::string &quad,
                       const std::string &quadTheme, const std::string &savedForTheme);

/// Loads the theme and places the rep's corners on its first group: what update() did on the
/// graphics thread. A corner problem is an error next to a theme that still draws (unplaced).
LoadedTheme loadSourceTheme(const SourceSettings &settings,
                            const std::vector<std::filesystem::path> &dataDirs);

class ThemeLoader {
  public:
    /// `onLoaded` runs on the loader's thread after each load (publish to boards, open the
    /// queue); it must not call back into this loader.
    using OnLoaded = std::function<void(const LoadedTheme &)>;
    ThemeLoader(std::vector<std::filesystem::path> dataDirs, OnLoaded onLoaded = {});
    /// Lets a load that runs finish, drops the ones not started, joins.
    ~ThemeLoader();
    /// The same, before the owner takes apart what `onLoaded` uses; idempotent. request()
    /// after it is dropped.
    void stop();
    ThemeLoader(const ThemeLoader &) = delete;
    ThemeLoader &operator=(const ThemeLoader &) = delete;

    /// Never waits on a load. Returns the request's generation.
    std::uint64_t request(SourceSettings settings);
    /// The newest finished load not taken yet; nothing when there is none.
    std::optional<LoadedTheme> take();
    /// The newest finished load, taken or not (status lines, sizes); null before the first.
    std::shared_ptr<const LoadedTheme> latest() const;
    /// Waits until every request made so far is loaded (tests and tools; never an OBS thread).
    void drain();
    /// Built-in theme names, listed on the loader's thread at start and after each load (the
    /// properties dialog reads this instead of the data folder).
    std::vector<std::string> builtinNames() const;

  private:
    void run();
    std::vector<std::filesystem::path> dataDirs_;
    OnLoaded onLoaded_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable loaded_;
    std::optional<SourceSettings> pending_;
    std::uint64_t requested_ = 0;
    std::uint64_t done_ = 0;
    std::shared_ptr<const LoadedTheme> latest_;
    bool taken_ = true;
    std::vector<std::string> names_;
    bool stop_ = false;
    std::thread thread_; ///< last: starts once everything above is made
};

} // namespace cuecard
