// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/homography.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace cuecard {
namespace {

double d(float v) {
    return static_cast<double>(v);
}

double cross(Point2 o, Point2 a, Point2 b) {
    return (d(a.x) - d(o.x)) * (d(b.y) - d(o.y)) - (d(a.y) - d(o.y)) * (d(b.x) - d(o.x));
}

} // namespace

const char *quadProblem(const Quad &q) {
    for (float v : {q[0].x, q[0].y, q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y}) {
        if (!std::isfinite(v)) {
            return "a corner is not a number";
        }
    }
    // y grows downwards: top-left → top-right → bottom-right → bottom-left turns the same way
    // (positive cross products) at every corner of a convex quad.
    bool positive = true;
    for (int i = 0; i < 4; ++i) {
        const double c =
            cross(q[static_cast<std::size_t>(i)], q[static_cast<std::size_t>((i + 1) % 4)],
                  q[static_cast<std::size_t>((i + 2) % 4)]);
        if (std::abs(c) < 1.0) {
            return "three corners are (almost) on one line";
        }
        positive = positive && c > 0.0;
        if ((c > 0.0) != positive) {
            return "the corners do not make a convex shape in the order top-left, top-right, "
                   "bottom-right, bottom-left";
        }
    }
    if (!positive) {
        return "the corners go the wrong way round: list them top-left, top-right, "
               "bottom-right, bottom-left";
    }
    return "";
}

std::optional<Homography> rectToQuad(float x, float y, float w, float h, const Quad &quad) {
    if (*quadProblem(quad) != '\0' || w <= 0.0f || h <= 0.0f) {
        return std::nullopt;
    }
    // Unit square → quad (Heckbert, "Fundamentals of Texture Mapping", 1989).
    const double x0 = d(quad[0].x), y0 = d(quad[0].y), x1 = d(quad[1].x), y1 = d(quad[1].y);
    const double x2 = d(quad[2].x), y2 = d(quad[2].y), x3 = d(quad[3].x), y3 = d(quad[3].y);
    const double sx = x0 - x1 + x2 - x3;
    const double sy = y0 - y1 + y2 - y3;
    double a, b, c, dd, e, f, g, k;
    if (std::abs(sx) < 1e-9 && std::abs(sy) < 1e-9) { // a parallelogram: affine
        a = x1 - x0;
        b = x3 - x0;
        c = x0;
        dd = y1 - y0;
        e = y3 - y0;
        f = y0;
        g = 0.0;
        k = 0.0;
    } else {
        const double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
        const double den = dx1 * dy2 - dx2 * dy1;
        if (std::abs(den) < 1e-12) {
            return std::nullopt;
        }
        g = (sx * dy2 - dx2 * sy) / den;
        k = (dx1 * sy - sx * dy1) / den;
        a = x1 - x0 + g * x1;
        b = x3 - x0 + k * x3;
        c = x0;
        dd = y1 - y0 + g * y1;
        e = y3 - y0 + k * y3;
        f = y0;
    }
    // (u, v) = ((px - x) / w, (py - y) / h): fold the rectangle's normalization in.
    const double iw = 1.0 / d(w), ih = 1.0 / d(h), rx = d(x), ry = d(y);
    const double m[9] = {a * iw,  b * ih, c - a * iw * rx - b * ih * ry,
                         dd * iw, e * ih, f - dd * iw * rx - e * ih * ry,
                         g * iw,  k * ih, 1.0 - g * iw * rx - k * ih * ry};
    Homography out{};
    for (int i = 0; i < 9; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<float>(m[i]);
    }
    return out;
}

Point2 apply(const Homography &h, Point2 p) {
    const float X = h[0] * p.x + h[1] * p.y + h[2];
    const float Y = h[3] * p.x + h[4] * p.y + h[5];
    const float W = h[6] * p.x + h[7] * p.y + h[8];
    return {X / W, Y / W};
}

std::optional<Homography> inverted(const Homography &h) {
    double m[9];
    for (int i = 0; i < 9; ++i) {
        m[i] = d(h[static_cast<std::size_t>(i)]);
    }
    // The adjugate over the determinant.
    const double a[9] = {
        m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
        m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
        m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3]};
    const double det = m[0] * a[0] + m[1] * a[3] + m[2] * a[6];
    if (!std::isfinite(det) || std::abs(det) < 1e-12) {
        return std::nullopt;
    }
    Homography out{};
    for (int i = 0; i < 9; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<float>(a[i] / det);
    }
    return out;
}

Quad rotatedRect(float x, float y, float w, float h, float degrees) {
    const double r = d(degrees) * 3.14159265358979323846 / 180.0;
    const double cs = std::cos(r), sn = std::sin(r);
    const double hw = d(w) * 0.5, hh = d(h) * 0.5;
    const double cx = d(x) + hw, cy = d(y) + hh;
    Quad q;
    const double corners[4][2] = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
    for (int i = 0; i < 4; ++i) {
        const double px = corners[i][0], py = corners[i][1];
        q[static_cast<std::size_t>(i)] = {static_cast<float>(cx + px * cs - py * sn),
                                          static_cast<float>(cy + px * sn + py * cs)};
    }
    return q;
}

std::optional<Quad> parseQuadText(std::string_view text, std::string *why) {
    std::vector<float> numbers;
    std::string token;
    const auto flush = [&]() -> bool {
        if (token.empty()) {
            return true;
        }
        char *end = nullptr;
        const float v = std::strtof(token.c_str(), &end);
        if (end == nullptr || *end != '\0' || !std::isfinite(v)) {
            if (why != nullptr) {
                *why = "\"" + token + "\" is not a number";
            }
            return false;
        }
        numbers.push_back(v);
        token.clear();
        return true;
    };
    for (char c : text) {
        if (c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '[' || c == ']') {
            if (!flush()) {
                return std::nullopt;
            }
        } else {
            token.push_back(c);
        }
    }
    if (!flush()) {
        return std::nullopt;
    }
    if (numbers.size() != 8) {
        if (why != nullptr) {
            *why = "a quad is four corners, eight numbers (x,y of top-left, top-right, "
                   "bottom-right, bottom-left); got " +
                   std::to_string(numbers.size());
        }
        return std::nullopt;
    }
    Quad q;
    for (std::size_t i = 0; i < 4; ++i) {
        q[i] = {numbers[i * 2], numbers[i * 2 + 1]};
    }
    if (const char *problem = quadProblem(q); *problem != '\0') {
        if (why != nullptr) {
            *why = problem;
        }
        return std::nullopt;
    }
    return q;
}

std::string quadText(const Quad &quad) {
    std::string out;
    for (std::size_t i = 0; i < 4; ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%g,%g", i == 0 ? "" : " ", static_cast<double>(quad[i].x),
                      static_cast<double>(quad[i].y));
        out += buf;
    }
    return out;
}

} // namespace cuecard
