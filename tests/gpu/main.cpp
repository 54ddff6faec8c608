// SPDX-License-Identifier: GPL-2.0-or-later
#define DOCTEST_CONFIG_IMPLEMENT
#include "gpu/gpu_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace cuecard::test {
namespace {
std::shared_ptr<VulkanContext> gContext;
}

std::shared_ptr<VulkanContext> gpu() {
    return gContext;
}

ImageDiff compareImages(const Image &a, const Image &b, int tolerance) {
    ImageDiff d;
    const std::size_t n = std::min(a.pixels.size(), b.pixels.size());
    for (std::size_t i = 0; i + 3 < n; i += 4) {
        int worst = 0;
        for (int c = 0; c < 4; ++c) {
            worst = std::max(worst, std::abs(a.pixels[i + static_cast<std::size_t>(c)] -
                                             b.pixels[i + static_cast<std::size_t>(c)]));
        }
        d.maxDelta = std::max(d.maxDelta, worst);
        if (worst > tolerance) {
            ++d.differing;
        }
    }
    d.fraction = n == 0 ? 1.0 : static_cast<double>(d.differing) / static_cast<double>(n / 4);
    return d;
}

Image diffImage(const Image &expected, const Image &actual, int tolerance) {
    Image out(expected.width, expected.height);
    for (int y = 0; y < expected.height; ++y) {
        for (int x = 0; x < expected.width; ++x) {
            const std::uint8_t *e = expected.at(x, y);
            const std::uint8_t *a = actual.at(x, y);
            int worst = 0;
            for (int c = 0; c < 4; ++c) {
                worst = std::max(worst, std::abs(e[c] - a[c]));
            }
            std::uint8_t *o = out.at(x, y);
            if (worst > tolerance) {
                o[0] = 255;
                o[1] = 0;
                o[2] = 0;
            } else {
                o[0] = o[1] = o[2] = static_cast<std::uint8_t>(40 + e[3] / 4);
            }
            o[3] = 255;
        }
    }
    return out;
}

std::string pixelString(const Image &image, int x, int y) {
    const std::uint8_t *p = image.at(x, y);
    char buf[64];
    std::snprintf(buf, sizeof buf, "(%d,%d,%d,%d)", p[0], p[1], p[2], p[3]);
    return buf;
}

} // namespace cuecard::test

int main(int argc, char **argv) {
    // The picture tests' HTTP servers listen on 127.0.0.1, which Cuecard refuses for queue data
    // by default.
    ::setenv("CUECARD_ALLOW_PRIVATE_HOSTS", "1", 0);
    // Every GPU test runs under Khronos' validation layer: a misused Vulkan call fails the run
    // here instead of crashing a driver somewhere else.
    cuecard::VulkanOptions options;
    options.validation = true;
    options.onValidationMessage = [](const std::string &m) {
        std::fprintf(stderr, "Vulkan validation %s\n", m.c_str());
    };
    if (auto probe = cuecard::VulkanContext::create(); !probe) {
        if (cuecard::test::inCi()) {
            std::printf("FAIL: no Vulkan device exists on this machine (%s); in CI (CI=true) the "
                        "GPU tests never count as skipped\n",
                        probe.message().c_str());
            return 1;
        }
        std::printf("SKIPPED: no Vulkan device exists on this machine (%s)\n",
                    probe.message().c_str());
        return 77;
    }
    auto ctx = cuecard::VulkanContext::create(options);
    if (!ctx) {
        std::printf("FAIL: %s\n", ctx.message().c_str());
        return 1;
    }
    cuecard::test::gContext = ctx.value();
    std::printf("GPU tests on Vulkan device: %s, under the validation layer\n",
                ctx.value()->deviceName().c_str());
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    int result = context.run();
    const int errors = cuecard::test::gContext->validationErrors();
    if (errors > 0) {
        std::printf("FAIL: the validation layer reported %d error(s); the first ones:\n", errors);
        for (const auto &m : cuecard::test::gContext->validationMessages()) {
            std::printf("  %s\n", m.c_str());
        }
        result = result == 0 ? 1 : result;
    }
    cuecard::test::gContext.reset();
    return result;
}
