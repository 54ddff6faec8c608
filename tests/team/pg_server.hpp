// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// A real PostgreSQL for one test: initdb in a temporary folder, the server listening only on a
// Unix socket in it (no TCP port), trust authentication for the roles the test makes; stopped
// and removed at the end. As root (CI) the server runs as the `postgres` user the Debian
// package creates (PostgreSQL refuses to run as root).

#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace cuecard::test {

class PgServer {
  public:
    PgServer() : dir_("pg") {
        bin_ = newestServerBin();
        if (bin_.empty()) {
            throw std::runtime_error("no PostgreSQL server is installed (scripts/install-deps.sh "
                                     "installs the release's: postgresql)");
        }
        if (::geteuid() == 0) {
            as_ = "runuser -u postgres -- ";
            run("chown postgres " + dir_.path().string());
            run("chmod 0755 " + dir_.path().string());
        }
        run(as_ + bin_ + "/initdb -D '" + (dir_ / "data").string() +
            "' -A trust -U postgres --no-sync > /dev/null");
        start();
    }
    ~PgServer() { (void)std::system(command("stop -m immediate").c_str()); }
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    void start() { run(command("start -w -t 60")); }
    void stop() { run(command("stop -m fast -w")); }

    /// A libpq conninfo for `user`.
    std::string conninfo(const std::string &user = "postgres") const {
        return "host=" + dir_.path().string() + " user=" + user + " dbname=postgres";
    }
    /// A rep's queue: a postgresql:// URI with the campaign.
    std::string queueUri(const std::string &user, const std::string &campaign) const {
        return "postgresql:///postgres?host=" + dir_.path().string() + "&user=" + user +
               "&campaign=" + campaign;
    }

    /// /usr/lib/postgresql/N/bin of the newest N with an initdb (15 on Debian 12, 17 on 13,
    /// 18 on testing), or "".
    static std::string newestServerBin() {
        std::string best;
        int bestMajor = -1;
        std::error_code ec;
        for (const auto &e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
            const std::string name = e.path().filename().string();
            if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos ||
                !std::filesystem::exists(e.path() / "bin" / "initdb")) {
                continue;
            }
            if (const int major = std::atoi(name.c_str()); major > bestMajor) {
                bestMajor = major;
                best = (e.path() / "bin").string();
            }
        }
        return best;
    }

  private:
    std::string command(const std::string &what) const {
        return as_ + bin_ + "/pg_ctl -D '" + (dir_ / "data").string() + "' -l '" +
               (dir_ / "log").string() + "' -o \"-k " + dir_.path().string() +
               " -c listen_addresses='' -c fsync=off\" " + what + " > /dev/null";
    }
    static void run(const std::string &cmd) {
        if (std::system(cmd.c_str()) != 0) {
            throw std::runtime_error("failed: " + cmd);
        }
    }

    TempDir dir_;
    std::string bin_;
    std::string as_;
};

} // namespace cuecard::test
