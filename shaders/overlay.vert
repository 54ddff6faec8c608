#version 450
// One instanced quad per box, glyph or picture (see plugin/core/render/draw_list.hpp).

layout(location = 0) in vec4 inRect;   // x0, y0, x1, y1 in canvas px
layout(location = 1) in vec4 inShape;  // box: center, half size; glyph: atlas uv rect
layout(location = 2) in vec4 inParams;
layout(location = 3) in vec4 inColor0;
layout(location = 4) in vec4 inColor1;
layout(location = 5) in vec4 inKind;

layout(push_constant) uniform Push {
    vec2 canvas; // px
} pc;

layout(location = 0) out vec2 vPos;
layout(location = 1) out vec2 vUv;
layout(location = 2) flat out vec4 vShape;
layout(location = 3) flat out vec4 vParams;
layout(location = 4) flat out vec4 vColor0;
layout(location = 5) flat out vec4 vColor1;
layout(location = 6) flat out float vKind;

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
    gl_Position = vec4(pos / pc.canvas * 2.0 - 1.0, 0.0, 1.0);
}
