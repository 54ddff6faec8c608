// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/theme_loader.hpp"

#include "core/util/homography.hpp"

#include <utility>

namespace cuecard {

std::string cornersFor(const std::string &theme, const std::string &quad,
                       const std::string &quadTheme, const std::string &savedForTheme) {
    const std::string name = theme.empty() ? "default" : theme;
    const std::string setFor = quadTheme.empty() ? name : quadTheme;
    if (setFor == name) {
        return quad;
    }
    return savedForTheme;
}

LoadedTheme loadSourceTheme(const SourceSettings &settings,
                            const std::vector<std::filesystem::path> &dataDirs) {
    LoadedTheme out;
    out.settings = settings;
    out.themeName = settings.theme.empty() ? "default" : settings.theme;
    auto theme = loadTheme(out.themeName, dataDirs);
    if (!theme) {
        out.error = theme.message();
        return out;
    }
    if (!settings.corners.empty()) {
        std::string why;
        if (auto quad = parseQuadText(settings.corners, &why); !quad) {
            out.error = "corners \"" + settings.corners + "\": " + why;
        } else if (Status placed = theme->placeFirstGroup(*quad); !placed) {
            out.error = placed.message();
        }
    }
    out.theme = std::make_shared<const Theme>(std::move(theme.value()));
    return out;
}

ThemeLoader::ThemeLoader(std::vector<std::filesystem::path> dataDirs, OnLoaded onLoaded)
    : dataDirs_(std::move(dataDirs)), onLoaded_(std::move(onLoaded)), thread_([this] { run(); }) {}

ThemeLoader::~ThemeLoader() {
    stop();
}

void ThemeLoader::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    loaded_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::uint64_t ThemeLoader::request(SourceSettings settings) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        pending_ = std::move(settings);
        generation = ++requested_;
    }
    wake_.notify_all();
    return generation;
}

std::optional<LoadedTheme> ThemeLoader::take() {
    std::lock_guard lock(mutex_);
    if (taken_ || !latest_) {
        return std::nullopt;
    }
    taken_ = true;
    return *latest_;
}

std::shared_ptr<const LoadedTheme> ThemeLoader::latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
}

void ThemeLoader::drain() {
    std::unique_lock lock(mutex_);
    const std::uint64_t want = requested_;
    loaded_.wait(lock, [&] { return done_ >= want || stop_; });
}

std::vector<std::string> ThemeLoader::builtinNames() const {
    std::lock_guard lock(mutex_);
    return names_;
}

void ThemeLoader::run() {
    {
        auto names = builtinThemeNames(dataDirs_);
        std::lock_guard lock(mutex_);
        names_ = std::move(names);
    }
    for (;;) {
        SourceSettings settings;
        std::uint64_t generation = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || pending_.has_value(); });
            if (stop_) {
                return;
            }
            settings = std::move(*pending_);
            pending_.reset();
            generation = requested_; // the pending settings are always the newest asked for
        }
        auto loaded = std::make_shared<LoadedTheme>(loadSourceTheme(settings, dataDirs_));
        loaded->generation = generation;
        auto names = builtinThemeNames(dataDirs_); // a theme file may have been added
        if (onLoaded_) {
            onLoaded_(*loaded);
        }
        {
            std::lock_guard lock(mutex_);
            names_ = std::move(names);
            latest_ = std::move(loaded);
            taken_ = false;
            done_ = generation;
        }
        loaded_.notify_all();
    }
}

} // namespace cuecard
