// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/team/pg.hpp"

#include <libpq-fe.h>

#include <cstring>

namespace cuecard {
namespace {

/// The server's message without libpq's "ERROR:  " prefix and trailing newline.
std::string clean(const char *message) {
    std::string m = message != nullptr ? message : "";
    for (const char *prefix : {"ERROR:  ", "FATAL:  "}) {
        if (m.rfind(prefix, 0) == 0) {
            m.erase(0, std::strlen(prefix));
        }
    }
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) {
        m.pop_back();
    }
    // Keep the first line: libpq adds "CONTEXT:" lines the rep cannot use.
    if (const auto nl = m.find('\n'); nl != std::string::npos) {
        m.erase(nl);
    }
    return m;
}

} // namespace

PgRows::PgRows(pg_result *r) : r_(r) {}
PgRows::~PgRows() {
    if (r_ != nullptr) {
        PQclear(r_);
    }
}
PgRows::PgRows(PgRows &&other) noexcept : r_(other.r_) {
    other.r_ = nullptr;
}
PgRows &PgRows::operator=(PgRows &&other) noexcept {
    if (this != &other) {
        if (r_ != nullptr) {
            PQclear(r_);
        }
        r_ = other.r_;
        other.r_ = nullptr;
    }
    return *this;
}
int PgRows::rows() const {
    return r_ != nullptr ? PQntuples(r_) : 0;
}
std::string PgRows::get(int row, int col) const {
    if (r_ == nullptr || row >= PQntuples(r_) || col < 0 || col >= PQnfields(r_)) {
        return {};
    }
    return PQgetvalue(r_, row, col);
}
bool PgRows::isNull(int row, int col) const {
    return r_ == nullptr || col < 0 || PQgetisnull(r_, row, col) != 0;
}
std::string PgRows::affected() const {
    const char *n = r_ != nullptr ? PQcmdTuples(r_) : nullptr;
    return n != nullptr && *n != '\0' ? n : "0";
}
bool PgRows::failed() const {
    if (r_ == nullptr) {
        return true;
    }
    const ExecStatusType st = PQresultStatus(r_);
    return st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY;
}
std::string PgRows::error() const {
    return r_ != nullptr ? clean(PQresultErrorMessage(r_)) : "no result";
}
int PgRows::column(const char *name) const {
    return r_ != nullptr ? PQfnumber(r_, name) : -1;
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string &conninfo,
                                                            int timeoutSeconds) {
    const std::string timeout = std::to_string(timeoutSeconds);
    const char *keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char *values[] = {conninfo.c_str(), timeout.c_str(), "cuecard", nullptr};
    std::unique_ptr<PgConnection> c(new PgConnection());
    // expand_dbname: a conninfo string or URI in "dbname" is read as such.
    c->c_ = PQconnectdbParams(keys, values, 1);
    if (c->c_ == nullptr) {
        return makeError("PostgreSQL: out of memory");
    }
    if (PQstatus(c->c_) != CONNECTION_OK) {
        return makeError("cannot connect to PostgreSQL: " + clean(PQerrorMessage(c->c_)));
    }
    // The server's notices ("already exists, skipping") are not for a rep's terminal.
    PQsetNoticeProcessor(
        c->c_, [](void *, const char *) {}, nullptr);
    return c;
}

PgConnection::~PgConnection() {
    if (c_ != nullptr) {
        PQfinish(c_);
    }
}

Result<PgRows> PgConnection::exec(const std::string &sql,
                                  const std::vector<std::optional<std::string>> &params) {
    std::vector<const char *> values;
    for (const auto &p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    PGresult *r = PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    PgRows rows(r);
    const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        return makeError(clean(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c_)));
    }
    return rows;
}

Status PgConnection::script(const std::string &sql) {
    // PQexec runs every statement and returns the last result, or the first error's.
    PgRows rows(PQexec(c_, sql.c_str()));
    PGresult *r = PQgetResult(c_); // none left; keeps the protocol clean
    if (r != nullptr) {
        PQclear(r);
    }
    if (PQstatus(c_) != CONNECTION_OK) {
        return makeError("the connection to PostgreSQL was lost: " + clean(PQerrorMessage(c_)));
    }
    if (rows.failed()) {
        return makeError(rows.error());
    }
    return Status::success();
}

bool PgConnection::ok() const {
    return c_ != nullptr && PQstatus(c_) == CONNECTION_OK;
}

std::string PgConnection::user() const {
    return c_ != nullptr ? PQuser(c_) : "";
}

std::string pgTextArray(const std::vector<std::string> &items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i > 0 ? ",\"" : "\"";
        for (char ch : items[i]) {
            if (ch == '"' || ch == '\\') {
                out += '\\';
            }
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

} // namespace cuecard
