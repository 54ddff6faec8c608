// SPDX-License-Identifier: GPL-2.0-or-later
// A crash mid-take in the real OBS, then a resumed session (issue: "After OBS crashes, resuming a
// session puts the wrong person in a file and forgets the earlier files").
//   crash_e2e.mjs before QUEUE OUT PORT: loads QUEUE into the 'Cuecard' source, records Ada and
//     Ben, starts Cleo's take and returns once her file has frames on disk (the caller then
//     kills OBS with SIGKILL).
//   crash_e2e.mjs after QUEUE OUT PORT: in the restarted OBS (the scene collection brings the
//     source back, showing recipient 1), starts the session in the same folder, records Cleo
//     and Dev, and checks every file by OCR, the manifest and the journal.
import path from 'node:path';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import {
  check, checkRecordingShowsOnly, connect, countFrames, fail, finish, firstFrameType, obs,
  ocrSource, readManifest, session, state, vendor, waitFor, waitForState, waitForTake as waitForTakeIn,
} from './lib.mjs';

const [phase, queuePath, outDir, port] = process.argv.slice(2);
const recDir = path.join(outDir, 'crash-recording');
const people = ['Ada Park', 'Ben Ortiz', 'Cleo Vance', 'Dev Rao'];
const waitForTake = (count) => waitForTakeIn(recDir, count);

/// OBS writes its scene collection when the scene list changes (a rep's OBS has saved long
/// before any crash); a scene added and removed makes it save now. Waits for a saved collection
/// whose Cuecard source has the crash queue and whose scene list no longer has the helper scene
/// (OBS 32 may still list the removed scene among its sources while something holds it: that
/// is harmless, a restart does not show it).
async function saveSceneCollection() {
  await obs.call('CreateScene', { sceneName: 'cuecard-save' });
  await obs.call('RemoveScene', { sceneName: 'cuecard-save' });
  const scenes = path.join(outDir, 'home', '.config', 'obs-studio', 'basic', 'scenes');
  const saved = (text) => {
    let c;
    try { c = JSON.parse(text); } catch { return false; }
    return (c.sources ?? []).some((x) => x.name === 'Cuecard' && x.settings?.queue_path === queuePath) &&
      !(c.scene_order ?? []).some((x) => x.name === 'cuecard-save');
  };
  const r = await waitFor('scene collection saved', async () => readdirSync(scenes)
    .filter((f) => f.endsWith('.json')).map((f) => readFileSync(path.join(scenes, f), 'utf8')),
  (texts) => texts.some(saved));
  check('OBS saved the scene collection with the crash queue', r.ok);
}

async function before() {
  const { inputs } = await obs.call('GetInputList', { inputKind: 'cuecard_overlay' });
  const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
  if (inputs.some((i) => i.inputName === 'Cuecard')) {
    await obs.call('SetInputSettings', { inputName: 'Cuecard', inputSettings: { queue_path: queuePath } });
  } else {
    await obs.call('CreateInput', { sceneName: currentProgramSceneName,
      inputName: 'Cuecard', inputKind: 'cuecard_overlay', inputSettings: { queue_path: queuePath, theme: 'default' } });
  }
  // The 1080p overlay on the 720p canvas, whoever made the source: unscaled, its lower third
  // would sit below the canvas and every recorded frame would be empty.
  const { sceneItemId } = await obs.call('GetSceneItemId', { sceneName: currentProgramSceneName, sourceName: 'Cuecard' });
  await obs.call('SetSceneItemTransform', { sceneName: currentProgramSceneName, sceneItemId,
    sceneItemTransform: { scaleX: 2 / 3, scaleY: 2 / 3 } });
  await saveSceneCollection();
  let s = await waitForState('crash queue loaded', (x) => x.loaded && x.total === 4 && x.index === 1);
  check('crash queue loaded', s.ok, JSON.stringify(s.value));
  const shown = await waitFor('Ada Park on screen', () => ocrSource('Cuecard', outDir, 'crash-before'),
    (t) => t.includes('Ada Park'));
  check('the source shows Ada Park', shown.ok, JSON.stringify(shown.value));
  const started = await session('session_start', { folder: recDir });
  check('session_start', started.ok === true, JSON.stringify(started));
  await waitForTake(1);
  await vendor('next');
  await waitForTake(2);
  await vendor('next');
  await waitForTake(3);
  s = await state();
  check('recording Cleo Vance when OBS is killed', s.index === 3 && s.current?.name === 'Cleo Vance', JSON.stringify(s));
}

async function after() {
  // The restarted OBS restores the source from its scene collection, on recipient 1.
  let s = await waitForState('source restored', (x) => x.loaded && x.total === 4, 60000);
  check('the restarted OBS restored the Cuecard source with the crash queue', s.ok, JSON.stringify(s.value));
  check('before the session resumes, the source is on recipient 1', s.value?.index === 1, JSON.stringify(s.value));
  const shown = await waitFor('Ada Park on screen', () => ocrSource('Cuecard', outDir, 'crash-restarted'),
    (t) => t.includes('Ada Park'));
  check('the restarted source shows Ada Park (the case that leaked her into Cleo\'s file)', shown.ok,
    JSON.stringify(shown.value));

  const started = await session('session_start', { folder: recDir });
  check('session_start resumes', started.ok === true, JSON.stringify(started));
  s = await state();
  check('resumed at Cleo Vance', s.index === 3 && s.current?.name === 'Cleo Vance', JSON.stringify(s));
  await waitForTake(4);
  await vendor('next');
  await waitForTake(5);
  const stopped = await session('session_stop');
  check('session_stop', stopped.ok === true, JSON.stringify(stopped));

  const m = readManifest(recDir);
  const expected = [
    ['001_Northwind_Ada-Park.mkv', 'Ada Park', 1, 'complete'],
    ['002_Contoso_Ben-Ortiz.mkv', 'Ben Ortiz', 1, 'complete'],
    ['003_Fabrikam_Cleo-Vance.mkv', 'Cleo Vance', 1, 'interrupted'],
    ['003_Fabrikam_Cleo-Vance_take2.mkv', 'Cleo Vance', 2, 'complete'],
    ['004_Tailspin_Dev-Rao.mkv', 'Dev Rao', 1, 'complete'],
  ];
  check('the manifest lists every file of the folder, before and after the crash',
    JSON.stringify(m.files.map((f) => f.file)) === JSON.stringify(expected.map((e) => e[0])),
    JSON.stringify(m.files.map((f) => [f.file, f.status])));
  const onDisk = readdirSync(recDir).filter((f) => f.endsWith('.mkv')).sort();
  check('no other file on disk (no spurious one-frame file)',
    JSON.stringify(onDisk) === JSON.stringify(expected.map((e) => e[0]).sort()), JSON.stringify(onDisk));
  for (const [file, name, take, status] of expected) {
    const entry = m.files.find((f) => f.file === file);
    const full = path.join(recDir, file);
    if (!entry || !existsSync(full)) { fail(`${file} is listed and on disk`); continue; }
    const frames = countFrames(full);
    check(`${file}: take ${take}, ${status}, the manifest's frame count is the file's (${frames})`,
      entry.name === name && entry.take === take && entry.status === status && entry.frames === frames && frames > 0,
      JSON.stringify(entry));
    if (status === 'complete') {
      const first = firstFrameType(full);
      check(`${file}: starts with an IDR frame`, first.startsWith('1,I'), first);
    }
    checkRecordingShowsOnly(file, full, name, people.filter((p) => p !== name), outDir);
  }
  const journal = JSON.parse(readFileSync(path.join(recDir, 'cuecard-session.json'), 'utf8'));
  const cleo = journal.recipients['cleo@fabrikam.example'];
  check('journal: Cleo recorded, with the interrupted take kept',
    cleo?.state === 'recorded' && cleo.takes.length === 2 && cleo.takes[0].status === 'interrupted' &&
    cleo.takes[0].file === expected[2][0] && cleo.takes[1].file === expected[3][0], JSON.stringify(cleo));
}

try {
  await connect(port);
  if (phase === 'before') await before();
  else await after();
} catch (e) {
  fail(`${e.stack || e}`);
}
await finish(`crash-${phase}`);
