// SPDX-License-Identifier: GPL-2.0-or-later
// A team campaign in a real OBS (already running, plugin installed), on a real PostgreSQL the
// runner started on a Unix socket in PG_DIR: the team lead sets up campaign "e2e" with the
// `cuecard` CLI; the Cuecard source opens it as rep1 (postgresql:///postgres?host=…&campaign=e2e)
// and shows the first claimed recipient (OCR); rep2 claims two of their own; `next` moves to #2
// and rep1's feed claims the following one; a recording of #1 and #2 reaches the database with
// its files, and `cuecard team status` shows it all; a take of #4 that closes after the rep
// opened their own file (with #4 in it) reaches the campaign, and the file's take stays the
// file's. Waits on conditions, never on fixed times.
// The dock, captured from the X screen and read by tesseract, shows the team's lines.
// Usage: node team_e2e.mjs OUT_DIR PORT CUECARD_CLI PG_DIR DISPLAY
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  check, connect, finish, obs, ocrScreen, ocrSource, readManifest, session, state, vendor,
  waitFor, waitForState, waitForTake,
} from './lib.mjs';

const [outDir, port, cli, pgDir, display] = process.argv.slice(2);
const leadDb = `host=${pgDir} user=postgres dbname=postgres`;
const team = (...args) => execFileSync(cli, ['team', ...args, '--db', leadDb]).toString();
const psql = (user, sql) => execFileSync('psql', ['-XAtq', '-h', pgDir, '-U', user, '-d', 'postgres',
  '-c', sql]).toString().trim();
const status = () => JSON.parse(team('status', '--campaign', 'e2e', '--json'));

const names = ['Olivia Garcia', 'Liam Novak', 'Emma Peters', 'Noah Holm', 'Ava Rossi',
  'Elijah Garcia', 'Sophia Novak', 'Lucas Peters', 'Mia Holm', 'James Rossi'];
const crm = path.join(outDir, 'team-crm.csv');
writeFileSync(crm, ['full_name,title,company,email',
  ...names.map((n, i) => `${n},Director,Company ${i + 1},p${i + 1}@example.com`)].join('\n') + '\n');
const uri = `postgresql:///postgres?host=${pgDir}&user=rep1&campaign=e2e`;
let shot = 0;

const ocrDock = () => ocrScreen(outDir, display, `team-dock-${++shot}`);

try {
  // The team lead: schema, two reps, the campaign.
  team('init');
  team('add-rep', '--rep', 'rep1');
  team('add-rep', '--rep', 'rep2');
  team('import', '--campaign', 'e2e', '--queue', crm);
  check('team lead: campaign e2e imported', status().total === 10);

  await connect(port);
  const before = await state();
  const inputs = (await obs.call('GetInputList', { inputKind: 'cuecard_overlay' })).inputs;
  if (!inputs.some((i) => i.inputName === 'Cuecard')) { // run on its own (CUECARD_E2E=team)
    const { currentProgramSceneName } = await obs.call('GetCurrentProgramScene');
    await obs.call('CreateInput', { sceneName: currentProgramSceneName, inputName: 'Cuecard',
      inputKind: 'cuecard_overlay', inputSettings: { theme: 'default' } });
  }
  // What the dock's "Team campaign…" does: every Cuecard source takes the campaign.
  const opened = await vendor('open_queue', { path: uri });
  check('open_queue: every Cuecard source takes the campaign', opened.ok === true && opened.sources >= 1,
    JSON.stringify(opened));
  let s = await waitForState('the first claimed recipient', (x) =>
    x.current?.name === names[0] && x.team?.rep === 'rep1' && x.team?.claimed === 4, 60000);
  check('get_state: #1 Olivia Garcia from campaign e2e, as rep1, 4 claimed (3 ahead)', s.ok,
    JSON.stringify({ current: s.value?.current, team: s.value?.team }));
  const seen = await waitFor('Olivia Garcia on screen', () => ocrSource('Cuecard', outDir, `team-${++shot}`),
    (t) => t.includes(names[0]), 60000);
  check('OCR: the source shows the claimed recipient', seen.ok, JSON.stringify(seen.value));
  let st = status();
  check('team status: rep1 holds 4', st.reps.some((r) => r.rep === 'rep1' && r.claimed === 4), JSON.stringify(st));

  // Another rep on the same campaign: rep2 is handed the next two (never rep1's).
  const rep2 = psql('rep2', "SELECT string_agg(id, ',') FROM cuecard_claim('e2e', 2, 600)");
  check('rep2 claims #5 and #6 (never rep1\'s)', rep2 === 'p5@example.com,p6@example.com', rep2);
  s = await waitForState('rep2 in the dock\'s team lines', (x) =>
    (x.team?.summary ?? []).some((l) => l.text === 'Also recording: rep2 (0 recorded)'), 30000);
  check('get_state.team: "Also recording: rep2"', s.ok, JSON.stringify(s.value?.team?.summary));
  const shown = await vendor('show_dock', { x: 0, y: 0, width: 600, height: 1000 });
  check('show_dock', shown.ok === true, JSON.stringify(shown));
  const dock = await waitFor('the dock shows the campaign and rep2', async () => ocrDock(),
    (t) => t.includes('Team campaign "e2e" as rep1') && t.includes('Also recording: rep2'), 90000);
  check('the dock shows the team\'s progress and that rep2 is recording', dock.ok, JSON.stringify(dock.value));

  // Record #1, then next: #2 on screen (claimed ahead), and the feed claims the following one
  // (#7: #5 and #6 are rep2's).
  const recDir = path.join(outDir, 'team-rec');
  mkdirSync(recDir, { recursive: true });
  const started = await session('session_start', { folder: recDir });
  check('session_start on the campaign', started.ok === true, JSON.stringify(started));
  await waitForTake(recDir, 1);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  s = await waitForState('#2 on screen', (x) => x.current?.name === names[1]);
  check('next: #2 Liam Novak', s.ok, JSON.stringify(s.value?.current));
  const claimed7 = await waitFor('#7 claimed by rep1', async () =>
    psql('postgres', "SELECT state || ' ' || claimed_by FROM cuecard_recipient WHERE id = 'p7@example.com'"),
  (v) => v === 'claimed rep1', 30000);
  check('next: rep1\'s feed claims the following one (#7)', claimed7.ok, JSON.stringify(claimed7.value));
  await waitForTake(recDir, 2);
  const stopped = await session('session_stop');
  check('session_stop', stopped.ok === true, JSON.stringify(stopped));

  // Both takes in the database, as rep1's, with the files the recorder wrote.
  const files = readManifest(recDir).files.map((f) => f.file).sort().join(',');
  const takes = await waitFor('two takes in the database', async () =>
    psql('postgres', "SELECT string_agg(file, ',' ORDER BY file) FROM cuecard_take WHERE rep = 'rep1' AND outcome = 'recorded'"),
  (v) => v === files && files.split(',').length === 2, 60000);
  check('the database has both takes with their files', takes.ok, `${JSON.stringify(takes.value)} vs ${files}`);
  st = status();
  const r1 = st.reps.find((r) => r.rep === 'rep1');
  check('team status: 2 recorded, both by rep1; rep2 holds 2', st.recorded === 2 && r1?.recorded === 2 &&
    st.reps.some((r) => r.rep === 'rep2' && r.claimed === 2), JSON.stringify(st));
  s = await waitForState('the dock\'s team line has 2 recorded', (x) =>
    String(x.team?.summary?.[0]?.text).startsWith('Team campaign "e2e" as rep1: 2/10 recorded'), 30000);
  check('get_state.team: "2/10 recorded"', s.ok, JSON.stringify(s.value?.team?.summary));
  // #3 skipped with the hotkey: the database says so.
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.next' });
  await waitForState('#3 on screen', (x) => x.current?.name === names[2]);
  await obs.call('TriggerHotkeyByName', { hotkeyName: 'cuecard.skip' });
  const skipped = await waitFor('#3 skipped in the database', async () =>
    psql('postgres', "SELECT state FROM cuecard_recipient WHERE id = 'p3@example.com'"), (v) => v === 'skipped');
  check('skip: the database says skipped', skipped.ok, JSON.stringify(skipped.value));

  // Recording #4 from the campaign, the rep opens their own file with the same people (#4
  // first): the same person from another queue starts a new file; the campaign's take closes
  // after the queue changed and still reaches the campaign (its feed waits for it), and the
  // file's take is the file's, not the campaign's.
  s = await waitForState('#4 on screen', (x) => x.current?.name === names[3]);
  check('after the skip: #4 Noah Holm', s.ok, JSON.stringify(s.value?.current));
  const mine = path.join(outDir, 'team-mine.csv');
  writeFileSync(mine, ['full_name,title,company,email', `${names[3]} (mine),Director,Company 4,p4@example.com`,
    `${names[4]} (mine),Director,Company 5,p5@example.com`].join('\n') + '\n');
  const lateDir = path.join(outDir, 'team-late');
  mkdirSync(lateDir, { recursive: true });
  const started2 = await session('session_start', { folder: lateDir });
  check('session_start on #4', started2.ok === true, JSON.stringify(started2));
  await waitForTake(lateDir, 1);
  await vendor('open_queue', { path: mine });
  s = await waitForState('the rep\'s own file, #1 the same person', (x) =>
    x.queue_path === mine && x.current?.name === `${names[3]} (mine)` && !x.team);
  check('open_queue: the rep\'s own file while recording', s.ok, JSON.stringify(s.value?.current));
  await waitForTake(lateDir, 2);
  const stopped2 = await session('session_stop');
  check('session_stop', stopped2.ok === true, JSON.stringify(stopped2));
  const late = readManifest(lateDir).files;
  check('two files, both of p4: the campaign\'s and the file\'s', late.length === 2 &&
    late.every((f) => f.recipient_id === 'p4@example.com'), JSON.stringify(late.map((f) => f.file)));
  const p4 = await waitFor('#4 recorded in the campaign with its file', async () =>
    psql('postgres', "SELECT state || ' ' || claimed_by || ' ' || (SELECT string_agg(file, ',') FROM " +
      "cuecard_take WHERE recipient_id = 'p4@example.com') FROM cuecard_recipient WHERE id = 'p4@example.com'"),
  (v) => v === `recorded rep1 ${late[0]?.file}`, 60000);
  check('the campaign has #4\'s take (the first file) and not the file queue\'s', p4.ok,
    JSON.stringify(p4.value));
  s = await waitForState('the file queue counts its own take only', (x) => x.queue_path === mine &&
    x.counts?.recorded === 1);
  check('the file queue: 1 recorded (its own take)', s.ok, JSON.stringify(s.value?.counts));

  // Back to the file queue: rep1's feed gives back whom they did not reach.
  if (before.queue_path) {
    await vendor('open_queue', { path: before.queue_path });
    s = await waitForState('the file queue again', (x) => x.queue_path === before.queue_path && !x.team);
    check('back to the file queue', s.ok, JSON.stringify(s.value?.queue_path));
    const held = await waitFor('rep1 gave back who they did not reach', async () =>
      psql('postgres', "SELECT count(*) FROM cuecard_recipient WHERE claimed_by = 'rep1' AND state = 'claimed'"),
    (v) => Number(v) <= 1, 30000);
    check('rep1 holds at most the one on screen when they left', held.ok, JSON.stringify(held.value));
  }
} catch (e) {
  check(`no exception: ${e.stack || e}`, false);
}
await finish('team e2e');
