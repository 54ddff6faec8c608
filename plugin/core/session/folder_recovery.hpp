// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Resuming into a recording folder after a crash, a kill or a power cut. The manifest keeps
/// every earlier session's files; a file that was still being written ("recording") is
/// described from what is on disk (its playable frames and duration) and listed as
/// "interrupted"; a Cuecard file that never made it into the manifest is found by its
/// CUECARD_RECIPIENT_ID tag. Nothing is rewritten or deleted: the files stay as the crash left
/// them, and each counts as a take of its recipient, so take numbers continue.

#include "core/record/manifest.hpp"
#include "core/session/session.hpp"
#include "core/session/session_journal.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cuecard {

struct FolderRecovery {
    Manifest manifest{""};                  ///< every file in the folder's history, saved
    std::vector<ManifestEntry> interrupted; ///< files found unfinished by this call
    std::vector<std::string> notes;         ///< a damaged manifest, an unreadable file…
    /// One line for the status and the log ("" when there was nothing to recover).
    std::string message() const;
};

/// Reads the folder's manifest, finishes the description of interrupted files and saves it.
FolderRecovery recoverRecordingFolder(const std::filesystem::path &folder);

/// resumeFromFolder without the disk: `file` is journal.read(), read before (e.g. outside a
/// lock); the caller then calls journal.setAsideIfAsked and saves the journal.
ResumeReport applyResume(Session &session, const SessionJournal &journal,
                         const SessionJournal::File &file, const FolderRecovery &recovery);
/// Resumes `session` from the folder: the journal first, then every file the journal does not
/// know yet (addTakesFromManifest), the cursor on the first recipient still to record, and the
/// journal saved. The report's message names interrupted files.
ResumeReport resumeFromFolder(Session &session, const SessionJournal &journal,
                              const FolderRecovery &recovery);

/// Adds to `session` every file of `manifest` that its journal does not know yet, as a take of
/// its recipient (matched by id): a complete file marks them recorded, an interrupted one keeps
/// them to record. Returns how many takes were added.
int addTakesFromManifest(Session &session, const Manifest &manifest);

} // namespace cuecard
