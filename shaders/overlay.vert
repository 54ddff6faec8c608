// SPDX-License-Identifier: GPL-2.0-or-later
#version 450
// One instanced quad per box, glyph or picture (see plugin/core/render/draw_list.hpp).

layout(location = 0) in vec4 inRect;   // x0, y0, x1, y1 in canvas px
layout(location = 1) in vec4 inShape;  // box: center, half size; glyph: atlas uv rect
layout(location = 2) in vec4 inParams;
layout(location = 3) in vec4 inColor0;
layout(location = 4) in vec4 inColor1;
layout(location = 5) in vec4 inKind;

layout(push_constant) uniform Push {
    vec2 canvas;  // px
    float warped; // 1: these quads go through the homography below
    float unused;
    vec4 h0;      // rows of the homography (layer px → canvas px), xyz
    vec4 h1;
    vec4 h2;
    vec4 clip;    // the flat layer, x0, y0, x1, y1: nothing outside it is drawn
} pc;

layout(location = 0) out vec2 vPos;
layout(location = 1) out vec2 vUv;
layout(location = 2) flat out vec4 vShape;
layout(location = 3) flat out vec4 vParams;
layout(location = 4) flat out vec4 vColor0;
layout(location = 5) flat out vec4 vColor1;
layout(location = 6) flat out float vKind;
layout(location = 7) flat out vec4 vClip;
layout(location = 8) flat out float vWarped;

const vec2 kCorners[6] = vec2[](vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
                                vec2(1.0, 0.0), vec2(1.0, 1.0), vec2(0.0, 1.0));

void main() {
    vec2 c = kCorners[gl_VertexIndex];
    vec2 pos = mix(inRect.xy, inRect.zw, c);
    vPos = pos;
    // Glyphs sample the atlas at their shape's uv rect; pictures carry theirs in color0.
    vec4 uvRect = inKind.x > 1.5 ? inColor0 : inShape;
    vUv = mix(uvRect.xy, uvRect.zw, c);
    vShape = inShape;
    vParams = inParams;
    vColor0 = inColor0;
    vColor1 = inColor1;
    vKind = inKind.x;
    vClip = pc.clip;
    vWarped = pc.warped;
    // Projective: w carries the homography's W, so every varying (vPos above all, where the
    // SDFs are evaluated) is interpolated perspective-correctly across the warped quad.
    vec3 p = vec3(pos, 1.0);
    float w = dot(pc.h2.xyz, p);
    gl_Position = vec4(dot(pc.h0.xyz, p) / pc.canvas.x * 2.0 - w,
                       dot(pc.h1.xyz, p) / pc.canvas.y * 2.0 - w, 0.0, w);
}
