// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// Result<T>: the value or a message a rep can act on. Nothing in the core aborts, exits or
/// asserts on user input or a VkResult; every fallible call returns one of these instead
/// (vk-bootstrap's pattern), so the OBS glue can show the message and keep OBS alive.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cuecard {

/// A failure, phrased for the person who has to fix it ("recipients.csv line 14: unterminated
/// quote"), never for the programmer who wrote the check.
struct Error {
    std::string message;
    /// The VkResult when the failure came from a Vulkan call (0, VK_SUCCESS, otherwise), so a
    /// caller can tell a lost device from a full memory without parsing the message.
    int vkResult = 0;
};

template <class T> class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(v_); }
    const T &value() const & { return std::get<0>(v_); }
    T &&value() && { return std::get<0>(std::move(v_)); }
    T *operator->() { return &std::get<0>(v_); }
    const T *operator->() const { return &std::get<0>(v_); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(v_); }
    const std::string &message() const { return std::get<1>(v_).message; }

  private:
    std::variant<T, Error> v_;
};

/// Result of an operation that produces nothing but can fail.
class [[nodiscard]] Status {
  public:
    Status() = default;
    Status(Error error) : error_(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *error_; }
    const std::string &message() const { return error_->message; }

  private:
    std::optional<Error> error_;
};

inline Error makeError(std::string message) {
    return Error{std::move(message), 0};
}

} // namespace cuecard
