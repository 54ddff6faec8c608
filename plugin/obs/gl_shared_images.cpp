// SPDX-License-Identifier: GPL-2.0-or-later
#include "obs/gl_shared_images.hpp"
#include "obs/log.hpp"

#include <obs-module.h>

#include <unistd.h>

namespace cuecard::obs {
namespace {

constexpr std::uint64_t kDestroyWaitNs = 2'000'000'000;

void destroyAll(std::vector<ImportedTexture> &textures) {
    for (auto &t : textures) {
        destroyImported(t);
    }
    textures.clear();
}

} // namespace

bool GlFence::passed() {
    if (fence_ == nullptr) {
        return true;
    }
    if (!glFencePassed(fence_)) {
        return false;
    }
    fence_ = nullptr; // glFencePassed deleted it
    return true;
}

bool GlFence::wait(std::uint64_t timeoutNs) {
    if (fence_ == nullptr) {
        return true;
    }
    if (!waitGlFence(fence_, timeoutNs)) {
        return false;
    }
    fence_ = nullptr;
    return true;
}

GlSharedImages::GlSharedImages(std::function<void(std::uint64_t, int)> giveBack)
    : giveBack_(std::move(giveBack)) {}

GlSharedImages::~GlSharedImages() {
    retiring_.clear(); // the worker goes too: nothing to give back
    buryImported();
    // OBS destroys sources on a thread of its own, possibly while OpenGL still draws the last
    // frame from the imported images: wait for that (a few ms) before deleting them.
    std::size_t leaked = 0;
    for (auto &b : buried_) {
        if (b.fence.wait(kDestroyWaitNs)) {
            destroyAll(b.textures);
        } else {
            leaked += b.textures.size();
        }
    }
    if (leaked > 0) {
        CUECARD_LOG(LOG_WARNING,
                    "OpenGL did not finish drawing within 2 s; %zu shared image(s) left in "
                    "memory rather than deleted under it",
                    leaked);
    }
}

Status GlSharedImages::show(const SharedImageSet &set, int slot) {
    if (Status s = import(set); !s) {
        return s;
    }
    retireShown();
    shownSet_ = set.id;
    shownSlot_ = slot;
    return Status::success();
}

void GlSharedImages::retireShown() {
    if (shownSlot_ >= 0) {
        retiring_.push_back(Retiring{GlFence::now(), shownSet_, shownSlot_});
        shownSlot_ = -1;
    }
}

void GlSharedImages::collect() {
    std::erase_if(buried_, [](Buried &b) {
        if (!b.fence.passed()) {
            return false;
        }
        destroyAll(b.textures);
        return true;
    });
    std::erase_if(retiring_, [this](Retiring &r) {
        if (!r.fence.passed()) {
            return false;
        }
        giveBack_(r.set, r.slot);
        return true;
    });
}

gs_texture_t *GlSharedImages::texture(int slot) const {
    if (slot < 0 || static_cast<std::size_t>(slot) >= imported_.size()) {
        return nullptr;
    }
    return imported_[static_cast<std::size_t>(slot)].texture;
}

Status GlSharedImages::import(const SharedImageSet &set) {
    if (importedSet_ == set.id && !imported_.empty()) {
        return Status::success();
    }
    retiring_.clear(); // the old set: nothing to give back
    buryImported();    // OpenGL may still be drawing from it
    for (std::size_t i = 0; i < set.fds.size(); ++i) {
        const int fd = ::dup(set.fds[i].get());
        if (fd < 0) {
            buryImported();
            return makeError("cannot duplicate the shared image's descriptor");
        }
        auto texture = importTexture(fd, set.sizes[i], set.width, set.height);
        if (!texture) {
            buryImported();
            return texture.error();
        }
        imported_.push_back(texture.value());
    }
    importedSet_ = set.id;
    return Status::success();
}

void GlSharedImages::buryImported() {
    if (!imported_.empty()) {
        buried_.push_back(Buried{GlFence::now(), std::move(imported_)});
        imported_.clear();
    }
    importedSet_ = 0;
    shownSlot_ = -1;
}

} // namespace cuecard::obs
