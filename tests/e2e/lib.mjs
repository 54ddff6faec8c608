// SPDX-License-Identifier: GPL-2.0-or-later
// Shared by the end-to-end drivers: the obs-websocket connection, Cuecard's vendor requests,
// checks that count, waiting on conditions, and OCR of what OBS shows or recorded.
import { OBSWebSocket } from 'obs-websocket-js';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const obs = new OBSWebSocket();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let passed = 0;
let failed = 0;
export function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what} ${detail}`); }
}
export function fail(what) { check(what, false); }
/// Prints the closing line and exits with the result.
export async function finish(name) {
  try { await obs.disconnect(); } catch {}
  console.log(`${name}: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/// Connects once OBS's websocket answers and OBS has finished loading (OBS under llvmpipe on a
/// busy 2-core machine can take a minute to start; obs-websocket accepts the connection before
/// that and answers every request with "OBS is not ready" until the frontend has loaded). Waits
/// on that condition with waitFor, up to `timeoutMs`.
export async function connect(port, timeoutMs = 180000) {
  let last = '';
  const ready = await waitFor(`obs-websocket on 127.0.0.1:${port}`, async () => {
    try {
      if (!obs.identified) await obs.connect(`ws://127.0.0.1:${port}`);
      await obs.call('GetCurrentProgramScene');
      return true;
    } catch (e) {
      last = String(e?.message ?? e);
      return false;
    }
  }, (ok) => ok, timeoutMs);
  if (!ready.ok) {
    throw new Error(`obs-websocket on 127.0.0.1:${port} was not ready within ${timeoutMs / 1000} s (${last})`);
  }
}

export async function vendor(requestType, requestData) {
  const r = await obs.call('CallVendorRequest', {
    vendorName: 'cuecard', requestType, ...(requestData ? { requestData } : {}) });
  return r.responseData;
}
export const state = () => vendor('get_state');

/// Polls `probe` (async) every 200 ms until `predicate` holds; the last value either way.
export async function waitFor(what, probe, predicate, timeoutMs = 30000) {
  const start = Date.now();
  for (;;) {
    let value;
    try { value = await probe(); } catch (e) { value = undefined; }
    if (value !== undefined && predicate(value)) return { ok: true, value };
    if (Date.now() - start > timeoutMs) {
      console.log(`timeout waiting for ${what}: ${JSON.stringify(value)}`);
      return { ok: false, value };
    }
    await sleep(200);
  }
}
export const waitForState = (what, predicate, timeoutMs) => waitFor(what, state, predicate, timeoutMs);

export function readManifest(dir) {
  const file = path.join(dir, 'manifest.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { files: [] };
}
export function fileSize(file) {
  try { return statSync(file).size; } catch { return 0; }
}

function tesseract(png) {
  return execFileSync('tesseract', [png, 'stdout', '--psm', '6'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/// OCR of a Cuecard source's screenshot: flattened on grey, the lower band, inverted, doubled.
export async function ocrSource(sourceName, outDir, name) {
  const shot = await obs.call('GetSourceScreenshot', {
    sourceName, imageFormat: 'png', imageWidth: 1920, imageHeight: 1080 });
  const png = path.join(outDir, `${name}.png`);
  writeFileSync(png, Buffer.from(shot.imageData.split(',')[1], 'base64'));
  const flat = path.join(outDir, `${name}-ocr.png`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x787878:s=1920x1080',
    '-i', png, '-filter_complex', '[0][1]overlay=format=auto,crop=1920:400:0:700,format=gray,negate,scale=iw*2:ih*2',
    '-frames:v', '1', flat]);
  return tesseract(flat);
}

const kLowerThird = 'crop=1280:180:0:520,format=gray,negate,scale=iw*2:ih*2';

/// OCR of one frame of a 1280x720 recording: `at` is seconds from the start, or 'first' or
/// 'last' (the true last frame: every frame of the final second is decoded, the last one kept).
export function ocrRecording(file, at, png) {
  const pre = at === 'first' ? [] : at === 'last' ? ['-sseof', '-1'] : ['-ss', String(at)];
  const post = at === 'last' ? ['-update', '1'] : ['-frames:v', '1'];
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...pre, '-i', file, '-vf', kLowerThird, ...post, png]);
  return tesseract(png);
}

export function probeDuration(file) {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration',
    '-of', 'csv=p=0', file]).toString().trim());
}
export function countFrames(file) {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-count_frames',
    '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());
}
export function firstFrameType(file) {
  return execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-read_intervals', '%+#1',
    '-show_entries', 'frame=pict_type,key_frame', '-of', 'csv=p=0', file]).toString().trim().split('\n')[0];
}

/// Reads a recording's lower third every half second, plus its first and true last frame.
/// No frame may show anyone in `others`; `expected` must be read on every frame but the first
/// (which may be mid-animation) — so a frame where OCR reads nothing cannot pass for a right one.
/// `blankEdges` (seconds) is for OBS-recording mode, where the overlay is hidden from the switch
/// until OBS has opened the next file: within that distance of either end a frame may show nobody
/// (no name at all), but never someone else; at least one frame must show `expected`.
export function checkRecordingShowsOnly(label, file, expected, others, outDir, { blankEdges = 0 } = {}) {
  const duration = probeDuration(file);
  const samples = ['first', 'last'];
  for (let t = 0.5; t < duration - 0.1; t += 0.5) samples.push(Number(t.toFixed(2)));
  const base = path.basename(file).replace(/[^A-Za-z0-9]/g, '_');
  let shown = 0;
  for (const at of samples) {
    const text = ocrRecording(file, at, path.join(outDir, `${base}-${at}.png`));
    const intruders = others.filter((o) => text.includes(o));
    check(`${label}: frame at ${at} shows no other recipient`, intruders.length === 0, JSON.stringify(text));
    if (text.includes(expected)) { shown++; continue; }
    const t = at === 'first' ? 0 : at === 'last' ? duration : at;
    const nearEdge = Math.min(t, duration - t) <= blankEdges;
    const blank = !/[A-Za-z]{3}/.test(text);
    if (at === 'first' && blankEdges === 0) continue; // may be mid-animation
    if (nearEdge && blank) { console.log(`   (${label}: frame at ${at} is blank: held while OBS switches files)`); continue; }
    check(`${label}: frame at ${at} shows ${expected}`, false, JSON.stringify(text));
  }
  check(`${label}: ${expected} is read on ${shown} of ${samples.length} frames`, shown > 0);
}

/// Waits until `dir`'s manifest lists `count` files and the last one holds at least `bytes` (MKV
/// clusters reach the disk every second; about two seconds here), i.e. that take is really being
/// recorded.
export async function waitForTake(dir, count, bytes = 12000) {
  const r = await waitFor(`file ${count} recording`, async () => readManifest(dir),
    (m) => m.files.length === count && fileSize(path.join(dir, m.files[count - 1].file)) >= bytes, 60000);
  check(`file ${count} is being recorded`, r.ok, JSON.stringify(r.value?.files?.map((f) => f.file)));
}

/// OCR of the X screen's left part (where the dock floats): captured with ffmpeg's x11grab,
/// grey, inverted and tripled for tesseract; the text is also kept next to the shot.
/// `crop` (ffmpeg's w:h:x:y) and `scale` pick another part of the screen.
export function ocrScreen(outDir, display, name, { crop = '600:1024:0:0', scale = 3 } = {}) {
  const png = path.join(outDir, `${name}.png`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'x11grab', '-video_size', '1280x1024', '-i', display,
    '-frames:v', '1', png]);
  const big = path.join(outDir, `${name}-ocr.png`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', png, '-vf',
    `crop=${crop},format=gray,negate,scale=iw*${scale}:ih*${scale}:flags=lanczos`, '-frames:v', '1', big]);
  const text = execFileSync('tesseract', [big, 'stdout', '--psm', '4'],
    { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  writeFileSync(path.join(outDir, `${name}.txt`), text);
  return text;
}

/// session_start and session_stop run on the plugin's task thread (never on obs-websocket's):
/// the reply says whether the request was taken, get_state's recording.busy says when the work
/// is done. Returns the state once done, `ok` when the recording is then running (start) or not
/// (stop), and the reply.
export async function session(request, params) {
  const reply = await vendor(request, params);
  if (reply.ok !== true) return { ...reply, reply };
  const done = await waitForState(`${request} done`, (x) => x.recording?.busy === '', 120000);
  const active = done.value?.recording?.active === true;
  return { ...done.value, ok: done.ok && (request === 'session_start' ? active : !active), reply };
}

/// The place of the X window whose title contains `title` ({ x, y, width, height }), or null:
/// from xwininfo's tree of the screen (x11-utils).
export function windowGeometry(display, title) {
  const tree = execFileSync('xwininfo', ['-root', '-tree', '-display', display]).toString();
  const found = [];
  for (const line of tree.split('\n')) {
    const m = line.match(/"([^"]*)".*?\s(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+\+(-?\d+)\+(-?\d+)\s*$/);
    if (m && m[1].includes(title) && Number(m[2]) > 100) {
      found.push({ width: Number(m[2]), height: Number(m[3]), x: Number(m[4]), y: Number(m[5]) });
    }
  }
  if (found.length > 1) console.log(`(windows named like "${title}": ${JSON.stringify(found)})`);
  // Qt 6 also keeps a window of that name at 0,0 that is not the one on screen.
  return found.find((g) => g.x !== 0 || g.y !== 0) ?? found[0] ?? null;
}
