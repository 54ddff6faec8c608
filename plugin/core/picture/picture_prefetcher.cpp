#include "core/picture/picture_prefetcher.hpp"

#include <algorithm>

namespace cuecard {

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
    }
    wake_.notify_all();
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

bool PicturePrefetcher::idle() const {
    std::lock_guard lock(mutex_);
    return queue_.empty() && !busy_ && !fallbacksDue_;
}

void PicturePrefetcher::waitIdle() const {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_ && !fallbacksDue_; });
}

void PicturePrefetcher::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || fallbacksDue_ || !queue_.empty(); });
        if (stop_) {
            return;
        }
        const std::uint64_t epoch = epoch_;
        const std::shared_ptr<const Theme> theme = theme_;
        const std::filesystem::path folder = queueFolder_;
        busy_ = true;
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
        } else {
            const Recipient recipient = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            auto pictures = std::make_shared<const RecipientPictures>(
                loadRecipientPictures(*theme, recipient, folder, loader_)); // disk, network
            lock.lock();
            if (epoch == epoch_) {
                ready_[recipient.id] = std::move(pictures);
                std::erase(order_, recipient.id);
                order_.push_back(recipient.id);
                while (order_.size() > keep_) {
                    ready_.erase(order_.front());
                    order_.pop_front();
                }
            }
        }
        busy_ = false;
        if (queue_.empty() && !fallbacksDue_) {
            idle_.notify_all();
        }
    }
}

} // namespace cuecard
