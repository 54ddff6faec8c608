// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
/// \file
/// The projective map (homography) that takes a rectangle onto a convex quadrilateral, for
/// scene text placed on a surface in the camera (a whiteboard, a note): Heckbert's closed form,
/// unit square to quad, composed with the rectangle's normalization.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cuecard {

struct Point2 {
    float x = 0.0f;
    float y = 0.0f;
};

/// Row-major 3×3: (X, Y, W) = H · (x, y, 1); the point is (X/W, Y/W).
using Homography = std::array<float, 9>;

/// Corners in order top-left, top-right, bottom-right, bottom-left.
using Quad = std::array<Point2, 4>;

/// Why a quad cannot be used ("" when it can): it must be convex, wound clockwise on screen as
/// listed (top-left, top-right, bottom-right, bottom-left), and not degenerate.
const char *quadProblem(const Quad &quad);

/// Maps the rectangle (x, y, w, h) onto `quad`; nullopt when quadProblem(quad) says why not.
std::optional<Homography> rectToQuad(float x, float y, float w, float h, const Quad &quad);

Point2 apply(const Homography &h, Point2 p);

/// The map back (nullopt when `h` is singular).
std::optional<Homography> inverted(const Homography &h);

/// "x,y x,y x,y x,y" (top-left, top-right, bottom-right, bottom-left; spaces, commas or
/// semicolons between numbers) as a quad, or why not.
std::optional<Quad> parseQuadText(std::string_view text, std::string *why = nullptr);
/// The same quad written back ("1290,170 1760,205 1735,690 1270,640").
std::string quadText(const Quad &quad);

/// The corners of the rectangle (x, y, w, h) turned by `degrees` (clockwise on screen) about
/// its center: a simple tilt, as a quad.
Quad rotatedRect(float x, float y, float w, float h, float degrees);

} // namespace cuecard
