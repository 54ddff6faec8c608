// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// A thin libpq client: one connection, parameterised statements, results as text. Every
/// failure is a message a rep or a team lead can act on (the server's own words, without
/// libpq's line noise); nothing throws.

#include "core/util/result.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace cuecard {

class PgRows {
  public:
    PgRows() = default;
    explicit PgRows(pg_result *r);
    ~PgRows();
    PgRows(PgRows &&other) noexcept;
    PgRows &operator=(PgRows &&other) noexcept;
    PgRows(const PgRows &) = delete;
    PgRows &operator=(const PgRows &) = delete;

    int rows() const;
    std::string get(int row, int col) const;
    bool isNull(int row, int col) const;
    bool failed() const;
    /// Rows an INSERT, UPDATE or DELETE changed ("0" when none).
    std::string affected() const;
    std::string error() const;
    /// The column's index by name, -1 when absent.
    int column(const char *name) const;

  private:
    pg_result *r_ = nullptr;
};

class PgConnection {
  public:
    /// `conninfo`: "host=/run/postgresql dbname=crm", a postgresql:// URI, or "" for libpq's
    /// own environment (PGHOST, PGDATABASE…) and service file. Passwords come from ~/.pgpass or
    /// the service file, never from Cuecard's settings.
    static Result<std::unique_ptr<PgConnection>> connect(const std::string &conninfo,
                                                         int timeoutSeconds = 10);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    /// One statement with $1, $2… parameters (nullopt is SQL NULL).
    Result<PgRows> exec(const std::string &sql,
                        const std::vector<std::optional<std::string>> &params = {});
    /// Several statements without parameters (a migration file).
    Status script(const std::string &sql);
    /// Whether the connection is still up (after a failed statement: a server gone away).
    bool ok() const;
    /// The role the server knows us as.
    std::string user() const;

  private:
    PgConnection() = default;
    pg_conn *c_ = nullptr;
};

/// "{a,b}" for a text[] parameter (elements quoted and escaped).
std::string pgTextArray(const std::vector<std::string> &items);

} // namespace cuecard
