// SPDX-License-Identifier: GPL-2.0-or-later
// Drives a real OBS (already running, plugin installed) over obs-websocket: creates a
// cuecard_overlay input, presses cuecard.next, screenshots the source, OCRs it, and checks the
// vendor request get_state agrees; then records a session in Cuecard's recorder and in OBS's own
// recording and reads every file back. Prints "N passed, N failed". It waits on conditions (what
// OCR reads, what reaches the disk), never on fixed times.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  check, checkRecordingShowsOnly, connect, countFrames, fileSize, finish, firstFrameType, obs,
  ocrRecording, ocrSource, readManifest, session, state, vendor, waitFor, waitForState, waitForTake,
} from './lib.mjs';

const [queuePath, outDir, port = '4455'] = process.argv.slice(2);

// OCR the source (flattened on grey, inverted, doubled: see lib.mjs) until `predicate` holds.
let shot = 0;
const waitForOcr = (what, predicate) =>
  waitFor(what, () => ocrSource('Cuecard', outDir, `shot-${++shot}`), predicate);

try {
  await connect(port);
  const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
  await obs.call('CreateInput', {
    sceneName: currentProgramSceneName, inputName: 'Cuecard', inputKind: 'cuecard_overlay',
    inputSettings: { queue_path: queuePath, theme: 'default' } });
  let s = await waitForState('queue loaded', (x) => x.loaded && x.index === 1);
  check('get_state: queue loaded with 3 recipients', s.value?.loaded && s.value?.total === 3, JSON.stringify(s.value));
  const expectVersion = process.env.CUECARD_EXPECT_VERSION ?? '';
  check(`get_state: version ${expectVersion} (the CLI's)`, expectVersion !== '' && s.value?.version === expectVersion,
    JSON.stringify(s.value?.version));
  check('get_state: pictures from the rep\'s own network are off (the dock\'s setting, default)',
    s.value?.private_hosts_allowed === false, JSON.stringify(s.value?.private_hosts_allowed));
  // The first render on lavapipe and the in-animation take a moment: wait until OCR reads it.
  const before = await waitForOcr('Jane Doe on screen', (t) => t.includes('Jane Doe'));
  check('OCR before next shows the first recipient', before.ok, JSON.stringify(before.value));

  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  s = await waitForState('index 2', (x) => x.index === 2);
  const after = await waitForOcr('Sam Lee on screen', (t) => t.includes('Sam Lee'));
  check('OCR after cuecard.next shows the second recipient', after.ok, JSON.stringify(after.value));
  check('OCR after next no longer shows the first recipient', !String(after.value).includes('Jane Doe'),
    JSON.stringify(after.value));
  check('get_state agrees: index 2, Sam Lee', s.value?.index === 2 && s.value?.current?.name === 'Sam Lee',
    JSON.stringify(s.value));
  check('get_state: next is Amy Wu', s.value?.next?.name === 'Amy Wu', JSON.stringify(s.value));
  // set_quad reaches the source through obs-websocket: the default theme has no group to place,
  // and an unknown source is named (the corners themselves: the libobs quad test).
  let q = await vendor('set_quad', { source: 'Cuecard', quad: '100,100 500,100 500,400 100,400' });
  check('set_quad: a theme without a group says so', q?.ok === false && String(q?.error).includes('no group'),
    JSON.stringify(q));
  q = await vendor('set_quad', { source: 'Nobody', quad: '100,100 500,100 500,400 100,400' });
  check('set_quad: an unknown source is named', q?.ok === false && String(q?.error).includes('no Cuecard overlay named'),
    JSON.stringify(q));

  // A second source with a broken theme file: get_state says so (error and sources), not only
  // the source's properties; removing it clears the error.
  const brokenTheme = path.join(outDir, 'broken-theme.json');
  writeFileSync(brokenTheme, '{"cuecard_theme": 1, "elements": [{"type": "circle"}]}');
  await obs.call('CreateInput', {
    sceneName: currentProgramSceneName, inputName: 'Broken', inputKind: 'cuecard_overlay',
    inputSettings: { queue_path: queuePath, theme: brokenTheme } });
  s = await waitForState('the broken theme reported', (x) => String(x.error).includes("source 'Broken'"));
  check('get_state: a broken theme file of any source is the error', s.ok && String(s.value?.error).includes('circle'),
    JSON.stringify(s.value?.error));
  const broken = (s.value?.sources ?? []).find((x) => x.name === 'Broken');
  const good = (s.value?.sources ?? []).find((x) => x.name === 'Cuecard');
  check('get_state: sources lists each source, its theme and error',
    broken?.theme === brokenTheme && String(broken?.error).includes('circle') && good?.error === '',
    JSON.stringify(s.value?.sources));
  await obs.call('RemoveInput', { inputName: 'Broken' });
  s = await waitForState('the error cleared', (x) => x.error === '' && !(x.sources ?? []).some((y) => y.name === 'Broken'));
  check('get_state: the error goes with the broken source', s.ok, JSON.stringify(s.value?.error));

  const jump = await vendor('jump', { id: 'amy@globex.example' });
  check('vendor jump by id', jump.ok === true && jump.index === 3, JSON.stringify(jump));
  const prev = await vendor('previous');
  check('vendor previous', prev.index === 2, JSON.stringify(prev));
  const shownAgain = await waitForOcr('Sam Lee on screen again', (t) => t.includes('Sam Lee'));
  check('after jump and previous the source shows Sam Lee', shownAgain.ok, JSON.stringify(shownAgain.value));
  const toggled = await vendor('toggle');
  check('vendor toggle hides the overlay', toggled.visible === false, JSON.stringify(toggled));
  // Shown before the toggle (just read), so a screenshot without the name means it was hidden.
  const hidden = await waitForOcr('Sam Lee hidden', (t) => !t.includes('Sam Lee'));
  check('hidden overlay shows no name', hidden.ok, JSON.stringify(hidden.value));

  // A recording session: three recipients, one file each, split frame-exactly.
  await vendor('toggle'); // show again
  await vendor('jump', { index: 1 });
  const { sceneItemId } = await obs.call('GetSceneItemId', { sceneName: currentProgramSceneName, sourceName: 'Cuecard' });
  await obs.call('SetSceneItemTransform', { sceneName: currentProgramSceneName, sceneItemId,
    sceneItemTransform: { scaleX: 2 / 3, scaleY: 2 / 3 } }); // the 1080p overlay on the 720p canvas
  const janeBack = await waitForOcr('Jane Doe on screen before recording', (t) => t.includes('Jane Doe'));
  check('shown again on recipient 1 before recording', janeBack.ok, JSON.stringify(janeBack.value));
  const recDir = path.join(outDir, 'recording');
  const started = await session('session_start', { folder: recDir });
  check('vendor session_start', started.ok === true && started.recording?.active === true, JSON.stringify(started));
  await waitForTake(recDir, 1);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await waitForTake(recDir, 2);
  // What the dock's REC line shows: whose file is being written, and for how long (issue 31).
  const onAir = await waitForState('Sam Lee on air', (x) => x.recording?.on_air?.who === '#2 Sam Lee' &&
    x.recording.on_air.seconds > 0.5);
  check('get_state.recording.on_air: #2 Sam Lee, take 1, the take\'s seconds counting',
    onAir.ok && onAir.value.recording.on_air.take === 1, JSON.stringify(onAir.value?.recording));
  const later = await waitForState('the take clock runs', (x) =>
    x.recording?.on_air?.seconds > onAir.value?.recording?.on_air?.seconds + 0.5);
  check('the take clock runs', later.ok, JSON.stringify(later.value?.recording?.on_air));
  check('get_state.recording.frame_warning is a string (OBS\'s own counters)',
    typeof later.value?.recording?.frame_warning === 'string', JSON.stringify(later.value?.recording));
  const marked = await vendor('chapter', { title: 'Pricing' });
  check('vendor chapter while recording', marked.ok === true, JSON.stringify(marked));
  await vendor('next');
  await waitForTake(recDir, 3);
  const stopped = await session('session_stop');
  check('vendor session_stop', stopped.ok === true, JSON.stringify(stopped));
  const offAir = await state();
  check('after the stop nobody is on air', offAir.recording?.active === false && offAir.recording?.on_air === undefined,
    JSON.stringify(offAir.recording));
  // Each file's poster, animated preview and snippet are made after it closes.
  const assets = await waitForState('the email assets of three files', (x) =>
    x.recording?.assets?.done + x.recording?.assets?.failed >= 3, 120000);
  check('get_state: assets for the three files, none failed',
    assets.value?.recording?.assets?.done === 3 && assets.value?.recording?.assets?.failed === 0,
    JSON.stringify(assets.value?.recording?.assets));
  const manifest = readManifest(recDir);
  const expected = [['001_Acme-Corp_Jane-Doe.mkv', 'Jane Doe'], ['002_Initech_Sam-Lee.mkv', 'Sam Lee'],
    ['003_Globex_Amy-Wu.mkv', 'Amy Wu']];
  const names = expected.map((e) => e[1]);
  check('three files in the manifest', manifest.files.length === 3, JSON.stringify(manifest.files.map((f) => f.file)));
  const onDisk = readdirSync(recDir).filter((f) => f.endsWith('.mkv')).sort();
  check('three files on disk, named after the recipients',
    JSON.stringify(onDisk) === JSON.stringify(expected.map((e) => e[0])), JSON.stringify(onDisk));
  for (const [i, [file, name]] of expected.entries()) {
    const entry = manifest.files[i] || {};
    check(`${file}: manifest entry matches`, entry.file === file && entry.name === name &&
      entry.status === 'complete' && entry.frames > 10, JSON.stringify(entry));
    const full = path.join(recDir, file);
    const first = firstFrameType(full);
    check(`${file}: starts with an IDR frame`, first.startsWith('1,I'), first);
    const frames = countFrames(full);
    check(`${file}: the manifest's frame count is the file's`, frames === entry.frames, `${frames} vs ${entry.frames}`);
    // Every half second and the true last frame read this file's name and nobody else's (the
    // first frame may be mid-animation, but never shows anyone else).
    checkRecordingShowsOnly(file, full, name, names.filter((n) => n !== name), outDir);
    const stem = file.replace(/\.mkv$/, '');
    check(`${file}: the manifest lists its poster, GIF and snippet`,
      entry.poster === `${stem}_poster.jpg` && entry.preview_gif === `${stem}_preview.gif` &&
      entry.email_html === `${stem}_email.html` && entry.preview_bytes > 0 &&
      entry.preview_bytes <= 1024 * 1024, JSON.stringify(entry));
    for (const asset of [entry.poster, entry.preview_gif, entry.email_html]) {
      check(`${file}: ${asset} is on disk`, fileSize(path.join(recDir, String(asset))) > 0);
    }
    // The poster and the GIF's first frame show this file's recipient.
    const posterText = ocrRecording(path.join(recDir, String(entry.poster)), 'first',
      path.join(outDir, `${stem}-poster-ocr.png`));
    check(`${file}: the poster shows ${name}`, posterText.includes(name), JSON.stringify(posterText));
  }
  const chapters = execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'compact=p=0',
    path.join(recDir, expected[1][0])]).toString();
  check('the chapter is in the second file', chapters.includes('tag:title=Pricing'), chapters);
  check('the manifest lists the chapter', manifest.files[1]?.chapters?.[0]?.title === 'Pricing',
    JSON.stringify(manifest.files[1]?.chapters));

  // "Publish and draft…" (the dock's button) through the publish request: a page per recipient
  // of the recording folder, made on a thread of Cuecard's own; get_state says how far it is.
  const www = path.join(outDir, 'www');
  mkdirSync(www, { recursive: true });
  const pub = await vendor('publish', { to: www, base_url: 'https://videos.example.com/v',
    rep: 'Sam Rivera', imap_password: 'never-saved' });
  check('vendor publish starts', pub.ok === true, JSON.stringify(pub.error ?? pub.publish));
  const published = await waitForState('the pages published',
    (x) => x.publish && !x.publish.running && x.publish.phase !== '', 120000);
  check('get_state: three pages published, none failed', published.value?.publish?.phase === 'done' &&
    /^3 page\(s\) published to /.test(published.value?.publish?.summary ?? '') &&
    published.value?.publish?.failed === 0, JSON.stringify(published.value?.publish));
  const pageDirs = readdirSync(www);
  check('a page per recipient, each whole', pageDirs.length === 3 && pageDirs.every((t) =>
    ['index.html', 'video.mp4', 'poster.jpg', 'preview.gif'].every((n) => fileSize(path.join(www, t, n)) > 0)),
  pageDirs.join(' '));
  check('the outreach list is next to the recordings',
    readFileSync(path.join(recDir, 'outreach.csv'), 'utf8').trim().split('\n').length === 4);
  const bad = await vendor('publish', { to: path.join(outDir, 'no-such-folder') });
  const refusedRun = await waitForState('publishing to a missing folder fails',
    (x) => x.publish && !x.publish.running && x.publish.phase === 'failed', 60000);
  check('publishing to a missing folder fails and says why', bad.ok === true && refusedRun.ok &&
    /is not a folder/.test(refusedRun.value?.publish?.summary ?? ''), JSON.stringify(refusedRun.value?.publish));

  // OBS-recording mode: Cuecard drives OBS's own recording and splits it per recipient.
  await vendor('jump', { index: 1 });
  const janeObs = await waitForOcr('Jane Doe on screen before OBS recording', (t) => t.includes('Jane Doe'));
  check('back on recipient 1 before OBS-recording mode', janeObs.ok, JSON.stringify(janeObs.value));
  const obsDir = path.join(outDir, 'obsrec');
  const finished = () => readdirSync(obsDir).filter((f) => /^\d{3}_.*\.mkv$/.test(f)).sort();
  const inProgress = () => readdirSync(obsDir).filter((f) => f.endsWith('.mkv') && !/^\d{3}_/.test(f));
  // OBS's file for the k-th recipient is being written: k-1 files renamed, one open, and OBS has
  // recorded six more seconds since that file opened (OBS's own clock: GetRecordStatus). The
  // encoder here hands packets over two seconds late (run_e2e.sh), so each file starts and ends
  // with up to about four seconds of hidden frames around the switch.
  const waitForObsFile = async (k) => {
    let openedAtMs = -1;
    const r = await waitFor(`OBS file ${k} recording`, async () => {
      const { outputDuration } = await obs.call('GetRecordStatus');
      const x = { done: finished(), open: inProgress(), ms: outputDuration };
      if (openedAtMs < 0 && x.done.length === k - 1 && x.open.length === 1) openedAtMs = x.ms;
      return { ...x, openedAtMs };
    }, (x) => x.openedAtMs >= 0 && x.ms >= x.openedAtMs + 6000, 60000);
    check(`OBS-recording mode: file ${k} is being recorded`, r.ok, JSON.stringify(r.value));
  };
  const obsStart = await session('session_start', { mode: 'obs' });
  check('vendor session_start in OBS-recording mode', obsStart.ok === true, JSON.stringify(obsStart));
  await waitForObsFile(1);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await waitForObsFile(2);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await waitForObsFile(3);
  const obsStop = await session('session_stop');
  check('vendor session_stop in OBS-recording mode', obsStop.ok === true, JSON.stringify(obsStop));
  // Same people again in the same session: these are their second takes.
  const takes = expected.map(([f, n]) => [f.replace('.mkv', '_take2.mkv'), n]);
  const renamed = await waitFor('OBS files renamed', async () => finished(), (f) => f.length === 3);
  check('OBS-recording mode: three files named after the recipients (take 2)',
    JSON.stringify(renamed.value) === JSON.stringify(takes.map((e) => e[0])), JSON.stringify(renamed.value));
  for (const [file, name] of takes) {
    const full = path.join(obsDir, file);
    if (!renamed.value?.includes(file)) continue;
    // The overlay is hidden from the switch until OBS has opened the next file, so the ends of
    // each file may show nobody; they never show anyone else.
    checkRecordingShowsOnly(`OBS-recording mode ${file}`, full, name, names.filter((n) => n !== name), outDir,
      { blankEdges: 4 });
  }

  // The rep jumps back to Sam, recorded in the first folder, and starts a session there again: it
  // starts on Sam (the person the rep chose), as a retake, never on someone else (issue 31).
  await vendor('jump', { index: 2 });
  const samBack = await waitForOcr('Sam Lee on screen for the retake', (t) => t.includes('Sam Lee'));
  check('back on Sam before the retake', samBack.ok, JSON.stringify(samBack.value));
  const retake = await session('session_start', { folder: recDir });
  check('session_start on a recorded recipient the rep chose', retake.ok === true, JSON.stringify(retake));
  s = await state();
  check('the session starts on Sam, as a retake, and says so',
    s.index === 2 && s.current?.name === 'Sam Lee' && s.state === 'retake' &&
    String(s.notice).includes('this take is a retake'), JSON.stringify({ index: s.index, state: s.state, notice: s.notice }));
  await waitForTake(recDir, 4);
  const retakeStopped = await session('session_stop');
  check('session_stop after the retake', retakeStopped.ok === true, JSON.stringify(retakeStopped));
  const afterRetake = readManifest(recDir);
  const again = afterRetake.files[3] || {};
  check('the retake is another take of Sam, in a file of its own',
    again.name === 'Sam Lee' && again.take > 1 && again.file === `002_Initech_Sam-Lee_take${again.take}.mkv`,
    JSON.stringify(again));
  checkRecordingShowsOnly(String(again.file), path.join(recDir, String(again.file)), 'Sam Lee',
    names.filter((n) => n !== 'Sam Lee'), outDir);

  const { settings } = await obs.call('GetInputSettings', { inputName: 'Cuecard' }).then((r) => ({ settings: r.inputSettings }));
  check('settings keep queue_path and theme', settings.queue_path === queuePath && settings.theme === 'default',
    JSON.stringify(settings));
  const hotkeys = await obs.call('GetHotkeyList');
  for (const name of ['cuecard.next', 'cuecard.previous', 'cuecard.toggle', 'cuecard.skip', 'cuecard.retake', 'cuecard.mark_done']) {
    check(`hotkey ${name} is registered`, hotkeys.hotkeys.includes(name));
  }
} catch (e) {
  check(`no exception: ${e.stack || e}`, false);
}
await finish('e2e');
