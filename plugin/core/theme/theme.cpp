// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/theme.hpp"
// Over 400 lines: the theme format's parser, every key's check with the message a theme author
// reads, and the layout of groups into layers; one reader (Reader) walks it all.
#include "core/util/read_file.hpp"

#include "core/util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace cuecard {
namespace {

using nlohmann::json;

/// Reads typed values out of a JSON object and remembers the first problem, phrased with the
/// path of the offending key ("default.json: elements[2].size: expected a number").
class Reader {
  public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    bool failed() const { return !error_.empty(); }
    Error error() const { return makeError(error_); }
    void fail(const std::string &path, const std::string &what) {
        if (error_.empty()) {
            error_ = "theme " + source_ + ": " + path + ": " + what;
        }
    }

    float number(const json &obj, const char *key, const std::string &path, float def,
                 float min = -1e6f, float max = 1e6f) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            return def;
        }
        if (!it->is_number()) {
            fail(path + "." + key, "expected a number");
            return def;
        }
        // Compare as double: a value like 1e300 must be refused, not cast (undefined behaviour).
        const double v = it->get<double>();
        if (!(v >= static_cast<double>(min) && v <= static_cast<double>(max))) {
            fail(path + "." + key, "must be between " + fmt(min) + " and " + fmt(max));
            return def;
        }
        return static_cast<float>(v);
    }

    std::string string(const json &obj, const char *key, const std::string &path,
                       const std::string &def) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            return def;
        }
        if (!it->is_string()) {
            fail(path + "." + key, "expected a string");
            return def;
        }
        return it->get<std::string>();
    }

    Color color(const json &obj, const char *key, const std::string &path, Color def) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            return def;
        }
        if (!it->is_string()) {
            fail(path + "." + key, "expected a color like \"#RRGGBB\" or \"#RRGGBBAA\"");
            return def;
        }
        auto c = Color::parse(it->get<std::string>());
        if (!c) {
            fail(path + "." + key, "\"" + it->get<std::string>() +
                                       "\" is not a color like \"#RRGGBB\" or \"#RRGGBBAA\"");
            return def;
        }
        return *c;
    }

    std::optional<Shadow> shadow(const json &obj, const std::string &path) {
        auto it = obj.find("shadow");
        if (it == obj.end() || it->is_null()) {
            return std::nullopt;
        }
        if (!it->is_object()) {
            fail(path + ".shadow", "expected an object with color, offset and blur");
            return std::nullopt;
        }
        Shadow s;
        const std::string p = path + ".shadow";
        s.color = color(*it, "color", p, s.color);
        s.blur = number(*it, "blur", p, s.blur, 0.0f, 200.0f);
        if (auto off = it->find("offset"); off != it->end()) {
            if (!off->is_array() || off->size() != 2 || !(*off)[0].is_number() ||
                !(*off)[1].is_number() || std::abs((*off)[0].get<double>()) > 1e4 ||
                std::abs((*off)[1].get<double>()) > 1e4) {
                fail(p + ".offset", "expected [dx, dy] in px (at most 10000)");
            } else {
                s.dx = static_cast<float>((*off)[0].get<double>());
                s.dy = static_cast<float>((*off)[1].get<double>());
            }
        }
        return s;
    }

  private:
    static std::string fmt(float v) {
        std::ostringstream os;
        os << v;
        return os.str();
    }
    std::string source_;
    std::string error_;
};

const std::set<std::string> kBoxKeys = {"type",   "x",       "y",    "width",
                                        "height", "radius",  "fill", "gradient",
                                        "shadow", "comment", "quad", "rotate"};
const std::set<std::string> kTextKeys = {
    "type",      "text",      "parts",       "separator", "x",     "y",        "align",
    "max_width", "max_lines", "line_height", "font",      "size",  "min_size", "color",
    "outline",   "shadow",    "comment",     "quad",      "rotate"};

const std::set<std::string> kImageKeys = {
    "type",   "src",     "x",      "y",   "width",    "height",  "fit",  "mask",
    "radius", "opacity", "shadow", "pan", "viewport", "comment", "quad", "rotate"};

void checkKeys(Reader &r, const json &obj, const std::set<std::string> &allowed,
               const std::string &path) {
    for (const auto &[key, value] : obj.items()) {
        (void)value;
        if (allowed.count(key) == 0) {
            r.fail(path + "." + key, "unknown key (typo?)");
        }
    }
}

BoxElement parseBox(Reader &r, const json &e, const std::string &path) {
    checkKeys(r, e, kBoxKeys, path);
    BoxElement b;
    b.x = r.number(e, "x", path, 0.0f);
    b.y = r.number(e, "y", path, 0.0f);
    b.width = r.number(e, "width", path, 0.0f, 0.0f, 16384.0f);
    b.height = r.number(e, "height", path, 0.0f, 0.0f, 16384.0f);
    b.radius = r.number(e, "radius", path, 0.0f, 0.0f, 8192.0f);
    b.fill = r.color(e, "fill", path, b.fill);
    if (auto g = e.find("gradient"); g != e.end() && !g->is_null()) {
        if (!g->is_object()) {
            r.fail(path + ".gradient", "expected an object with from, to and angle");
        } else {
            Gradient grad;
            grad.from = r.color(*g, "from", path + ".gradient", b.fill);
            grad.to = r.color(*g, "to", path + ".gradient", b.fill);
            grad.angle = r.number(*g, "angle", path + ".gradient", 0.0f, -360.0f, 360.0f);
            b.gradient = grad;
        }
    }
    b.shadow = r.shadow(e, path);
    return b;
}

ImageElement parseImage(Reader &r, const json &e, const std::string &path) {
    checkKeys(r, e, kImageKeys, path);
    ImageElement im;
    std::vector<std::string> sources;
    if (auto it = e.find("src"); it != e.end() && it->is_string()) {
        sources.push_back(it->get<std::string>());
    } else if (it != e.end() && it->is_array() && !it->empty() && it->size() <= 8 &&
               std::all_of(it->begin(), it->end(), [](const json &v) { return v.is_string(); })) {
        for (const auto &v : *it) {
            sources.push_back(v.get<std::string>());
        }
    } else if (it != e.end()) {
        r.fail(path + ".src", "expected a template or a list of up to 8 templates, tried in order");
    }
    if (e.find("src") == e.end() ||
        std::any_of(sources.begin(), sources.end(), [](const auto &v) { return v.empty(); })) {
        r.fail(path + ".src", "an image needs \"src\" (e.g. \"{logo|images/placeholder.png}\")");
    }
    for (const auto &src : sources) {
        if (auto t = TextTemplate::parse(src); !t) {
            r.fail(path + ".src", t.message());
        } else if (Status priv = t->checkNotPrivate(); !priv) {
            r.fail(path + ".src", priv.message());
        } else {
            im.src.push_back(std::move(t.value()));
        }
    }
    im.x = r.number(e, "x", path, 0.0f);
    im.y = r.number(e, "y", path, 0.0f);
    im.width = r.number(e, "width", path, 0.0f, 1.0f, 16384.0f);
    im.height = r.number(e, "height", path, 0.0f, 1.0f, 16384.0f);
    if (e.find("width") == e.end() || e.find("height") == e.end()) {
        r.fail(path, "an image needs \"width\" and \"height\" (the box it is fitted into)");
    }
    im.radius = r.number(e, "radius", path, 0.0f, 0.0f, 8192.0f);
    im.opacity = r.number(e, "opacity", path, 1.0f, 0.0f, 1.0f);
    const std::string fit = r.string(e, "fit", path, "contain");
    if (fit == "contain") {
        im.fit = PictureFit::Contain;
    } else if (fit == "cover") {
        im.fit = PictureFit::Cover;
    } else if (fit == "fill") {
        im.fit = PictureFit::Fill;
    } else {
        r.fail(path + ".fit", "\"" + fit + "\" is not one of contain, cover, fill");
    }
    const std::string mask = r.string(e, "mask", path, "none");
    if (mask == "none") {
        im.mask = PictureMask::None;
    } else if (mask == "rounded") {
        im.mask = PictureMask::Rounded;
    } else if (mask == "circle") {
        im.mask = PictureMask::Circle;
    } else {
        r.fail(path + ".mask", "\"" + mask + "\" is not one of none, rounded, circle");
    }
    im.shadow = r.shadow(e, path);
    im.pan = r.number(e, "pan", path, 0.0f, 0.0f, 600.0f);
    if (auto v = e.find("viewport"); v != e.end()) {
        if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number_integer() ||
            !(*v)[1].is_number_integer() || (*v)[0].get<int>() < 320 || (*v)[0].get<int>() > 3840 ||
            (*v)[1].get<int>() < 240 || (*v)[1].get<int>() > 2160) {
            r.fail(path + ".viewport",
                   "expected [width, height] in CSS pixels, from [320, 240] to [3840, 2160]");
        } else {
            im.viewportWidth = (*v)[0].get<int>();
            im.viewportHeight = (*v)[1].get<int>();
        }
    }
    return im;
}

TextElement parseText(Reader &r, const json &e, const std::string &path) {
    checkKeys(r, e, kTextKeys, path);
    TextElement t;
    std::vector<std::string> parts;
    if (auto it = e.find("text"); it != e.end()) {
        if (!it->is_string()) {
            r.fail(path + ".text", "expected a string");
        } else {
            parts.push_back(it->get<std::string>());
        }
    }
    if (auto it = e.find("parts"); it != e.end()) {
        if (!it->is_array()) {
            r.fail(path + ".parts", "expected an array of strings");
        } else {
            for (const auto &p : *it) {
                if (!p.is_string()) {
                    r.fail(path + ".parts", "expected an array of strings");
                    break;
                }
                parts.push_back(p.get<std::string>());
            }
        }
    }
    if (parts.empty()) {
        r.fail(path, "a text element needs \"text\" or \"parts\"");
    }
    for (const auto &p : parts) {
        auto tmpl = TextTemplate::parse(p);
        if (!tmpl) {
            r.fail(path, tmpl.message());
            break;
        }
        if (Status priv = tmpl->checkNotPrivate(); !priv) {
            r.fail(path, priv.message());
            break;
        }
        t.parts.push_back(std::move(tmpl.value()));
    }
    t.separator = r.string(e, "separator", path, "");
    t.x = r.number(e, "x", path, 0.0f);
    t.y = r.number(e, "y", path, 0.0f);
    const std::string align = r.string(e, "align", path, "left");
    if (align == "left") {
        t.align = TextAlign::Left;
    } else if (align == "center") {
        t.align = TextAlign::Center;
    } else if (align == "right") {
        t.align = TextAlign::Right;
    } else {
        r.fail(path + ".align", "\"" + align + "\" is not one of left, center, right");
    }
    t.maxWidth = r.number(e, "max_width", path, 0.0f, 0.0f, 16384.0f);
    t.maxLines = static_cast<int>(r.number(e, "max_lines", path, 1.0f, 1.0f, 50.0f));
    if (t.maxLines > 1 && t.maxWidth <= 0.0f) {
        r.fail(path + ".max_lines", "a paragraph needs \"max_width\" to wrap at");
    }
    t.lineHeight = r.number(e, "line_height", path, 1.25f, 0.5f, 4.0f);
    t.size = r.number(e, "size", path, 48.0f, 1.0f, 1000.0f);
    t.minSize = r.number(e, "min_size", path, 0.0f, 0.0f, 1000.0f);
    t.color = r.color(e, "color", path, t.color);
    if (auto f = e.find("font"); f != e.end()) {
        if (!f->is_object()) {
            r.fail(path + ".font", "expected an object with family, weight and italic");
        } else {
            t.font.family = r.string(*f, "family", path + ".font", t.font.family);
            t.font.weight =
                static_cast<int>(r.number(*f, "weight", path + ".font", 400.0f, 100.0f, 1000.0f));
            if (auto it = f->find("italic"); it != f->end()) {
                if (!it->is_boolean()) {
                    r.fail(path + ".font.italic", "expected true or false");
                } else {
                    t.font.italic = it->get<bool>();
                }
            }
        }
    }
    if (auto o = e.find("outline"); o != e.end() && !o->is_null()) {
        if (!o->is_object()) {
            r.fail(path + ".outline", "expected an object with width and color");
        } else {
            t.outlineWidth = r.number(*o, "width", path + ".outline", 0.0f, 0.0f, 32.0f);
            t.outlineColor = r.color(*o, "color", path + ".outline", t.outlineColor);
        }
    }
    t.shadow = r.shadow(e, path);
    return t;
}

} // namespace

std::string TextElement::expand(const Recipient &recipient) const {
    std::string out;
    for (const auto &p : parts) {
        std::string v = p.expand(recipient);
        if (v.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += separator;
        }
        out += v;
    }
    return out;
}

bool Theme::hasPictures() const {
    return std::any_of(elements.begin(), elements.end(), [](const ThemeElement &e) {
        return std::holds_alternative<ImageElement>(e);
    });
}

Status Theme::placeFirstGroup(const Quad &quad) {
    if (layers.empty()) {
        return makeError("theme " + (name.empty() ? source : name) +
                         " has no group to place: corners apply to a theme's first \"group\"");
    }
    if (const char *why = quadProblem(quad); *why != '\0') {
        return makeError(std::string("corners: ") + why);
    }
    layers.front().quad = quad;
    layers.front().rotate = 0.0f;
    return Status::success();
}

float Theme::longestPan() const {
    float longest = 0.0f;
    for (const auto &e : elements) {
        if (const auto *im = std::get_if<ImageElement>(&e)) {
            longest = std::max(longest, im->pan);
        }
    }
    return longest;
}

Status Theme::check(const std::vector<std::string> &columns) const {
    for (const auto &e : elements) {
        if (const auto *t = std::get_if<TextElement>(&e)) {
            for (const auto &p : t->parts) {
                if (auto s = p.check(columns); !s) {
                    return makeError("theme " + source + ": " + s.message());
                }
            }
        } else if (const auto *im = std::get_if<ImageElement>(&e)) {
            for (const auto &src : im->src) {
                if (auto s = src.check(columns); !s) {
                    return makeError("theme " + source + ": " + s.message());
                }
            }
        }
    }
    return Status::success();
}

namespace {

const std::set<std::string> kGroupKeys = {"type",     "x",    "y",      "width",  "height",
                                          "elements", "quad", "rotate", "comment"};

/// A group's corner pin: four [x, y] pairs, clockwise from the top-left.
std::optional<Quad> parseQuad(Reader &r, const json &e, const std::string &path) {
    auto it = e.find("quad");
    if (it == e.end()) {
        return std::nullopt;
    }
    Quad q;
    bool ok = it->is_array() && it->size() == 4;
    for (std::size_t c = 0; ok && c < 4; ++c) {
        const json &p = (*it)[c];
        ok = p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number();
        if (ok) {
            q[c] = {p[0].get<float>(), p[1].get<float>()};
        }
    }
    if (!ok) {
        r.fail(path + ".quad", "expected four [x, y] corners: top-left, top-right, bottom-right, "
                               "bottom-left");
        return std::nullopt;
    }
    if (const char *why = quadProblem(q); *why != '\0') {
        r.fail(path + ".quad", why);
        return std::nullopt;
    }
    return q;
}

/// Moves an element by (dx, dy) into a group's layer.
void placeInLayer(ThemeElement &element, float dx, float dy, int layer) {
    std::visit(
        [&](auto &el) {
            el.x += dx;
            el.y += dy;
            el.layer = layer;
        },
        element);
}

/// The flat box of one element put in perspective on its own: a box's or picture's own box; a
/// text's line box (max_width wide, from above the first line's caps to below its last line's
/// descenders). False for a text without max_width.
bool elementBox(const ThemeElement &element, ThemeLayer &layer) {
    if (const auto *b = std::get_if<BoxElement>(&element)) {
        layer.x = b->x;
        layer.y = b->y;
        layer.width = b->width;
        layer.height = b->height;
        return true;
    }
    if (const auto *im = std::get_if<ImageElement>(&element)) {
        layer.x = im->x;
        layer.y = im->y;
        layer.width = im->width;
        layer.height = im->height;
        return true;
    }
    const auto &t = std::get<TextElement>(element);
    if (t.maxWidth <= 0.0f) {
        return false;
    }
    layer.width = t.maxWidth;
    layer.x = t.align == TextAlign::Center  ? t.x - t.maxWidth * 0.5f
              : t.align == TextAlign::Right ? t.x - t.maxWidth
                                            : t.x;
    layer.y = t.y - t.size * 1.05f;
    layer.height =
        t.size * (1.05f + 0.35f) + t.size * t.lineHeight * static_cast<float>(t.maxLines - 1);
    return true;
}

/// Parses one element (a group's elements too, flattened into theme.elements); false once the
/// theme has an error.
bool parseElement(Reader &r, const json &e, const std::string &path, Theme &theme,
                  bool groupsAllowed) {
    if (!e.is_object()) {
        r.fail(path, "expected an object");
        return false;
    }
    const std::string type = r.string(e, "type", path, "");
    if (type == "box") {
        theme.elements.emplace_back(parseBox(r, e, path));
    } else if (type == "text") {
        theme.elements.emplace_back(parseText(r, e, path));
    } else if (type == "image") {
        theme.elements.emplace_back(parseImage(r, e, path));
    } else if (type == "group" && groupsAllowed) {
        checkKeys(r, e, kGroupKeys, path);
        ThemeLayer layer;
        layer.x = r.number(e, "x", path, 0.0f);
        layer.y = r.number(e, "y", path, 0.0f);
        layer.width = r.number(e, "width", path, 0.0f, 1.0f, 16384.0f);
        layer.height = r.number(e, "height", path, 0.0f, 1.0f, 16384.0f);
        if (e.find("width") == e.end() || e.find("height") == e.end()) {
            r.fail(path, "a group needs \"width\" and \"height\" (its flat layer's size)");
        }
        layer.quad = parseQuad(r, e, path);
        layer.rotate = r.number(e, "rotate", path, 0.0f, -360.0f, 360.0f);
        if (layer.quad && e.find("rotate") != e.end()) {
            r.fail(path + ".rotate", "a group takes \"quad\" or \"rotate\", not both");
        }
        auto children = e.find("elements");
        if (children == e.end() || !children->is_array() || children->empty()) {
            r.fail(path + ".elements", "a group needs a non-empty array of elements");
        }
        if (r.failed()) {
            return false;
        }
        const int index = static_cast<int>(theme.layers.size());
        theme.layers.push_back(layer);
        for (std::size_t i = 0; i < children->size(); ++i) {
            const std::string childPath = path + ".elements[" + std::to_string(i) + "]";
            if (!parseElement(r, (*children)[i], childPath, theme, false)) {
                return false;
            }
            placeInLayer(theme.elements.back(), layer.x, layer.y, index);
        }
    } else if (type == "group") {
        r.fail(path + ".type", "a group inside a group is not supported: put its elements in "
                               "the outer group");
        return false;
    } else {
        r.fail(path + ".type", "\"" + type + "\" is not one of box, text, image, group");
        return false;
    }
    if (type != "group" && (e.contains("quad") || e.contains("rotate")) && !r.failed()) {
        // One element in perspective: a layer of its own, the element's box.
        if (!groupsAllowed) {
            r.fail(path + ".quad", "inside a group, put \"quad\" or \"rotate\" on the group");
            return false;
        }
        ThemeLayer layer;
        if (!elementBox(theme.elements.back(), layer)) {
            r.fail(path + ".quad", "a text in perspective needs \"max_width\" (its box's width)");
            return false;
        }
        layer.quad = parseQuad(r, e, path);
        layer.rotate = r.number(e, "rotate", path, 0.0f, -360.0f, 360.0f);
        if (layer.quad && e.contains("rotate")) {
            r.fail(path + ".rotate", "an element takes \"quad\" or \"rotate\", not both");
        }
        std::visit([&](auto &el) { el.layer = static_cast<int>(theme.layers.size()); },
                   theme.elements.back());
        theme.layers.push_back(layer);
    }
    return !r.failed();
}

} // namespace

std::optional<Quad> ThemeLayer::placement() const {
    if (quad) {
        return quad;
    }
    if (rotate != 0.0f) {
        return rotatedRect(x, y, width, height, rotate);
    }
    return std::nullopt;
}

Result<Theme> parseTheme(std::string_view text, const std::string &source) {
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error &e) {
        const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
        return makeError("theme " + source + " line " +
                         std::to_string(utf8::lineOfOffset(text, at)) + ": invalid JSON");
    } catch (const json::exception &) {
        // out_of_range: a number too large for a double.
        return makeError("theme " + source + ": invalid JSON (a number is out of range)");
    }
    if (!doc.is_object()) {
        return makeError("theme " + source + ": expected a JSON object");
    }
    Reader r(source);
    Theme theme;
    theme.source = source;
    const float version = r.number(doc, "cuecard_theme", "cuecard_theme", 0.0f);
    if (version != 1.0f) {
        return makeError("theme " + source +
                         ": \"cuecard_theme\": 1 is required (this Cuecard reads theme "
                         "format version 1)");
    }
    theme.name = r.string(doc, "name", "name", source);
    theme.description = r.string(doc, "description", "description", "");
    if (auto c = doc.find("canvas"); c != doc.end()) {
        theme.width = static_cast<int>(r.number(*c, "width", "canvas", 1920.0f, 16.0f, 8192.0f));
        theme.height = static_cast<int>(r.number(*c, "height", "canvas", 1080.0f, 16.0f, 8192.0f));
    }
    if (auto f = doc.find("fallback_fonts"); f != doc.end()) {
        if (!f->is_array()) {
            r.fail("fallback_fonts", "expected an array of family names");
        } else {
            for (const auto &name : *f) {
                if (name.is_string()) {
                    theme.fallbackFamilies.push_back(name.get<std::string>());
                }
            }
        }
    }
    if (auto a = doc.find("animation"); a != doc.end()) {
        if (!a->is_object()) {
            r.fail("animation", "expected an object with in, out and duration");
        } else {
            for (const char *key : {"in", "out"}) {
                const std::string name = r.string(*a, key, "animation", "fade");
                AnimationKind kind{};
                if (!parseAnimationKind(name, kind)) {
                    r.fail(std::string("animation.") + key,
                           "\"" + name + "\" is not one of none, fade, slide, wipe");
                }
                (std::string(key) == "in" ? theme.animation.in : theme.animation.out) = kind;
            }
            theme.animation.duration = r.number(*a, "duration", "animation", 0.3f, 0.0f, 5.0f);
        }
    }
    auto els = doc.find("elements");
    if (els == doc.end() || !els->is_array() || els->empty()) {
        return makeError("theme " + source + ": \"elements\" must be a non-empty array");
    }
    for (std::size_t i = 0; i < els->size(); ++i) {
        if (!parseElement(r, (*els)[i], "elements[" + std::to_string(i) + "]", theme, true)) {
            break;
        }
    }
    if (r.failed()) {
        return r.error();
    }
    return theme;
}

Result<Theme> loadTheme(const std::string &nameOrPath,
                        const std::vector<std::filesystem::path> &dataDirs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool looksLikePath =
        nameOrPath.find('/') != std::string::npos ||
        (nameOrPath.size() > 5 && nameOrPath.substr(nameOrPath.size() - 5) == ".json");
    fs::path file;
    if (looksLikePath) {
        file = nameOrPath;
        if (!fs::is_regular_file(file, ec)) {
            return makeError("theme file " + nameOrPath + " does not exist");
        }
    } else {
        for (const auto &dir : dataDirs) {
            fs::path candidate = dir / "themes" / (nameOrPath + ".json");
            if (fs::is_regular_file(candidate, ec)) {
                file = candidate;
                break;
            }
        }
        if (file.empty()) {
            std::string names;
            for (const auto &n : builtinThemeNames(dataDirs)) {
                names += names.empty() ? "" : ", ";
                names += n;
            }
            return makeError("no built-in theme named \"" + nameOrPath + "\" (built-in: " +
                             (names.empty() ? "none found; is the data folder installed?" : names) +
                             ")");
        }
    }
    const std::optional<std::string> text = readFile(file);
    if (!text) {
        return makeError("theme file " + file.string() + " cannot be read");
    }
    auto theme = parseTheme(*text, file.filename().string());
    if (theme) {
        theme->folder = file.parent_path();
    }
    return theme;
}

std::vector<std::string> builtinThemeNames(const std::vector<std::filesystem::path> &dataDirs) {
    std::set<std::string> names;
    for (const auto &dir : dataDirs) {
        std::error_code ec;
        for (const auto &entry : std::filesystem::directory_iterator(dir / "themes", ec)) {
            if (entry.path().extension() == ".json") {
                names.insert(entry.path().stem().string());
            }
        }
    }
    return {names.begin(), names.end()};
}

} // namespace cuecard
