// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/theme/column_roles.hpp"

#include "core/queue/field_aliases.hpp"

#include <algorithm>

namespace cuecard {
namespace {

bool contains(const std::vector<std::string> &v, const std::string &s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

void addFields(const TextTemplate &t, std::vector<std::string> &out) {
    for (const auto &seg : t.segments()) {
        if (seg.isField && !contains(out, seg.text)) {
            out.push_back(seg.text);
        }
    }
}

std::string joined(const std::vector<std::string> &v) {
    std::string out;
    for (const auto &s : v) {
        out += (out.empty() ? "" : ", ") + s;
    }
    return out;
}

} // namespace

std::vector<std::string> themeFields(const Theme &theme) {
    std::vector<std::string> out;
    for (const auto &e : theme.elements) {
        if (const auto *t = std::get_if<TextElement>(&e)) {
            for (const auto &p : t->parts) {
                addFields(p, out);
            }
        } else if (const auto *im = std::get_if<ImageElement>(&e)) {
            for (const auto &src : im->src) {
                addFields(src, out);
            }
        }
    }
    return out;
}

ColumnRoles columnRoles(const Theme &theme, const std::vector<std::string> &columns) {
    ColumnRoles roles;
    std::vector<std::string> drawn = themeFields(theme);
    // {first_name} of a queue without that column is the first word of full_name.
    if (contains(drawn, "first_name") && !contains(columns, "first_name") &&
        !contains(drawn, "full_name")) {
        drawn.push_back("full_name");
    }
    for (const auto &c : columns) {
        if (privateFieldOf(c)) {
            roles.privateOnly.push_back(c);
        } else if (contains(drawn, c)) {
            roles.onCamera.push_back(c);
        } else {
            roles.notShown.push_back(c);
        }
    }
    for (const auto &field : privateFields()) {
        const std::string instead = onCameraFieldFor(field);
        if (contains(columns, field) && !instead.empty() && contains(drawn, instead) &&
            !contains(columns, instead)) {
            roles.advice.push_back("the theme draws {" + instead +
                                   "}, which this queue has no column for, so every row shows "
                                   "its fallback; the " +
                                   field +
                                   " column stays private: put what each person should "
                                   "see in a \"" +
                                   instead + "\" column");
        }
    }
    return roles;
}

std::string ColumnRoles::describe() const {
    std::string out;
    const auto part = [&](const char *label, const std::vector<std::string> &v) {
        if (!v.empty()) {
            out += (out.empty() ? "" : " · ") + std::string(label) + joined(v);
        }
    };
    part("on camera: ", onCamera);
    part("private, never in the video: ", privateOnly);
    part("not shown: ", notShown);
    return out;
}

} // namespace cuecard
