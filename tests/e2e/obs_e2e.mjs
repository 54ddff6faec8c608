// Drives a real OBS (already running, plugin installed) over obs-websocket: creates a
// cuecard_overlay input, presses cuecard.next, screenshots the source, OCRs it, and checks the
// vendor request get_state agrees. Prints "N passed, N failed".
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { obs, ocrSource } from './lib.mjs'; // one connection, shared with the OCR helper

const [queuePath, outDir, port = '4455'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) { passed++; console.log(`ok: ${what}`); }
  else { failed++; console.log(`FAIL: ${what} ${detail}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function connect() {
  for (let i = 0; i < 120; i++) {
    try { await obs.connect(`ws://127.0.0.1:${port}`); return; } catch { await sleep(500); }
  }
  throw new Error(`could not connect to obs-websocket on 127.0.0.1:${port}`);
}

async function state() {
  const r = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'get_state' });
  return r.responseData;
}

// OCR the source (flattened on grey, inverted, doubled: see lib.mjs).
const ocr = (name) => ocrSource('Cuecard', outDir, name);

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

  // A recording session: three recipients, one file each, split frame-exactly.
  await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'toggle' }); // show again
  await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'jump', requestData: { index: 1 } });
  const { sceneItemId } = await obs.call('GetSceneItemId', { sceneName: currentProgramSceneName, sourceName: 'Cuecard' });
  await obs.call('SetSceneItemTransform', { sceneName: currentProgramSceneName, sceneItemId,
    sceneItemTransform: { scaleX: 2 / 3, scaleY: 2 / 3 } }); // the 1080p overlay on the 720p canvas
  await sleep(1500);
  const recDir = path.join(outDir, 'recording');
  const started = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'session_start',
    requestData: { folder: recDir } });
  check('vendor session_start', started.responseData.ok === true && started.responseData.recording?.active === true,
    JSON.stringify(started.responseData));
  await sleep(2500);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await sleep(2500);
  await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'next' });
  await sleep(2500);
  const stopped = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'session_stop' });
  check('vendor session_stop', stopped.responseData.ok === true, JSON.stringify(stopped.responseData));
  const manifest = JSON.parse(readFileSync(path.join(recDir, 'manifest.json'), 'utf8'));
  const expected = [['001_Acme-Corp_Jane-Doe.mkv', 'Jane Doe'], ['002_Initech_Sam-Lee.mkv', 'Sam Lee'],
    ['003_Globex_Amy-Wu.mkv', 'Amy Wu']];
  check('three files in the manifest', manifest.files.length === 3, JSON.stringify(manifest.files.map((f) => f.file)));
  const onDisk = readdirSync(recDir).filter((f) => f.endsWith('.mkv')).sort();
  check('three files on disk, named after the recipients',
    JSON.stringify(onDisk) === JSON.stringify(expected.map((e) => e[0])), JSON.stringify(onDisk));
  for (const [i, [file, name]] of expected.entries()) {
    const entry = manifest.files[i] || {};
    check(`${file}: manifest entry matches`, entry.file === file && entry.name === name &&
      entry.status === 'complete' && entry.frames > 10, JSON.stringify(entry));
    const full = path.join(recDir, file);
    const first = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-read_intervals', '%+#1',
      '-show_entries', 'frame=pict_type,key_frame', '-of', 'csv=p=0', full]).toString().trim().split('\n')[0];
    check(`${file}: starts with an IDR frame`, first.startsWith('1,I'), first);
    const frames = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-count_frames',
      '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', full]).toString().trim();
    check(`${file}: the manifest's frame count is the file's`, Number(frames) === entry.frames, `${frames} vs ${entry.frames}`);
    // The first frame may be mid-animation (a new recipient slides in), but it never shows
    // anyone else; half a second in and on the last frame, the name is this file's.
    const others = expected.filter((e) => e[1] !== name).map((e) => e[1]);
    for (const [label, pre] of [['first', []], ['0.5s', ['-ss', '0.5']], ['last', ['-sseof', '-0.3']]]) {
      const png = path.join(outDir, `rec-${i}-${label}.png`);
      execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...pre, '-i', full, '-frames:v', '1',
        '-vf', 'crop=1280:180:0:520,format=gray,negate,scale=iw*2:ih*2', png]);
      const text = execFileSync('tesseract', [png, 'stdout', '--psm', '6'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      check(`${file}: its ${label} frame shows no other recipient`, others.every((o) => !text.includes(o)), JSON.stringify(text));
      if (label !== 'first') {
        check(`${file}: its ${label} frame shows ${name}`, text.includes(name), JSON.stringify(text));
      }
    }
  }

  // OBS-recording mode: Cuecard drives OBS's own recording and splits it per recipient.
  await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'jump', requestData: { index: 1 } });
  await sleep(1500);
  const obsStart = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'session_start',
    requestData: { mode: 'obs' } });
  check('vendor session_start in OBS-recording mode', obsStart.responseData.ok === true,
    JSON.stringify(obsStart.responseData));
  await sleep(4000);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await sleep(4000);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await sleep(4000);
  const obsStop = await obs.call('CallVendorRequest', { vendorName: 'cuecard', requestType: 'session_stop' });
  check('vendor session_stop in OBS-recording mode', obsStop.responseData.ok === true, JSON.stringify(obsStop.responseData));
  await sleep(2000);
  const obsDir = path.join(outDir, 'obsrec');
  const obsFiles = readdirSync(obsDir).filter((f) => f.endsWith('.mkv')).sort();
  // Same people again in the same session: these are their second takes.
  const takes = expected.map(([f, n]) => [f.replace('.mkv', '_take2.mkv'), n]);
  check('OBS-recording mode: three files named after the recipients (take 2)',
    JSON.stringify(obsFiles) === JSON.stringify(takes.map((e) => e[0])), JSON.stringify(obsFiles));
  for (const [i, [file, name]] of takes.entries()) {
    const full = path.join(obsDir, file);
    if (!obsFiles.includes(file)) continue;
    const others = expected.filter((e) => e[1] !== name).map((e) => e[1]);
    let seen = false;
    // Every half second through the file, plus its first and last frame: never anyone else,
    // and the recipient at least once (the overlay is hidden while OBS switches files).
    const duration = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration',
      '-of', 'csv=p=0', full]).toString().trim());
    const samples = [['first', []], ['last', ['-sseof', '-0.3']]];
    for (let t = 0.5; t < duration - 0.3; t += 0.5) samples.push([`${t}s`, ['-ss', String(t)]]);
    for (const [label, pre] of samples) {
      const png = path.join(outDir, `obsrec-${i}-${label}.png`);
      execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...pre, '-i', full, '-frames:v', '1',
        '-vf', 'crop=1280:180:0:520,format=gray,negate,scale=iw*2:ih*2', png]);
      const text = execFileSync('tesseract', [png, 'stdout', '--psm', '6'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      check(`OBS-recording mode ${file}: ${label} frame shows no other recipient`, others.every((o) => !text.includes(o)), JSON.stringify(text));
      seen = seen || text.includes(name);
    }
    check(`OBS-recording mode ${file}: shows ${name}`, seen);
  }

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
