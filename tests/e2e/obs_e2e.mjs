// Drives a real OBS (already running, plugin installed) over obs-websocket: creates a
// cuecard_overlay input, presses cuecard.next, screenshots the source, OCRs it, and checks the
// vendor request get_state agrees. Prints "N passed, N failed".
import { OBSWebSocket } from 'obs-websocket-js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const [queuePath, outDir] = process.argv.slice(2);
const obs = new OBSWebSocket();
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok: ${what}`); }
  else { failed++; console.log(`FAIL: ${what} ${detail}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function connect() {
  for (let i = 0; i < 120; i++) {
    try { await obs.connect('ws://127.0.0.1:4455'); return; } catch { await sleep(500); }
  }
  throw new Error('could not connect to obs-websocket on 127.0.0.1:4455');
}

async function state() {
  const r = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'get_state' });
  return r.responseData;
}

// OCR the source: flatten its transparent screenshot on grey, invert (dark text on light reads
// best), double the size, and run tesseract.
async function ocr(name) {
  const shot = await obs.call('GetSourceScreenshot', {
    sourceName: 'Cuecard', imageFormat: 'png', imageWidth: 1920, imageHeight: 1080 });
  const png = path.join(outDir, `${name}.png`);
  writeFileSync(png, Buffer.from(shot.imageData.split(',')[1], 'base64'));
  const flat = path.join(outDir, `${name}-ocr.png`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x787878:s=1920x1080',
    '-i', png, '-filter_complex', '[0][1]overlay=format=auto,crop=1920:400:0:700,format=gray,negate,scale=iw*2:ih*2',
    '-frames:v', '1', flat]);
  return execFileSync('tesseract', [flat, 'stdout', '--psm', '6'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

async function waitFor(what, predicate, timeoutMs = 20000) {
  const start = Date.now();
  for (;;) {
    const s = await state();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) { console.log(`timeout waiting for ${what}: ${JSON.stringify(s)}`); return s; }
    await sleep(200);
  }
}

try {
  await connect();
  const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
  await obs.call('CreateInput', {
    sceneName: currentProgramSceneName, inputName: 'Cuecard', inputKind: 'cuecard_overlay',
    inputSettings: { queue_path: queuePath, theme: 'default' } });
  let s = await waitFor('queue loaded', (x) => x.loaded && x.index === 1);
  check('get_state: queue loaded with 3 recipients', s.loaded && s.total === 3, JSON.stringify(s));
  await sleep(1500); // first render + in-animation
  const before = await ocr('before-next');
  check('OCR before next shows the first recipient', before.includes('Jane Doe'), JSON.stringify(before));

  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  s = await waitFor('index 2', (x) => x.index === 2);
  await sleep(1500);
  const after = await ocr('after-next');
  check('OCR after cuecard.next shows the second recipient', after.includes('Sam Lee'), JSON.stringify(after));
  check('OCR after next no longer shows the first recipient', !after.includes('Jane Doe'), JSON.stringify(after));
  check('get_state agrees: index 2, Sam Lee', s.index === 2 && s.current?.name === 'Sam Lee', JSON.stringify(s));
  check('get_state: next is Amy Wu', s.next?.name === 'Amy Wu', JSON.stringify(s));

  const jump = await obs.call('CallVendorRequest', {
    vendorName: 'cuecard', requestType: 'jump', requestData: { id: 'amy@globex.example' } });
  check('vendor jump by id', jump.responseData.ok === true && jump.responseData.index === 3,
    JSON.stringify(jump.responseData));
  const prev = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'previous' });
  check('vendor previous', prev.responseData.index === 2, JSON.stringify(prev.responseData));
  const toggled = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'toggle' });
  check('vendor toggle hides the overlay', toggled.responseData.visible === false,
    JSON.stringify(toggled.responseData));
  await sleep(1200);
  const hidden = await ocr('hidden');
  check('hidden overlay shows no name', !hidden.includes('Sam Lee'), JSON.stringify(hidden));

  const { settings } = await obs.call('GetInputSettings', { inputName: 'Cuecard' }).then((r) => ({ settings: r.inputSettings }));
  check('settings keep queue_path and theme', settings.queue_path === queuePath && settings.theme === 'default',
    JSON.stringify(settings));
  const hotkeys = await obs.call('GetHotkeyList');
  for (const name of ['cuecard.next', 'cuecard.previous', 'cuecard.toggle', 'cuecard.skip', 'cuecard.retake', 'cuecard.mark_done']) {
    check(`hotkey ${name} is registered`, hotkeys.hotkeys.includes(name));
  }
} catch (e) {
  failed++;
  console.log(`FAIL: ${e.stack || e}`);
} finally {
  try { await obs.disconnect(); } catch {}
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
