// SPDX-License-Identifier: GPL-2.0-or-later
#version 450
// Signed distance fields for everything: rounded boxes analytically, glyphs from FreeType's SDF
// atlas, pictures masked by a rounded box. Output is premultiplied alpha (blend: ONE,
// ONE_MINUS_SRC_ALPHA).

layout(set = 0, binding = 0) uniform sampler2D uAtlas;
layout(set = 0, binding = 1) uniform sampler2D uPictures; // premultiplied RGBA

layout(location = 0) in vec2 vPos;
layout(location = 1) in vec2 vUv;
layout(location = 2) flat in vec4 vShape;
layout(location = 3) flat in vec4 vParams;
layout(location = 4) flat in vec4 vColor0;
layout(location = 5) flat in vec4 vColor1;
layout(location = 6) flat in float vKind;
layout(location = 7) flat in vec4 vClip;
layout(location = 8) flat in float vWarped;

layout(location = 0) out vec4 outColor;

// Distance from p to a box of half size b with corner radius r (negative inside).
float roundedBoxDistance(vec2 p, vec2 b, float r) {
    vec2 q = abs(p) - b + vec2(r);
    return length(max(q, vec2(0.0))) + min(max(q.x, q.y), 0.0) - r;
}

// Coverage of an edge at distance d (layer px, negative inside): one screen pixel wide. Flat,
// a layer px is a screen px; warped, the distance is scaled by how fast it changes on screen.
float edgeCoverage(float d) {
    float aa = vWarped > 0.5 ? max(length(vec2(dFdx(d), dFdy(d))), 1e-4) : 1.0;
    return clamp(0.5 - d / aa, 0.0, 1.0);
}

vec4 shade() {
    if (vKind > 1.5) {
        // Picture: shape = mask box (center, half size), params = radius, -, opacity.
        float d = roundedBoxDistance(vPos - vShape.xy, vShape.zw, vParams.x);
        return texture(uPictures, vUv) * edgeCoverage(d) * vParams.z;
    }
    if (vKind < 0.5) {
        // Box: params = radius, softness, gradient direction.
        vec2 p = vPos - vShape.xy;
        float d = roundedBoxDistance(p, vShape.zw, vParams.x);
        float soft = vParams.y;
        float coverage = soft > 0.0 ? 1.0 - smoothstep(-soft, soft, d) : edgeCoverage(d);
        vec2 dir = vParams.zw;
        float extent = max(abs(dir.x) * vShape.z + abs(dir.y) * vShape.w, 1e-3);
        float t = clamp(0.5 + dot(p, dir) / (2.0 * extent), 0.0, 1.0);
        return mix(vColor0, vColor1, t) * coverage;
    }
    // Glyph: params = px per SDF unit, outline px, softness px, dilate px.
    float sdf = texture(uAtlas, vUv).r;
    float d = (sdf - 0.5) * vParams.x + vParams.w; // px, positive inside the outline
    float soft = vParams.z;
    if (soft > 0.0) {
        return vColor0 * smoothstep(-soft, soft, d);
    }
    float aa = max(length(vec2(dFdx(d), dFdy(d))), 1e-3);
    float fill = clamp(d / aa + 0.5, 0.0, 1.0);
    float outline = vParams.y > 0.0 ? clamp((d + vParams.y) / aa + 0.5, 0.0, 1.0) : 0.0;
    return vColor0 * fill + vColor1 * outline * (1.0 - vColor0.a * fill);
}

void main() {
    vec4 color = shade();
    // A warped layer cuts what lies outside it, with an antialiased edge on screen.
    if (vWarped > 0.5) {
        vec2 half_ = (vClip.zw - vClip.xy) * 0.5;
        color *= edgeCoverage(roundedBoxDistance(vPos - (vClip.xy + half_), half_, 0.0));
    }
    outColor = color;
}
