// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/publisher.hpp"

#include "core/publish/web_video.hpp"
#include "core/record/email_assets.hpp"
#include "core/record/manifest.hpp"
#include "core/util/atomic_file.hpp"
#include "core/util/read_file.hpp"
#include "core/util/sha256.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace cuecard {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char *kStagingFolder = ".cuecard-publish";

class FolderTarget final : public PublishTarget {
  public:
    explicit FolderTarget(fs::path root) : root_(std::move(root)) {}
    std::string describe() const override { return root_.string(); }
    Result<bool> has(const std::string &path, std::uint64_t bytes) override {
        std::error_code ec;
        const auto size = fs::file_size(root_ / path, ec);
        return !ec && size == bytes;
    }
    Status put(const fs::path &local, const std::string &path) override {
        const fs::path to = root_ / path;
        std::error_code ec;
        fs::create_directories(to.parent_path(), ec);
        if (ec) {
            return makeError("cannot create " + to.parent_path().string() + ": " + ec.message());
        }
        // A reader of the folder sees the old file or the new one, never half of one.
        const fs::path part = to.parent_path() / ("." + to.filename().string() + ".part");
        fs::copy_file(local, part, fs::copy_options::overwrite_existing, ec);
        if (!ec) {
            fs::rename(part, to, ec);
        }
        if (ec) {
            fs::remove(part, ec);
            return makeError("cannot write " + to.string() + ": " + ec.message());
        }
        return Status::success();
    }

  private:
    fs::path root_;
};

Status copyInto(const fs::path &from, const fs::path &to) {
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    return ec ? Status(makeError("cannot copy " + from.filename().string() + ": " + ec.message()))
              : Status::success();
}

} // namespace

std::unique_ptr<PublishTarget> folderTarget(fs::path root) {
    return std::make_unique<FolderTarget>(std::move(root));
}

Result<std::map<std::string, Recipient>> recipientsById(const fs::path &queuePath) {
    std::map<std::string, Recipient> rows;
    if (!queuePath.empty()) {
        auto queue = loadQueueFile(queuePath);
        if (!queue) {
            return queue.error();
        }
        for (const auto &r : queue->recipients) {
            rows.emplace(r.id, r);
        }
    }
    return rows;
}

Recipient recipientOf(const ManifestEntry &e, const std::map<std::string, Recipient> &rows) {
    if (auto it = rows.find(e.recipientId); it != rows.end()) {
        return it->second;
    }
    Recipient r;
    r.id = e.recipientId;
    r.set("full_name", e.name);
    r.set("email", e.email);
    r.set("company", e.company);
    return r;
}

std::vector<ManifestEntry> newestTakes(const Manifest &m) {
    std::vector<std::string> order;
    std::map<std::string, ManifestEntry> newest;
    for (const auto &e : m.entries()) {
        if (e.status != "complete" || e.frames <= 0) {
            continue;
        }
        auto it = newest.find(e.recipientId);
        if (it == newest.end()) {
            order.push_back(e.recipientId);
            newest.emplace(e.recipientId, e);
        } else if (e.take >= it->second.take) {
            it->second = e;
        }
    }
    std::vector<ManifestEntry> out;
    for (const auto &id : order) {
        out.push_back(newest[id]);
    }
    return out;
}

Result<PublishReport> publishSession(const PublishOptions &o, PublishTarget &target,
                                     const std::function<void(const PublishProgress &)> &progress) {
    if (Status s = checkPageOptions(o.page); !s) {
        return s.error();
    }
    const fs::path &dir = o.session;
    if (!fs::is_regular_file(dir / "manifest.json")) {
        return makeError("no manifest.json in " + dir.string() +
                         ": give the folder a Cuecard session recorded into");
    }
    std::string note;
    Manifest manifest = Manifest::load(dir, note);
    if (!note.empty()) {
        return makeError(note);
    }
    auto queueRows = recipientsById(o.queue);
    if (!queueRows) {
        return queueRows.error();
    }
    const std::map<std::string, Recipient> &rows = *queueRows;
    // What earlier runs put where: each recipient's token (their page's address) and each
    // file's content as it was put.
    json state = {{"cuecard_publish", 1}, {"pages", json::object()}};
    if (auto text = readFile(dir / kPublishState)) {
        state = json::parse(*text, nullptr, false);
        if (!state.is_object() || !state.contains("pages") || !state["pages"].is_object()) {
            return makeError(
                (dir / kPublishState).string() +
                " is damaged; it keeps the pages' addresses, so move it away only to publish "
                "every page again under new addresses");
        }
    }
    const auto saveState = [&]() {
        return writeFileAtomically(dir / kPublishState, state.dump(2));
    };

    if (Status s = target.reach(); !s) {
        return s.error();
    }
    const std::vector<ManifestEntry> takes = newestTakes(manifest);
    PublishReport report;
    PublishProgress p;
    p.total = static_cast<int>(takes.size());
    for (ManifestEntry entry : takes) {
        const Recipient recipient = recipientOf(entry, rows);
        const std::string who = entry.name.empty() ? entry.recipientId : entry.name;
        const auto say = [&](const std::string &what) {
            p.current = who + ": " + what;
            if (progress) {
                progress(p);
            }
        };
        const auto failed = [&](const std::string &why) {
            report.errors.push_back(who + " (" + entry.file + "): " + why);
        };
        json &page = state["pages"][entry.recipientId];
        if (!page.contains("token")) {
            auto token = newPageToken();
            if (!token) {
                return token.error();
            }
            page["token"] = *token;
            page["files"] = json::object();
        }
        const std::string token = page["token"];
        const PageLinks links = pageLinks(o.page.baseUrl, token);
        // The poster and GIF (made now when the session did not make them).
        if (!hasEmailAssets(dir, entry)) {
            say("making the poster and preview");
            auto built = buildEmailAssets(dir, entry, AssetOptions{});
            if (!built) {
                failed(built.message());
                continue;
            }
            (void)updateManifestAssets(dir, entry);
        }
        const fs::path staging = dir / kStagingFolder / token;
        std::error_code ec;
        fs::create_directories(staging, ec);
        // The web video, made once per take (a retake replaces it behind the same address).
        const fs::path video = staging / kPageVideo;
        if (page.value("file", "") != entry.file || !fs::is_regular_file(video)) {
            say("making the web video");
            const fs::path part = staging / "video.mp4.part";
            auto made = remuxForWeb(dir / entry.file, part);
            if (!made) {
                fs::remove(part, ec);
                failed(made.message());
                continue;
            }
            fs::rename(part, video, ec);
            if (ec) {
                failed("cannot write " + video.string() + ": " + ec.message());
                continue;
            }
            page["file"] = entry.file;
            page["take"] = entry.take;
            page["width"] = made->width;
            page["height"] = made->height;
        }
        Status staged = copyInto(dir / entry.poster, staging / kPagePoster);
        if (staged) {
            staged = copyInto(dir / entry.previewGif, staging / kPageGif);
        }
        auto html =
            landingPage(recipient, o.page, links, page.value("width", 0), page.value("height", 0));
        if (!html) {
            return html.error(); // the options are the same for everyone: stop here
        }
        if (staged) {
            staged = writeFileAtomically(staging / kPageIndex, *html);
        }
        if (!staged) {
            failed(staged.message());
            continue;
        }
        // The page's files, index.html last: the address shows nothing until all are there.
        bool ok = true;
        for (const char *name : {kPageVideo, kPagePoster, kPageGif, kPageIndex}) {
            const auto bytes = readFile(staging / name);
            if (!bytes) {
                failed("cannot read " + (staging / name).string());
                ok = false;
                break;
            }
            const std::string sha = sha256Hex(*bytes);
            const std::string remote = token + "/" + name;
            json &known = page["files"][target.describe()][name]; // per destination
            if (known.is_object() && known.value("sha256", "") == sha) {
                auto there = target.has(remote, bytes->size());
                if (there && *there) {
                    ++report.unchanged;
                    continue;
                }
            }
            say("uploading " + std::string(name));
            if (Status s = target.put(staging / name, remote); !s) {
                failed(s.message());
                ok = false;
                break;
            }
            ++report.uploaded;
            known = {{"sha256", sha}, {"bytes", bytes->size()}};
            if (Status s = saveState(); !s) {
                return s.error();
            }
        }
        if (!ok) {
            continue;
        }
        page["page_url"] = links.page;
        page["at"][target.describe()] = entry.file; // this take is whole there
        if (Status s = saveState(); !s) {
            return s.error();
        }
        entry.pageUrl = links.page;
        (void)updateManifestAssets(dir, entry);
        ++report.pages;
        ++p.done;
        say("published");
    }
    // For a sequencer or a CRM: one row per recipient whose newest take is whole at this
    // destination (this run's or an earlier one's).
    std::string csv = "email,name,company,page_url,video_url,gif_url,poster_url,snippet\n";
    for (const auto &entry : takes) {
        const json &page = state["pages"][entry.recipientId];
        if (!page.is_object() || !page.contains("at") ||
            page["at"].value(target.describe(), "") != entry.file) {
            continue;
        }
        const Recipient r = recipientOf(entry, rows);
        const PageLinks links = pageLinks(o.page.baseUrl, page.value("token", ""));
        csv += Manifest::csvCell(std::string(r.get("email"))) + "," +
               Manifest::csvCell(std::string(r.get("full_name"))) + "," +
               Manifest::csvCell(std::string(r.get("company"))) + "," +
               Manifest::csvCell(links.page) + "," + Manifest::csvCell(links.video) + "," +
               Manifest::csvCell(links.gif) + "," + Manifest::csvCell(links.poster) + "," +
               Manifest::csvCell(pageSnippet(r, links)) + "\n";
    }
    report.outreachCsv = dir / "outreach.csv";
    if (Status s = writeFileAtomically(report.outreachCsv, csv); !s) {
        return s.error();
    }
    return report;
}

} // namespace cuecard
