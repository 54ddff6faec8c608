// Golden images: rendered on Mesa lavapipe and committed in tests/golden/. Tolerance: a pixel
// differs when one of its channels is off by more than 4/255; the test fails when more than
// 0.5% of the pixels differ. On failure the actual image and a diff (differing pixels red) are
// written to <build>/test-output/. CUECARD_UPDATE_GOLDEN=1 rewrites the golden files.

#include "core/theme/theme.hpp"
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace cuecard;

namespace {

constexpr int kTolerance = 4;
constexpr double kMaxFraction = 0.005;

void checkGolden(const std::string &name, const Recipient &recipient) {
    test::TextStack stack;
    auto theme = loadTheme((test::inputsDir() / "golden-theme.json").string(), {});
    REQUIRE_MESSAGE(theme.ok(), theme.message());
    auto renderer = OverlayRenderer::create(test::gpu(), theme->width, theme->height, 2048);
    REQUIRE(renderer.ok());
    auto composed = stack.composer->compose(theme.value(), recipient);
    REQUIRE(composed.ok());
    auto actual = renderer.value()->render(composed->drawList, stack.glyphs->atlas());
    REQUIRE(actual.ok());

    const std::filesystem::path golden =
        std::filesystem::path(CUECARD_GOLDEN_DIR) / (name + ".png");
    const char *update = std::getenv("CUECARD_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        REQUIRE(writePng(actual.value(), golden, true).ok());
        MESSAGE("rewrote " << golden.string());
        return;
    }
    auto expected = readPng(golden);
    REQUIRE_MESSAGE(expected.ok(), expected.message()
                                       << " (run with CUECARD_UPDATE_GOLDEN=1 to create it)");
    REQUIRE(expected->width == actual->width);
    REQUIRE(expected->height == actual->height);
    const test::ImageDiff d = test::compareImages(expected.value(), actual.value(), kTolerance);
    if (d.fraction > kMaxFraction) {
        const auto out = test::outputDir();
        (void)writePng(actual.value(), out / (name + ".actual.png"), true);
        (void)writePng(test::diffImage(expected.value(), actual.value(), kTolerance),
                       out / (name + ".diff.png"), true);
        MESSAGE("wrote " << (out / (name + ".actual.png")).string() << " and "
                         << (out / (name + ".diff.png")).string());
    }
    CAPTURE(d.differing);
    CAPTURE(d.maxDelta);
    CHECK(d.fraction <= kMaxFraction);
}

} // namespace

TEST_CASE("golden: Latin with diacritics, outline, shadow, gradient, right-aligned subtitle") {
    Recipient r;
    r.set("full_name", "Zoë Müller-Lüdenscheidt");
    r.set("title", "Head of Growth");
    r.set("company", "Bäckerei Größe");
    checkGolden("golden-latin", r);
}

TEST_CASE("golden: CJK and Arabic through fallback fonts") {
    Recipient r;
    r.set("full_name", "李小龙 · محمد العلي");
    r.set("title", "");
    r.set("company", "שרה כהן");
    checkGolden("golden-mixed", r);
}
