// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/theme.hpp"
#include "core/util/corner_drag.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace cuecard;

TEST_CASE("theme: every built-in theme loads and fits the sample queue's columns") {
    const auto names = builtinThemeNames({test::dataDir()});
    REQUIRE(names.size() >= 3);
    CHECK(std::find(names.begin(), names.end(), "default") != names.end());
    for (const auto &name : names) {
        CAPTURE(name);
        auto theme = loadTheme(name, {test::dataDir()});
        REQUIRE_MESSAGE(theme.ok(), theme.message());
        CHECK(theme->check({"full_name", "title", "company", "email", "notes", "talking_points"})
                  .ok());
        // Only the name is required; title and company have fallbacks.
        CHECK(theme->check({"full_name"}).ok());
    }
}

TEST_CASE("theme: the default theme is a lower-third of name, and title · company") {
    auto theme = loadTheme("default", {test::dataDir()});
    REQUIRE(theme.ok());
    Recipient r;
    r.set("full_name", "Jane Doe");
    r.set("title", "VP Marketing");
    r.set("company", "Acme Corp");
    std::vector<std::string> texts;
    for (const auto &e : theme->elements) {
        if (const auto *t = std::get_if<TextElement>(&e)) {
            texts.push_back(t->expand(r));
        }
    }
    REQUIRE(texts.size() == 2);
    CHECK(texts[0] == "Jane Doe");
    CHECK(texts[1] == "VP Marketing  ·  Acme Corp");
    r.set("title", ""); // no dangling separator when a part is empty
    CHECK(std::get<TextElement>(theme->elements[3]).expand(r) == "Acme Corp");
}

TEST_CASE("theme: problems are reported with their path") {
    const auto bad = [](const char *json) {
        auto t = parseTheme(json, "t.json");
        REQUIRE_FALSE(t.ok());
        return t.message();
    };
    CHECK(bad(R"({"elements":[]})") ==
          "theme t.json: \"cuecard_theme\": 1 is required (this Cuecard reads theme format "
          "version 1)");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"box","fill":"red"}]})") ==
          "theme t.json: elements[0].fill: \"red\" is not a color like \"#RRGGBB\" or "
          "\"#RRGGBBAA\"");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"text","text":"x","szie":3}]})") ==
          "theme t.json: elements[0].szie: unknown key (typo?)");
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"text","text":"{a"}]})")
              .find("'{' is never closed") != std::string::npos);
    CHECK(bad(R"({"cuecard_theme":1,"elements":[{"type":"circle"}]})") ==
          "theme t.json: elements[0].type: \"circle\" is not one of box, text, image, group");
    CHECK(bad("{\n\"cuecard_theme\":1,\n]") == "theme t.json line 3: invalid JSON");
}

TEST_CASE("theme: an unknown field is caught at load, naming the queue's fields") {
    auto theme = parseTheme(
        R"({"cuecard_theme":1,"elements":[{"type":"text","text":"{job_title}"}]})", "t.json");
    REQUIRE(theme.ok());
    const Status s = theme->check({"full_name", "company"});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("{job_title}") != std::string::npos);
    CHECK(s.message().find("it has: full_name, company") != std::string::npos);
}

TEST_CASE("theme: lookup by name or path") {
    auto missing = loadTheme("nope", {test::dataDir()});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.message().find("no built-in theme named \"nope\" (built-in: ") == 0);
    CHECK(missing.message().find("default") != std::string::npos);
    auto byPath = loadTheme((test::dataDir() / "themes" / "default.json").string(), {});
    CHECK(byPath.ok());
}

TEST_CASE("color: hex parsing") {
    auto c = Color::parse("#FF800040");
    REQUIRE(c.has_value());
    CHECK(c->r == doctest::Approx(1.0));
    CHECK(c->g == doctest::Approx(128.0 / 255.0));
    CHECK(c->a == doctest::Approx(64.0 / 255.0));
    CHECK(c->premultiplied().r == doctest::Approx(64.0 / 255.0));
    CHECK_FALSE(Color::parse("#12345").has_value());
    CHECK_FALSE(Color::parse("#GG0000").has_value());
}

TEST_CASE("theme: numbers out of range are errors, not crashes (found by fuzz_theme)") {
    auto huge = parseTheme(R"({"cuecard_theme": 1, "name": 88e4444444444444})", "t.json");
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.message() == "theme t.json: invalid JSON (a number is out of range)");
    auto big = parseTheme(
        R"({"cuecard_theme":1,"elements":[{"type":"text","text":"x","size":1e300}]})", "t.json");
    REQUIRE_FALSE(big.ok());
    CHECK(big.message() == "theme t.json: elements[0].size: must be between 1 and 1000");
}

TEST_CASE("homography: a rectangle lands exactly on its quad; bad quads are named") {
    const Quad q = {Point2{600, 300}, Point2{1400, 380}, Point2{1360, 760}, Point2{640, 700}};
    CHECK(std::string(quadProblem(q)).empty());
    const auto h = rectToQuad(100, 50, 800, 400, q);
    REQUIRE(h.has_value());
    const Point2 corners[4] = {{100, 50}, {900, 50}, {900, 450}, {100, 450}};
    for (int i = 0; i < 4; ++i) {
        const Point2 p = apply(*h, corners[i]);
        CHECK(p.x == doctest::Approx(q[static_cast<std::size_t>(i)].x).epsilon(1e-4));
        CHECK(p.y == doctest::Approx(q[static_cast<std::size_t>(i)].y).epsilon(1e-4));
    }
    // Straight lines stay straight: the middle of the top edge lies on the quad's top edge.
    const Point2 mid = apply(*h, {500, 50});
    const float cross =
        (1400.0f - 600.0f) * (mid.y - 300.0f) - (380.0f - 300.0f) * (mid.x - 600.0f);
    CHECK(std::abs(cross) < 1.0f);
    const Quad bowTie = {Point2{0, 0}, Point2{100, 100}, Point2{100, 0}, Point2{0, 100}};
    CHECK(std::string(quadProblem(bowTie)).find("convex") != std::string::npos);
    const Quad backwards = {Point2{0, 0}, Point2{0, 100}, Point2{100, 100}, Point2{100, 0}};
    CHECK(std::string(quadProblem(backwards)).find("wrong way round") != std::string::npos);
    const Quad flat = {Point2{0, 0}, Point2{50, 0}, Point2{100, 0}, Point2{0, 100}};
    CHECK(std::string(quadProblem(flat)).find("on one line") != std::string::npos);
    CHECK_FALSE(rectToQuad(0, 0, 10, 10, bowTie).has_value());
    const Quad turned = rotatedRect(0, 0, 200, 100, 90);
    CHECK(turned[0].x == doctest::Approx(150));
    CHECK(turned[0].y == doctest::Approx(-50));
}

TEST_CASE("theme: a group's elements are placed in its layer, in order; mistakes are named") {
    auto t = parseTheme(R"({"cuecard_theme": 1, "elements": [
        {"type": "box", "width": 10, "height": 10},
        {"type": "group", "x": 100, "y": 50, "width": 400, "height": 300,
         "quad": [[1000, 100], [1400, 140], [1380, 420], [1010, 400]],
         "elements": [{"type": "box", "x": 10, "y": 20, "width": 380, "height": 260},
                      {"type": "text", "text": "{full_name}", "x": 200, "y": 150,
                       "max_width": 360, "max_lines": 3, "line_height": 1.1}]},
        {"type": "text", "text": "after"}]})",
                        "t.json");
    REQUIRE(t.ok());
    REQUIRE(t->elements.size() == 4);
    REQUIRE(t->layers.size() == 1);
    CHECK(std::get<BoxElement>(t->elements[0]).layer == -1);
    const auto &note = std::get<BoxElement>(t->elements[1]);
    CHECK(note.layer == 0);
    CHECK(note.x == doctest::Approx(110));
    CHECK(note.y == doctest::Approx(70));
    const auto &name = std::get<TextElement>(t->elements[2]);
    CHECK(name.layer == 0);
    CHECK(name.maxLines == 3);
    CHECK(name.lineHeight == doctest::Approx(1.1f));
    CHECK(std::get<TextElement>(t->elements[3]).layer == -1);
    REQUIRE(t->layers[0].placement().has_value());
    CHECK((*t->layers[0].placement())[2].x == doctest::Approx(1380));

    const auto bad = [](const std::string &element, const std::string &why) {
        auto r = parseTheme(R"({"cuecard_theme": 1, "elements": [)" + element + "]}", "t.json");
        REQUIRE_FALSE(r.ok());
        CHECK_MESSAGE(r.message().find(why) != std::string::npos, r.message());
    };
    const std::string box = R"({"type": "box", "width": 1, "height": 1})";
    bad(R"({"type": "group", "width": 10, "height": 10, "elements": [{"type": "group",
        "width": 5, "height": 5, "elements": [)" +
            box + "]}]}",
        "elements[0].elements[0].type: a group inside a group is not supported");
    bad(R"({"type": "group", "width": 10, "elements": [)" + box + "]}",
        "a group needs \"width\" and \"height\"");
    bad(R"({"type": "group", "width": 10, "height": 10, "quad": [[0, 0], [1, 0], [1, 1]],
        "elements": [)" +
            box + "]}",
        "elements[0].quad: expected four [x, y] corners");
    bad(R"({"type": "group", "width": 10, "height": 10,
        "quad": [[0, 0], [0, 100], [100, 100], [100, 0]], "elements": [)" +
            box + "]}",
        "elements[0].quad: the corners go the wrong way round");
    bad(R"({"type": "group", "width": 10, "height": 10, "rotate": 5,
        "quad": [[0, 0], [100, 0], [100, 100], [0, 100]], "elements": [)" +
            box + "]}",
        "\"quad\" or \"rotate\", not both");
    bad(R"({"type": "group", "width": 10, "height": 10, "elements": []})",
        "a group needs a non-empty array of elements");
    bad(R"({"type": "text", "text": "x", "max_lines": 3})", "a paragraph needs \"max_width\"");
}

TEST_CASE("corner drag: the nearest corner within reach follows the mouse; a move that would "
          "fold the quad is not taken") {
    const Quad q = {Point2{100, 100}, Point2{500, 120}, Point2{480, 400}, Point2{120, 380}};
    CornerDrag drag;
    CHECK_FALSE(drag.press(q, {300, 250})); // the middle: no corner within reach
    CHECK_FALSE(drag.active());
    CHECK_FALSE(drag.move({0, 0}).has_value());
    REQUIRE(drag.press(q, {490, 130})); // near the top-right corner
    CHECK(drag.corner() == 1);
    auto moved = drag.move({560, 90});
    REQUIRE(moved.has_value());
    CHECK((*moved)[1].x == doctest::Approx(560));
    CHECK((*moved)[0].x == doctest::Approx(100)); // the others stay
    // Dragged across the opposite side: the quad would turn inside out; it keeps the last good.
    moved = drag.move({50, 390});
    REQUIRE(moved.has_value());
    CHECK((*moved)[1].x == doctest::Approx(560));
    const auto done = drag.release();
    REQUIRE(done.has_value());
    CHECK(std::string(quadProblem(*done)).empty());
    CHECK_FALSE(drag.active());
}

TEST_CASE("theme: one element can carry quad or rotate itself: its own box is the layer") {
    auto t = parseTheme(R"({"cuecard_theme": 1, "elements": [
        {"type": "box", "x": 10, "y": 20, "width": 300, "height": 100, "rotate": 8},
        {"type": "text", "text": "{full_name}", "x": 400, "y": 500, "align": "center",
         "max_width": 600, "size": 80, "quad": [[100, 400], [700, 420], [690, 540], [110, 520]]},
        {"type": "box", "width": 5, "height": 5}]})",
                        "t.json");
    REQUIRE(t.ok());
    REQUIRE(t->layers.size() == 2);
    CHECK(std::get<BoxElement>(t->elements[0]).layer == 0);
    CHECK(t->layers[0].x == doctest::Approx(10));
    CHECK(t->layers[0].width == doctest::Approx(300));
    CHECK(t->layers[0].rotate == doctest::Approx(8));
    CHECK(std::get<TextElement>(t->elements[1]).layer == 1);
    CHECK(t->layers[1].x == doctest::Approx(100)); // centered on 400, 600 wide
    CHECK(t->layers[1].width == doctest::Approx(600));
    CHECK(t->layers[1].y < 500 - 80 * 0.8);                       // above the capitals
    CHECK(t->layers[1].y + t->layers[1].height > 500 + 80 * 0.2); // below the descenders
    CHECK(std::get<BoxElement>(t->elements[2]).layer == -1);
    const auto bad = [](const std::string &element, const std::string &why) {
        auto r = parseTheme(R"({"cuecard_theme": 1, "elements": [)" + element + "]}", "t.json");
        REQUIRE_FALSE(r.ok());
        CHECK_MESSAGE(r.message().find(why) != std::string::npos, r.message());
    };
    bad(R"({"type": "text", "text": "x", "rotate": 5})", "needs \"max_width\"");
    bad(R"({"type": "group", "width": 10, "height": 10, "elements": [{"type": "box",
        "width": 1, "height": 1, "rotate": 3}]})",
        "inside a group, put \"quad\" or \"rotate\" on the group");
}
