// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/publish/imap_drafts.hpp"

#include "core/publish/publisher.hpp"
#include "core/record/manifest.hpp"
#include "core/util/read_file.hpp"

#include "core/util/web_text.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <memory>
#include <mutex>
#include <sstream>

namespace cuecard {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

bool loopback(const std::string &host) {
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

size_t collect(char *data, size_t size, size_t count, void *out) {
    static_cast<std::string *>(out)->append(data, size * count);
    return size * count;
}

struct Upload {
    const std::string *text;
    std::size_t at = 0;
};

size_t feed(char *buffer, size_t size, size_t count, void *data) {
    auto *u = static_cast<Upload *>(data);
    const std::size_t n = std::min(size * count, u->text->size() - u->at);
    std::copy_n(u->text->data() + u->at, n, buffer);
    u->at += n;
    return n;
}

/// One logged-in IMAP connection (libcurl keeps it open between requests on the same handle).
class Imap {
  public:
    Imap(const MailboxAddress &a, std::string password, fs::path caFile)
        : a_(a), password_(std::move(password)), caFile_(std::move(caFile)),
          curl_(curl_easy_init(), &curl_easy_cleanup) {
        base_ = std::string(a.tls ? "imaps://" : "imap://") + a.host + ":" + std::to_string(a.port);
    }

    /// A command on `folder` ("" : none selected); the untagged answer's text.
    Result<std::string> command(const std::string &folder, const std::string &request) {
        setup(folder);
        std::string out;
        curl_easy_setopt(curl_.get(), CURLOPT_CUSTOMREQUEST, request.c_str());
        curl_easy_setopt(curl_.get(), CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl_.get(), CURLOPT_WRITEDATA, &out);
        if (Status s = perform(request.substr(0, request.find(' '))); !s) {
            return s.error();
        }
        return out;
    }

    Status append(const std::string &folder, const std::string &message) {
        setup(folder);
        Upload u{&message};
        curl_easy_setopt(curl_.get(), CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl_.get(), CURLOPT_READFUNCTION, feed);
        curl_easy_setopt(curl_.get(), CURLOPT_READDATA, &u);
        curl_easy_setopt(curl_.get(), CURLOPT_INFILESIZE_LARGE,
                         static_cast<curl_off_t>(message.size()));
        return perform("APPEND");
    }

    /// UIDs in `folder` whose Message-ID contains `text`.
    Result<std::vector<long>> search(const std::string &folder, const std::string &text) {
        auto r = command(folder, "UID SEARCH HEADER Message-ID \"" + text + "\"");
        if (!r) {
            return r.error();
        }
        std::vector<long> uids;
        std::istringstream lines(*r);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("* SEARCH", 0) == 0) {
                std::istringstream words(line.substr(8));
                for (long uid = 0; words >> uid;) {
                    uids.push_back(uid);
                }
            }
        }
        return uids;
    }

  private:
    void setup(const std::string &folder) {
        CURL *c = curl_.get();
        curl_easy_reset(c);
        std::string url = base_ + "/";
        if (!folder.empty()) {
            char *escaped = curl_easy_escape(c, folder.c_str(), static_cast<int>(folder.size()));
            url += escaped != nullptr ? escaped : "";
            curl_free(escaped);
        }
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, a_.tls ? "imaps" : "imap");
        curl_easy_setopt(c, CURLOPT_USERNAME, a_.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
        curl_easy_setopt(c, CURLOPT_USE_SSL,
                         static_cast<long>(a_.tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
        if (!caFile_.empty()) {
            curl_easy_setopt(c, CURLOPT_CAINFO, caFile_.c_str());
        }
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
        error_[0] = '\0';
    }

    Status perform(const std::string &what) {
        const CURLcode r = curl_easy_perform(curl_.get());
        if (r == CURLE_OK) {
            return Status::success();
        }
        std::string why = error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(r);
        if (r == CURLE_LOGIN_DENIED) {
            why = "the server refused the login for " + a_.user +
                  " (check the password in ~/.netrc or CUECARD_IMAP_PASSWORD)";
        }
        return makeError(base_ + ": " + what + ": " + why);
    }

    MailboxAddress a_;
    std::string password_;
    fs::path caFile_;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
    std::string base_;
    char error_[CURL_ERROR_SIZE] = {};
};

/// The folder the server marks \Drafts (LIST's special-use attribute), else "Drafts".
std::string draftsFolder(const std::string &listing) {
    std::istringstream lines(listing);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.rfind("* LIST (", 0) != 0 || line.find("\\Drafts") == std::string::npos) {
            continue;
        }
        // * LIST (\HasNoChildren \Drafts) "." Drafts   — or a quoted name.
        const std::size_t close = line.find(')');
        std::string rest = line.substr(close + 1);
        std::istringstream words(rest);
        std::string delimiter;
        words >> delimiter;
        std::string name;
        std::getline(words >> std::ws, name);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
        if (!name.empty()) {
            return name;
        }
    }
    return "Drafts";
}

} // namespace

Result<MailboxAddress> parseMailboxAddress(const std::string &url) {
    MailboxAddress a;
    std::string rest;
    if (url.rfind("imaps://", 0) == 0) {
        rest = url.substr(8);
    } else if (url.rfind("imap://", 0) == 0) {
        a.tls = false;
        a.port = 143;
        rest = url.substr(7);
    } else {
        return makeError("--imap \"" + url + "\": give imaps://you@mail.example.com");
    }
    const std::size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) {
        a.folder = rest.substr(slash + 1);
        while (!a.folder.empty() && a.folder.back() == '/') {
            a.folder.pop_back();
        }
    }
    const std::size_t at = authority.rfind('@');
    if (at == std::string::npos) {
        return makeError("--imap \"" + url + "\": say whose mailbox, like imaps://you@" +
                         authority);
    }
    a.user = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (a.user.find(':') != std::string::npos) {
        return makeError("--imap: the password never goes on the command line (it would be in "
                         "the shell's history and the process list): put it in ~/.netrc or "
                         "CUECARD_IMAP_PASSWORD, or type it when asked");
    }
    if (char *user = curl_easy_unescape(nullptr, a.user.c_str(), 0, nullptr)) {
        a.user = user; // you%40example.com → you@example.com
        curl_free(user);
    }
    if (!splitHostPort(authority, a.host, a.port)) {
        return makeError("--imap \"" + url + "\": no host, or a port that is not a number");
    }
    if (!a.tls && !loopback(a.host)) {
        return makeError("--imap \"" + url +
                         "\": imap:// would send your password and the drafts unencrypted; use "
                         "imaps:// (plain imap:// is for a server on this machine only)");
    }
    for (char c : a.user + a.host + a.folder) {
        if (static_cast<unsigned char>(c) < 0x20 || c == '"') {
            return makeError("--imap \"" + url + "\": a control character or quote in it");
        }
    }
    return a;
}

std::string netrcPassword(const fs::path &netrc, const std::string &host, const std::string &user) {
    const auto text = readFile(netrc);
    if (!text) {
        return {};
    }
    std::istringstream words(*text);
    std::string word;
    std::string machine;
    std::string login;
    std::string password;
    std::string found;
    const auto entryDone = [&] {
        if (found.empty() && (machine == host || machine == "default") &&
            (login.empty() || login == user)) {
            found = password;
        }
        login.clear();
        password.clear();
    };
    while (words >> word) {
        if (word == "machine" || word == "default") {
            entryDone();
            machine = word == "default" ? "default" : "";
            if (word == "machine") {
                words >> machine;
            }
        } else if (word == "login") {
            words >> login;
        } else if (word == "password") {
            words >> password;
        }
    }
    entryDone();
    return found;
}

Result<DraftsReport> makeDrafts(const DraftsOptions &o,
                                const std::function<void(const DraftsProgress &)> &progress) {
    if (Status s = checkDraftOptions(o.draft); !s) {
        return s.error();
    }
    const fs::path &dir = o.session;
    const auto stateText = readFile(dir / kPublishState);
    const json state = stateText ? json::parse(*stateText, nullptr, false) : json();
    if (!state.is_object() || !state.contains("pages")) {
        return makeError("nothing in " + dir.string() +
                         " is published yet: run cuecard publish first (a draft links to the "
                         "recipient's page)");
    }
    std::string note;
    const Manifest manifest = Manifest::load(dir, note);
    if (!note.empty()) {
        return makeError(note);
    }
    auto rows = recipientsById(o.queue);
    if (!rows) {
        return rows.error();
    }
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    Imap imap(o.mailbox, o.password, o.caFile);
    DraftsReport report;
    report.folder = o.mailbox.folder;
    if (report.folder.empty()) {
        auto listing = imap.command("", "LIST \"\" \"*\"");
        if (!listing) {
            return listing.error();
        }
        report.folder = draftsFolder(*listing);
    }
    const std::vector<ManifestEntry> takes = newestTakes(manifest);
    DraftsProgress p;
    p.total = static_cast<int>(takes.size());
    for (ManifestEntry entry : takes) {
        const std::string who = entry.name.empty() ? entry.recipientId : entry.name;
        p.current = who;
        if (progress) {
            progress(p);
        }
        ++p.done;
        const json page = state["pages"].value(entry.recipientId, json());
        if (!page.is_object() || page.value("page_url", "").empty()) {
            report.skipped.push_back(who + ": no page yet (run cuecard publish)");
            continue;
        }
        if (page.value("file", "") != entry.file) {
            report.skipped.push_back(who + ": the page shows an older take than " + entry.file +
                                     " (run cuecard publish again)");
            continue;
        }
        const std::string token = page.value("token", "");
        const std::string id = draftMessageId(token, entry.take);
        auto there = imap.search(report.folder, id);
        if (!there) {
            return there.error(); // the mailbox itself fails: no point going on
        }
        if (!there->empty()) {
            ++report.unchanged;
            continue;
        }
        const auto gif = readFile(dir / entry.previewGif);
        if (entry.previewGif.empty() || !gif) {
            report.errors.push_back(who + ": no preview GIF (run cuecard assets)");
            continue;
        }
        PageLinks links; // as published: the page and its GIF
        links.page = page.value("page_url", "");
        links.gif = links.page + kPageGif;
        auto message = draftMessage(recipientOf(entry, *rows), o.draft, links, *gif, id,
                                    static_cast<long long>(std::time(nullptr)));
        if (!message) {
            report.errors.push_back(who + ": " + message.message());
            continue;
        }
        // An older take's draft goes: the new one replaces it.
        auto older = imap.search(report.folder, draftMessageIdPrefix(token));
        if (!older) {
            return older.error();
        }
        if (Status s = imap.append(report.folder, *message); !s) {
            report.errors.push_back(who + ": " + s.message());
            continue;
        }
        // APPEND marks it \Seen; a draft is also \Draft (the mail client lists it with drafts
        // and opens it for editing).
        auto added = imap.search(report.folder, id);
        if (added && !added->empty()) {
            (void)imap.command(report.folder,
                               "UID STORE " + std::to_string(added->front()) + " +FLAGS (\\Draft)");
        }
        if (!older->empty()) {
            std::string uids;
            for (long uid : *older) {
                uids += (uids.empty() ? "" : ",") + std::to_string(uid);
            }
            (void)imap.command(report.folder, "UID STORE " + uids + " +FLAGS (\\Deleted)");
            (void)imap.command(report.folder, "UID EXPUNGE " + uids);
            ++report.replaced;
        } else {
            ++report.added;
        }
        entry.draftMessageId = id;
        (void)updateManifestAssets(dir, entry);
    }
    p.current = "done";
    if (progress) {
        progress(p);
    }
    return report;
}

} // namespace cuecard
