// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// "Publish and draft…" in OBS: the profile (saved with the scene collection, never a secret) and
// the job that publishes the recording folder's pages and makes the drafts on a thread of its
// own (PublishJob, in the core). The dock, get_state and the "publish" request read and start it.

#include "core/publish/publish_job.hpp"

#include <obs-module.h>

#include <string>

namespace cuecard::obs {

PublishProfile publishProfile();
void setPublishProfile(const PublishProfile &profile);
/// The scene collection's save/load callback (the profile under "cuecard-publish").
void savePublishProfile(obs_data_t *saveData, bool saving, void *);
/// The folder the pages are made from: the recording's (the last one, or where the next goes).
std::string publishFolder();
/// Starts publishing (and drafting, when the profile names a mailbox) `publishFolder()` with
/// `profile` (saved as the profile); `imapPassword` is used for this run only. "" or why not.
std::string startPublishing(const PublishProfile &profile, const std::string &imapPassword);
PublishJobStatus publishingStatus();
/// One or two lines for the dock: what it is doing, or how the last run went.
std::string publishingLine(const PublishJobStatus &status);

} // namespace cuecard::obs
