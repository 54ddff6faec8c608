// SPDX-License-Identifier: GPL-2.0-or-later
// The dock as a rep sees it, in a real OBS (already running with a 'Cuecard' source, after
// obs_e2e.mjs): a 40-person queue in which #3's name and title are too long for the theme. The
// dock is shown floating (vendor show_dock), the X screen is captured with ffmpeg's x11grab and
// read by tesseract until it shows the current and the next recipient and #3 flagged "cut to
// fit". Waits on what OCR reads, never on fixed times.
// Usage: node dock_e2e.mjs OUT_DIR PORT DISPLAY
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  check, connect, finish, obs, ocrScreen, session, vendor, waitFor, waitForState, windowGeometry,
} from './lib.mjs';

const [outDir, port, display] = process.argv.slice(2);

// 40 recipients with plain names OCR reads well; #3 (next after #2) is too long for the default
// theme's box.
const first = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas'];
const last = ['Garcia', 'Novak', 'Peters', 'Holm', 'Rossi'];
const rows = ['full_name,title,company,email'];
for (let i = 1; i <= 40; i++) {
  const name = i === 3 ? 'Bartholomew Maximilian Featherstonehaugh-Cholmondeley the Third'
    : `${first[i % first.length]} ${last[i % last.length]} ${String.fromCharCode(64 + ((i * 7) % 26) + 1)}`;
  const title = i === 3 ? 'Chief Executive Officer and Chairman of the Board of Directors' : 'Director';
  rows.push(`${name},${title},Company ${i},person${i}@example.com`);
}
const queue = path.join(outDir, 'dock-queue.csv');
writeFileSync(queue, rows.join('\n') + '\n');
const names = rows.slice(1).map((r) => r.split(',')[0]);

let shots = 0;
const ocrDock = () => ocrScreen(outDir, display, `dock-${++shots}`);

try {
  await connect(port);
  const inputs = (await obs.call('GetInputList', { inputKind: 'cuecard_overlay' })).inputs;
  if (!inputs.some((i) => i.inputName === 'Cuecard')) { // run on its own (CUECARD_E2E=dock)
    const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
    await obs.call('CreateInput', { sceneName: currentProgramSceneName, inputName: 'Cuecard',
      inputKind: 'cuecard_overlay', inputSettings: { theme: 'default' } });
  }
  // What the dock's "Open queue…" does, through the same code: every Cuecard source takes it.
  const opened = await vendor('open_queue', { path: queue });
  check('open_queue: every Cuecard source takes the queue', opened.ok === true && opened.sources >= 1,
    JSON.stringify(opened));
  const { inputSettings } = await obs.call('GetInputSettings', { inputName: 'Cuecard' });
  check('open_queue: the queue is in the source\'s settings (saved with the scene collection)',
    inputSettings.queue_path === queue, JSON.stringify(inputSettings));
  let s = await waitForState('the 40-person queue', (x) => x.loaded && x.total === 40);
  check('get_state: the 40-person queue is loaded', s.ok, JSON.stringify(s.value?.total));
  const jumped = await vendor('jump', { index: 2 });
  check('jump to #2', jumped.ok === true && jumped.index === 2, JSON.stringify(jumped));
  const shown = await vendor('show_dock', { x: 0, y: 0, width: 600, height: 1024 });
  check('show_dock', shown.ok === true, JSON.stringify(shown));

  // Current #2, next #3, and #3's row flagged (the list keeps the current row in view).
  const want = [names[1], 'Next: Bartholomew', 'cut to fit'];
  const seen = await waitFor('the dock shows now, next and the flagged row', async () => ocrDock(),
    (t) => want.every((w) => t.includes(w)), 90000);
  for (const w of want) {
    check(`the dock shows "${w}"`, String(seen.value).includes(w), `(OCR: ${JSON.stringify(seen.value)})`);
  }
  check('the flagged row is #3', /#3\s+Bartholomew[^#]*cut to fit/.test(String(seen.value)),
    JSON.stringify(seen.value));
  // The dock's theme list, through the same code: every Cuecard source switches, and back.
  const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
  await obs.call('CreateInput', { sceneName: currentProgramSceneName, inputName: 'Second',
    inputKind: 'cuecard_overlay', inputSettings: { queue_path: queue, theme: 'default' } });
  const themed = await vendor('set_theme', { theme: 'title-card' });
  check('set_theme: every Cuecard source', themed.ok === true && themed.sources >= 2, JSON.stringify(themed));
  for (const inputName of ['Cuecard', 'Second']) {
    const r = await obs.call('GetInputSettings', { inputName });
    check(`set_theme: ${inputName} keeps title-card in its settings`, r.inputSettings.theme === 'title-card',
      JSON.stringify(r.inputSettings));
  }
  s = await waitForState('both sources on title-card', (x) =>
    ['Cuecard', 'Second'].every((n) => (x.sources ?? []).some((y) => y.name === n && y.theme === 'title-card' && y.error === '')));
  check('get_state: both sources draw title-card without an error', s.ok, JSON.stringify(s.value?.sources));
  const follows = await waitFor('the dock shows title-card', async () => ocrDock(), (t) => t.includes('title-card'), 60000);
  check('the dock\'s theme list follows', follows.ok, JSON.stringify(follows.value));
  const unknown = await vendor('set_theme', { theme: 'no-such-theme' });
  s = await waitForState('an unknown theme reported', (x) => String(x.error).includes('no-such-theme'));
  check('set_theme: an unknown theme is the error in get_state', unknown.ok === true && s.ok,
    JSON.stringify(s.value?.error));
  const back = await vendor('set_theme', { theme: 'default' });
  s = await waitForState('the error cleared', (x) => x.error === '');
  check('set_theme: back to default clears the error', back.ok === true && s.ok, JSON.stringify(s.value?.error));
  await obs.call('RemoveInput', { inputName: 'Second' });
  const bad = await vendor('open_queue', { nopath: 1 });
  check('open_queue without a path says what it needs', bad.ok === false && String(bad.error).includes('path'),
    JSON.stringify(bad));

  // Without a place it keeps the dock where it is.
  const again = await vendor('show_dock');
  check('show_dock again, without a place', again.ok === true, JSON.stringify(again));

  // A Windows-1252 export (issue 31): the row it cannot use is in get_state (error and
  // queue_problems, with its line and the re-export advice) and in the dock, not dropped in silence.
  const cp1252 = path.join(outDir, 'crm-cp1252.csv');
  writeFileSync(cp1252, Buffer.from('full_name,email\nJane Doe,jane@x.example\nJos\u00e9 Mar\u00eda,jose@x.example\n' +
    'Sam Lee,sam@x.example\n', 'latin1'));
  const opened1252 = await vendor('open_queue', { path: cp1252 });
  check('open_queue: a Windows-1252 export opens', opened1252.ok === true, JSON.stringify(opened1252));
  s = await waitForState('the Windows-1252 queue', (x) => x.total === 2 && (x.queue_problems ?? []).length > 0);
  const problem = String(s.value?.queue_problems?.[0]?.text);
  check('get_state.queue_problems: the row, its line and the re-export advice',
    /^crm-cp1252\.csv:3:\d+: error: text is not UTF-8 .*re-export as "CSV UTF-8"\. The row was skipped$/.test(problem),
    JSON.stringify(s.value?.queue_problems));
  check('get_state.error: the skipped row', s.value?.error === problem && s.value?.rows_skipped === 1,
    JSON.stringify({ error: s.value?.error, rows_skipped: s.value?.rows_skipped }));
  const shownProblem = await waitFor('the dock shows the skipped row', async () => ocrDock(),
    (t) => t.includes('skipped or changed') && t.includes('not UTF-8'), 90000);
  check('the dock shows what loading skipped, with the line', shownProblem.ok,
    `(OCR: ${JSON.stringify(shownProblem.value)})`);

  // Recording you can't miss (issue 31): the dock's red REC line names the person whose file is
  // being written and counts the take's time; their row in the list says "recording".
  const reopened = await vendor('open_queue', { path: queue });
  check('open_queue: the 40-person queue again', reopened.ok === true, JSON.stringify(reopened));
  await waitForState('the 40-person queue again', (x) => x.loaded && x.total === 40);
  await vendor('jump', { index: 2 });
  const recDir = path.join(outDir, 'dock-recording');
  const started = await session('session_start', { folder: recDir });
  check('session_start for the REC line', started.ok === true, JSON.stringify(started));
  const recLine = await waitFor('the dock shows the REC line and the row recording', async () => ocrDock(),
    (t) => /REC \d+:\d\d\s+#2 /.test(t) && t.includes('recording]'), 90000);
  check('the dock\'s REC line: "REC m:ss #2 <name>"', recLine.ok, `(OCR: ${JSON.stringify(recLine.value)})`);
  check('the row being recorded says so', String(recLine.value).includes('recording]'),
    `(OCR: ${JSON.stringify(recLine.value)})`);
  check('the REC line says OBS\'s own button stays off', /Start Recording/.test(String(recLine.value)),
    `(OCR: ${JSON.stringify(recLine.value)})`);
  const stopped = await session('session_stop');
  check('session_stop', stopped.ok === true, JSON.stringify(stopped));
  const recGone = await waitFor('the REC line goes away', async () => ocrDock(), (t) => !/REC \d+:\d\d/.test(t), 30000);
  check('the REC line goes when the session stops', recGone.ok, `(OCR: ${JSON.stringify(recGone.value)})`);

  // The source's properties at OBS's default size (720×580), opened as a rep does: every field
  // and button legible, the status in words, and it follows a switch without reopening. A source
  // of its own: removing it closes its dialog, so the dock stays readable for later scenarios.
  await obs.call('CreateInput', { sceneName: currentProgramSceneName, inputName: 'Props',
    inputKind: 'cuecard_overlay', inputSettings: { queue_path: queue, theme: 'default' } });
  // The dock moves to the right edge so that OCR reads the dialog alone (OBS centres it).
  await vendor('show_dock', { x: 900, y: 0, width: 380, height: 1024 });
  await obs.call('OpenInputPropertiesDialog', { inputName: 'Props' });
  // OCR reads the dialog's fields: its lower part, under the source's preview and above its
  // buttons (where OBS put it: xwininfo).
  // (Just mapped, it may still say 0,0 before Qt centres it over OBS's window.)
  let dialog = await waitFor('the properties dialog is open and placed', async () => windowGeometry(display, 'Props'),
    (g) => g !== null && (g.x !== 0 || g.y !== 0), 15000);
  if (!dialog.ok) {
    dialog = await waitFor('the properties dialog is open', async () => windowGeometry(display, 'Props'),
      (g) => g !== null, 15000);
  }
  check('the properties dialog opens', dialog.ok, JSON.stringify(dialog.value));
  check('the properties dialog has OBS\'s default size (at least 700×550)',
    dialog.value?.width >= 700 && dialog.value?.height >= 550, JSON.stringify(dialog.value));
  const g = dialog.value ?? { x: 170, y: 35, width: 720, height: 580 };
  console.log(`(the properties dialog: ${g.width}x${g.height} at ${g.x},${g.y})`);
  // OBS 29 and 32 both put the fields between 45% and 87% of the dialog's height.
  const fields = `${g.width}:${Math.round(g.height * 0.42)}:${g.x}:${g.y + Math.round(g.height * 0.45)}`;
  const ocrProps = () => ocrScreen(outDir, display, `props-${++shots}`, { crop: fields, scale: 3 });
  // (The queue's names end in an initial, which OCR may read as "|": first and last name only.)
  const twoWords = (name) => name.split(' ').slice(0, 2).join(' ');
  const props = await waitFor('the properties dialog shows the status and every field', async () => ocrProps(),
    (t) => t.includes(`On screen now: #2 ${twoWords(names[1])}`) && (t.match(/Browse/g) ?? []).length >= 2 &&
      t.includes('Corners'), 90000);
  check('properties: the status says who is on screen, on one line',
    String(props.value).includes(`On screen now: #2 ${twoWords(names[1])}`), `(OCR: ${JSON.stringify(props.value)})`);
  check('properties: both Browse buttons read "Browse"', (String(props.value).match(/Browse/g) ?? []).length >= 2,
    `(OCR: ${JSON.stringify(props.value)})`);
  check('properties: the corners field is labelled "Corners"', String(props.value).includes('Corners'),
    `(OCR: ${JSON.stringify(props.value)})`);
  check('properties: no jargon in the status', !String(props.value).includes('zero-copy'),
    `(OCR: ${JSON.stringify(props.value)})`);
  await vendor('jump', { index: 5 });
  const live = await waitFor('the open dialog follows the switch', async () => ocrProps(),
    (t) => t.includes(`On screen now: #5 ${twoWords(names[4])}`), 60000);
  check('properties: the status follows a switch without reopening', live.ok, `(OCR: ${JSON.stringify(live.value)})`);
  await obs.call('RemoveInput', { inputName: 'Props' });
  await vendor('show_dock', { x: 0, y: 0, width: 600, height: 1024 });
} catch (e) {
  check(`no exception: ${e.stack || e}`, false);
}
await finish('dock e2e');
