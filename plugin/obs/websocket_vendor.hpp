// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
namespace cuecard::obs {
/// Registers the obs-websocket vendor "cuecard" and its requests (next, previous, jump, toggle,
/// skip, retake, mark_done, get_state). Call from obs_module_post_load; false when
/// obs-websocket is not loaded (then Cuecard still works, without remote control).
bool registerWebsocketVendor();
} // namespace cuecard::obs
