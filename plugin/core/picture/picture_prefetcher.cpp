// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/picture/picture_prefetcher.hpp"

#include <algorithm>

namespace cuecard {

std::string PrepareProgress::summary(std::size_t lines) const {
    std::string text =
        "Pictures: " + std::to_string(prepared) + " of " + std::to_string(total) + " prepared";
    text += running() ? "…" : "";
    if (withProblems > 0) {
        text += " · " + std::to_string(withProblems) + " with problems:";
    }
    for (std::size_t i = 0; i < problems.size() && i < lines; ++i) {
        text += "\n" + problems[i];
    }
    if (problems.size() > lines) {
        text += "\n… " + std::to_string(problems.size() - lines) + " more (hover, or OBS's log)";
    }
    return text;
}

PicturePrefetcher::PicturePrefetcher(PictureLoaderOptions options, std::size_t keep)
    : loader_(std::move(options)), keep_(std::max<std::size_t>(keep, 2)),
      thread_([this] { run(); }) {}

PicturePrefetcher::~PicturePrefetcher() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PicturePrefetcher::reset(std::shared_ptr<const Theme> theme,
                              std::filesystem::path queueFolder) {
    {
        std::lock_guard lock(mutex_);
        const bool pictures = theme && theme->hasPictures();
        theme_ = pictures ? std::move(theme) : nullptr;
        queueFolder_ = std::move(queueFolder);
        ++epoch_;
        queue_.clear();
        ready_.clear();
        order_.clear();
        fallbacks_.reset();
        fallbacksDue_ = pictures;
        queueFetch_ = nullptr;
        background_.clear();
        queueIds_.clear();
        preparedIds_.clear();
        problems_.clear();
        progress_ = PrepareProgress{};
    }
    wake_.notify_all();
}

void PicturePrefetcher::prepareAll(std::function<std::vector<Recipient>()> queue) {
    {
        std::lock_guard lock(mutex_);
        if (!theme_) {
            return;
        }
        queueFetch_ = std::move(queue);
    }
    wake_.notify_all();
}

PrepareProgress PicturePrefetcher::progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
}

void PicturePrefetcher::setOnProgress(std::function<void(const PrepareProgress &)> onProgress) {
    std::lock_guard lock(callbackMutex_); // once this returns, no older callback is running
    onProgress_ = std::move(onProgress);
}

void PicturePrefetcher::countPreparedLocked(const Recipient &recipient,
                                            const RecipientPictures &pictures) {
    if (queueIds_.count(recipient.id) == 0 || !preparedIds_.insert(recipient.id).second) {
        return;
    }
    ++progress_.prepared;
    if (!pictures.notes.empty()) {
        ++progress_.withProblems;
    }
    for (const auto &note : pictures.notes) {
        std::string line =
            "#" + std::to_string(recipient.index) + " " + recipient.displayName() + ": " + note;
        if (progress_.problems.size() < PrepareProgress::kMaxProblems) {
            progress_.problems.push_back(line);
        }
        progress_.notesById[recipient.id].push_back(note);
        problems_.push_back({recipient.id, std::move(line), note});
    }
}

void PicturePrefetcher::want(const std::vector<Recipient> &recipients) {
    {
        std::lock_guard lock(mutex_);
        if (!theme_) {
            return;
        }
        for (auto it = recipients.rbegin(); it != recipients.rend(); ++it) {
            if (ready_.count(it->id) != 0) {
                continue;
            }
            std::erase_if(queue_, [&](const Recipient &r) { return r.id == it->id; });
            queue_.push_front(*it); // the first asked for comes first
        }
    }
    wake_.notify_all();
}

std::shared_ptr<const RecipientPictures>
PicturePrefetcher::ready(const Recipient &recipient) const {
    std::lock_guard lock(mutex_);
    if (!theme_) {
        return nullptr;
    }
    if (auto it = ready_.find(recipient.id); it != ready_.end()) {
        return it->second;
    }
    RecipientPictures fallback;
    if (fallbacks_) {
        fallback = *fallbacks_;
    }
    std::string note = "pictures of ";
    note.append(recipient.displayName());
    note.append(" were not ready in time: the theme's fallbacks are shown");
    fallback.notes.push_back(std::move(note));
    fallback.complete = false;
    return std::make_shared<const RecipientPictures>(std::move(fallback));
}

bool PicturePrefetcher::idleLocked() const {
    return queue_.empty() && !busy_ && !fallbacksDue_ && !queueFetch_ && background_.empty();
}

bool PicturePrefetcher::idle() const {
    std::lock_guard lock(mutex_);
    return idleLocked();
}

void PicturePrefetcher::waitIdle() const {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return idleLocked(); });
}

void PicturePrefetcher::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] {
            return stop_ || fallbacksDue_ || !queue_.empty() || queueFetch_ || !background_.empty();
        });
        if (stop_) {
            return;
        }
        const std::uint64_t epoch = epoch_;
        const std::shared_ptr<const Theme> theme = theme_;
        const std::filesystem::path folder = queueFolder_;
        busy_ = true;
        bool published = false;
        if (fallbacksDue_) {
            fallbacksDue_ = false;
            lock.unlock();
            // Nobody's values: every element gets its fallback (or nothing).
            auto pictures = std::make_shared<const RecipientPictures>(
                loadRecipientPictures(*theme, Recipient{}, folder, loader_));
            lock.lock();
            if (epoch == epoch_) {
                fallbacks_ = std::move(pictures);
            }
        } else if (!queue_.empty()) {
            const Recipient recipient = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            auto pictures = std::make_shared<const RecipientPictures>(
                loadRecipientPictures(*theme, recipient, folder, loader_)); // disk, network
            lock.lock();
            if (epoch == epoch_) {
                const std::size_t before = progress_.prepared;
                countPreparedLocked(recipient, *pictures);
                published = progress_.prepared != before;
                ready_[recipient.id] = std::move(pictures);
                std::erase(order_, recipient.id);
                order_.push_back(recipient.id);
                while (order_.size() > keep_) {
                    ready_.erase(order_.front());
                    order_.pop_front();
                }
            }
        } else if (queueFetch_) {
            auto fetch = std::move(queueFetch_);
            queueFetch_ = nullptr;
            lock.unlock();
            std::vector<Recipient> all = fetch(); // the hub's copy, on this thread
            lock.lock();
            if (epoch == epoch_) {
                // A new or reloaded queue: who was prepared already still counts.
                queueIds_.clear();
                background_.clear();
                for (auto &r : all) {
                    queueIds_.insert(r.id);
                }
                std::erase_if(preparedIds_,
                              [&](const std::string &id) { return queueIds_.count(id) == 0; });
                std::erase_if(problems_,
                              [&](const Problem &p) { return queueIds_.count(p.id) == 0; });
                progress_ = PrepareProgress{};
                progress_.total = queueIds_.size();
                std::set<std::string> troubled;
                for (const Problem &p : problems_) {
                    troubled.insert(p.id);
                    progress_.notesById[p.id].push_back(p.note);
                    if (progress_.problems.size() < PrepareProgress::kMaxProblems) {
                        progress_.problems.push_back(p.line);
                    }
                }
                progress_.withProblems = troubled.size();
                for (auto &r : all) {
                    if (preparedIds_.count(r.id) == 0) {
                        background_.push_back(std::move(r));
                    }
                }
                progress_.prepared = preparedIds_.size();
                published = true;
            }
        } else {
            const Recipient recipient = std::move(background_.front());
            background_.pop_front();
            if (preparedIds_.count(recipient.id) == 0) {
                lock.unlock();
                // Fetched, captured and decoded into the disk cache; not kept in memory.
                const RecipientPictures pictures =
                    loadRecipientPictures(*theme, recipient, folder, loader_);
                lock.lock();
                if (epoch == epoch_) {
                    countPreparedLocked(recipient, pictures);
                    published = true;
                }
            }
        }
        busy_ = false;
        if (published) {
            const PrepareProgress snapshot = progress_;
            lock.unlock();
            {
                std::lock_guard callback(callbackMutex_);
                if (onProgress_) {
                    onProgress_(snapshot);
                }
            }
            lock.lock();
        }
        if (idleLocked()) {
            idle_.notify_all();
        }
    }
}

} // namespace cuecard
