// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/commands.hpp"

#include "cli/contact_sheet.hpp"
#include "cli/data_dirs.hpp"
#include "cli/render_stack.hpp"
#include "core/picture/picture_loader.hpp"
#include "core/picture/recipient_pictures.hpp"
#include "core/queue/queue.hpp"
#include "core/render/overlay_composer.hpp"
#include "core/render/overlay_renderer.hpp"
#include "core/template/file_name.hpp"
#include "core/text/glyph_cache.hpp"
#include "core/theme/theme.hpp"
#include "core/util/png_io.hpp"
#include "core/util/slug.hpp"
#include "core/util/utf8.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

namespace cuecard::cli {
namespace {

namespace fs = std::filesystem;

int fail(const std::string &message) {
    std::fprintf(stderr, "cuecard render: %s\n", message.c_str());
    return 1;
}

int usageError(const std::string &message) {
    std::fprintf(stderr, "cuecard render: %s\n", message.c_str());
    std::fprintf(stderr,
                 "usage: cuecard render --queue FILE --theme NAME|FILE --out DIR [--size WxH]\n"
                 "                     [--background #RRGGBB]\n");
    return 2;
}

std::optional<std::pair<int, int>> parseSize(const std::string &s) {
    const auto x = s.find('x');
    if (x == std::string::npos) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const int w = std::stoi(s.substr(0, x), &used);
        if (used != x) {
            return std::nullopt;
        }
        const int h = std::stoi(s.substr(x + 1), &used);
        if (used != s.size() - x - 1 || w < 16 || h < 16 || w > 8192 || h > 8192) {
            return std::nullopt;
        }
        return std::make_pair(w, h);
    } catch (...) {
        return std::nullopt;
    }
}

/// Claims `dir/stem.png` (or `-2`, `-3`… when taken, atomically: claimNewFile) and writes the
/// PNG into the claimed, empty file. An existing file is never replaced.
Result<fs::path> writeNewPng(const Image &image, const fs::path &dir, const std::string &stem) {
    auto path = claimNewFile(dir, stem, ".png");
    if (!path) {
        return path.error();
    }
    if (Status s = writePng(image, *path, true); !s) {
        return s.error();
    }
    return path;
}

std::string describe(const TextReport &t) {
    std::string notes;
    const auto add = [&](const std::string &s) {
        notes += notes.empty() ? "" : "; ";
        notes += s;
    };
    if (t.truncated) {
        add("cut to \"" + t.shown + "\"");
    } else if (t.shrunk) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "shrunk to %.0f px", static_cast<double>(t.size));
        add(buf);
    }
    if (!t.missing.empty()) {
        add("no font has \"" + utf8::encode(t.missing) + "\"");
    }
    if (t.fallbackUsed) {
        add("fallback used");
    }
    return notes;
}

} // namespace

int renderCommand(const std::vector<std::string> &args) {
    std::string queuePath;
    std::string themeName;
    std::string outDir;
    std::optional<std::pair<int, int>> size;
    std::optional<Color> background;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        const auto value = [&](const char *name) -> std::optional<std::string> {
            if (i + 1 >= args.size()) {
                return std::nullopt;
            }
            (void)name;
            return args[++i];
        };
        std::optional<std::string> v;
        if (a == "--queue" || a == "--theme" || a == "--out" || a == "--size" ||
            a == "--background") {
            v = value(a.c_str());
            if (!v) {
                return usageError(a + " needs a value");
            }
        }
        if (a == "--queue") {
            queuePath = *v;
        } else if (a == "--theme") {
            themeName = *v;
        } else if (a == "--out") {
            outDir = *v;
        } else if (a == "--size") {
            size = parseSize(*v);
            if (!size) {
                return usageError("--size \"" + *v + "\" is not WIDTHxHEIGHT (16..8192)");
            }
        } else if (a == "--background") {
            background = Color::parse(*v);
            if (!background) {
                return usageError("--background \"" + *v + "\" is not a color like #RRGGBB");
            }
        } else {
            return usageError("unknown option \"" + a + "\"");
        }
    }
    if (queuePath.empty()) {
        return usageError("--queue is required");
    }
    if (outDir.empty()) {
        return usageError("--out is required");
    }
    if (themeName.empty()) {
        themeName = "default";
    }

    auto queue = loadQueueFile(queuePath);
    if (!queue) {
        return fail(queue.message());
    }
    for (const auto &d : queue->diagnostics) {
        std::fprintf(stderr, "%s\n", d.format().c_str());
    }
    const auto dirs = dataDirs();
    auto theme = loadTheme(themeName, dirs);
    if (!theme) {
        return fail(theme.message());
    }
    if (Status s = theme->check(queue->columns); !s) {
        return fail(s.message());
    }

    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec || !fs::is_directory(outDir, ec)) {
        return fail("cannot create the output folder " + outDir + " (" + ec.message() + ")");
    }

    const int width = size ? size->first : theme->width;
    const int height = size ? size->second : theme->height;
    auto stack = RenderStack::create(fontDirs(dirs), width, height);
    if (!stack) {
        return fail(stack.message());
    }
    OverlayComposer &composer = *stack->composer;
    GlyphCache &glyphs = *stack->glyphs;
    OverlayRenderer &renderer = *stack->renderer;

    // Pictures (logos, photos, websites) are read relative to the queue's folder, fetched over
    // http(s) into the picture cache, and reused from it when offline.
    const bool hasPictures = theme->hasPictures();
    PictureLoader pictureLoader;
    const fs::path queueFolder = fs::absolute(fs::path(queuePath)).parent_path();

    std::vector<SheetEntry> sheet;
    int written = 0;
    for (const Recipient &r : queue->recipients) {
        RecipientPictures pictures;
        if (hasPictures) {
            pictures = loadRecipientPictures(theme.value(), r, queueFolder, pictureLoader);
        }
        auto composed = composer.compose(theme.value(), r, width, height, &pictures);
        if (!composed) {
            return fail(queue->source + " row " + std::to_string(r.index) + ": " +
                        composed.message());
        }
        auto image = renderer.render(composed->drawList, glyphs.atlas());
        if (!image) {
            return fail(image.message());
        }
        if (background) {
            Image flat(image->width, image->height);
            const Color c = *background;
            fill(flat, static_cast<std::uint8_t>(c.r * 255.0f + 0.5f),
                 static_cast<std::uint8_t>(c.g * 255.0f + 0.5f),
                 static_cast<std::uint8_t>(c.b * 255.0f + 0.5f));
            compositeOver(flat, image.value(), 0, 0);
            image.value() = std::move(flat);
        }
        char index[16];
        std::snprintf(index, sizeof index, "%03d", r.index);
        const std::string name = r.displayName();
        auto pngPath = writeNewPng(image.value(), outDir, std::string(index) + "_" + slugify(name));
        if (!pngPath) {
            return fail(pngPath.message());
        }
        const fs::path file = *pngPath;
        ++written;
        std::string notes;
        for (const auto &t : composed->texts) {
            const std::string d = describe(t);
            if (!d.empty()) {
                notes += notes.empty() ? "" : "; ";
                notes += d;
            }
        }
        for (const auto &n : pictures.notes) {
            notes += notes.empty() ? "" : "; ";
            notes += n;
        }
        std::printf("%s  %s%s%s\n", file.filename().c_str(), name.c_str(),
                    notes.empty() ? "" : "  -- ", notes.c_str());
        if (sheet.size() < kMaxSheetEntries) {
            sheet.push_back(SheetEntry{index, name, std::move(image.value())});
        }
    }
    auto contact = makeContactSheet(sheet, composer, glyphs, stack->context);
    if (!contact) {
        return fail("contact sheet: " + contact.message());
    }
    auto sheetWritten = writeNewPng(contact.value(), outDir, "contact-sheet");
    if (!sheetWritten) {
        return fail(sheetWritten.message());
    }
    const fs::path sheetPath = *sheetWritten;
    std::printf("wrote %d overlay%s and %s to %s (%dx%d, theme %s, Vulkan device: %s)\n", written,
                written == 1 ? "" : "s", sheetPath.filename().c_str(), outDir.c_str(), width,
                height, theme->name.c_str(), stack->context->deviceName().c_str());
    if (queue->recipients.size() > kMaxSheetEntries) {
        std::printf("the contact sheet shows the first %zu recipients\n", kMaxSheetEntries);
    }
    return 0;
}

} // namespace cuecard::cli
