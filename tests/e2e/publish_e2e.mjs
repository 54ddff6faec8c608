// SPDX-License-Identifier: GPL-2.0-or-later
// cuecard publish end to end: a session recorded from a hostile queue, published into a folder
// that a local HTTP server serves (127.0.0.1, stopped at the end); headless Chromium opens each
// page, shows its poster and plays the video to its end; the pages escape every value, carry
// no script and no recipient data in their address; a rerun uploads nothing; a page interrupted
// mid-upload is whole after the rerun. The same over SFTP to a throwaway OpenSSH server on
// 127.0.0.1: its key checked against known_hosts (an unknown or changed one refused), an upload
// killed half-way never leaves a half page, and the rerun makes every page whole. Then drafts in
// a throwaway Dovecot, read back over IMAP and parsed: names in six scripts, the inline GIF,
// no header or markup from queue values, no duplicate on a rerun, a retake's draft replaced.
// Usage: node publish_e2e.mjs CUECARD_CLI OUTPUT_DIR
import { check, finish, waitFor } from './lib.mjs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync,
  rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const [cli, out] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const www = path.join(out, 'www');
mkdirSync(www);
const sftpWww = path.join(out, 'sftp-www'); // the SSH server's folder, served as /s/

// The web server the team already has: static files, with byte ranges (how browsers fetch video).
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const root = { '/v/': www, '/s/': sftpWww }[url.pathname.slice(0, 3)];
  if (!root) { res.writeHead(404).end(); return; }
  let file = path.join(root, decodeURIComponent(url.pathname.slice(3)));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (file.endsWith('/')) file += 'index.html';
  if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
  const size = statSync(file).size;
  const type = { '.html': 'text/html; charset=utf-8', '.mp4': 'video/mp4', '.jpg': 'image/jpeg',
    '.gif': 'image/gif' }[path.extname(file)] ?? 'application/octet-stream';
  const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '');
  if (range) {
    const start = range[1] === '' ? size - Number(range[2]) : Number(range[1]);
    const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
    res.writeHead(206, { 'Content-Type': type, 'Accept-Ranges': 'bytes',
      'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Length': size });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/v`;
const sbase = `http://127.0.0.1:${server.address().port}/s`;

// A queue whose values try to become markup, an attribute's end or a header.
const queue = path.join(out, 'crm.csv');
writeFileSync(queue, [
  'id,full_name,company,email,title,talking_points',
  'z1,"Zoë <script>alert(1)</script>","Acme ""Q"" & Co",zoe@x.example,"VP\' onmouseover=\'x","hi\r\nBcc: attacker@evil.example"',
  'i2,Иван Петров,Рога и копыта,ivan@x.example,CEO,',
  'l3,李小龙,功夫,li@x.example,CTO,',
  'a4,سارة أحمد,شركة النور,sara@x.example,CFO,',
  'g5,Ελένη Παπαδοπούλου,Ακμή,eleni@x.example,COO,',
  'h6,प्रिया शर्मा,आकाश,priya@x.example,CMO,',
  '',
].join('\n'));
const names = { z1: 'Zoë <script>alert(1)</script>', i2: 'Иван Петров', l3: '李小龙', a4: 'سارة أحمد',
  g5: 'Ελένη Παπαδοπούλου', h6: 'प्रिया शर्मा' };
const rec = path.join(out, 'rec');
const session = spawnSync(cli, ['session', '--queue', queue, '--out', rec, '--testsrc',
  '--duration', '6', '--switch-at', '1,2,3,4,5', '--size', '640x360', '--fps', '25'], { encoding: 'utf8' });
check('the session recorded six files', session.status === 0, session.stderr);

const publishArgs = ['publish', '--session', rec, '--to', www, '--base-url', base, '--queue', queue,
  '--rep', 'Sam <Rivera>', '--message', 'Hi {full_name}, I made this for you & your {title} role.',
  '--cta-url', 'https://cal.example.com/sam?email={email}&who={full_name}'];
const publish = (extra = [], env = {}) => spawnSync(cli, [...publishArgs, ...extra],
  { encoding: 'utf8', env: { ...process.env, ...env } });
let run = publish();
check('publish exits 0', run.status === 0, run.stdout + run.stderr);
check('publish says what it did', /published 6 page\(s\) to .*: 24 file\(s\) uploaded, 0 already there; 0 failed/.test(run.stdout), run.stdout);

const pages = readdirSync(www);
check('one page folder per recipient, named by an unguessable token',
  pages.length === 6 && pages.every((p) => /^[0-9a-f]{32}$/.test(p)), pages.join(' '));
const csv = readFileSync(path.join(rec, 'outreach.csv'), 'utf8').trim().split('\n');
check('outreach.csv: a header and a row per recipient',
  csv[0] === 'email,name,company,page_url,video_url,gif_url,poster_url,snippet' && csv.length === 7,
  csv[0]);
const manifest = JSON.parse(readFileSync(path.join(rec, 'manifest.json'), 'utf8'));
check('the manifest records each file\'s page',
  manifest.files.every((f) => f.page_url.startsWith(`${base}/`) &&
    pages.includes(f.page_url.slice(base.length + 1, -1))),
  JSON.stringify(manifest.files.map((f) => f.page_url)));

const zoe = manifest.files.find((f) => f.recipient_id === 'z1');
const zoeHtml = readFileSync(path.join(www, zoe.page_url.slice(base.length + 1), 'index.html'), 'utf8');
check('no script anywhere in the page', !/<script/i.test(zoeHtml));
check('the name is escaped as text', zoeHtml.includes('Zoë &lt;script&gt;alert(1)&lt;/script&gt;'));
check('an attribute value cannot end early', zoeHtml.includes('VP&#39; onmouseover=&#39;x') &&
  !zoeHtml.includes("VP' onmouseover"));
check('the rep\'s name and message are text', zoeHtml.includes('Sam &lt;Rivera&gt;') &&
  zoeHtml.includes('I made this for you &amp; your'));
check('the button\'s address has the values URL-encoded',
  zoeHtml.includes('href="https://cal.example.com/sam?email=zoe%40x.example&amp;who=Zo%C3%AB%20%3Cscript%3E'),
  zoeHtml.match(/class="cta" href="[^"]*"/)?.[0]);
check('noindex and a policy that allows no script',
  zoeHtml.includes('<meta name="robots" content="noindex, nofollow, noarchive">') &&
  zoeHtml.includes("default-src 'none'"));
const ogImage = /<meta property="og:image" content="([^"]+)">/.exec(zoeHtml)?.[1];
check('Open Graph and Twitter cards name the poster by its full address',
  ogImage === `${zoe.page_url}poster.jpg` && zoeHtml.includes(`name="twitter:image" content="${ogImage}"`),
  ogImage);
for (const f of manifest.files) {
  // The address is the base and a random token, nothing of the recipient. (Not "the id is not
  // in it": a 32-hex-digit token holds an id like "a4" by chance about one run in eight.)
  const rest = f.page_url.startsWith(base) ? f.page_url.slice(base.length) : f.page_url;
  check(`${f.recipient_id}: no name or email in the address`,
    /^\/?[0-9a-f]{32}\/$/.test(rest) && !f.page_url.toLowerCase().includes(f.email.split('@')[0]),
    f.page_url);
}
const og = await fetch(ogImage);
const ogBytes = Buffer.from(await og.arrayBuffer());
check('the Open Graph image resolves to a JPEG', og.status === 200 &&
  og.headers.get('content-type') === 'image/jpeg' && ogBytes[0] === 0xff && ogBytes[1] === 0xd8);
const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=format_name:stream=codec_name',
  '-of', 'csv=p=0', path.join(www, pages[0], 'video.mp4')], { encoding: 'utf8' });
check('the video is H.264 and AAC in MP4', /h264/.test(probe) && /aac/.test(probe) && /mp4/.test(probe), probe);
const head = readFileSync(path.join(www, pages[0], 'video.mp4')).subarray(0, 4096).toString('latin1');
check('the MP4 starts with its index (faststart)', head.indexOf('moov') >= 0 &&
  (head.indexOf('mdat') < 0 || head.indexOf('moov') < head.indexOf('mdat')));

// A rerun: nothing changed, nothing is uploaded, the addresses stay.
run = publish();
check('a rerun uploads nothing', run.status === 0 &&
  /: 0 file\(s\) uploaded, 24 already there/.test(run.stdout), run.stdout);
check('a rerun keeps every address', readdirSync(www).sort().join() === [...pages].sort().join());

// A page whose upload was cut short: its index.html missing, its video half there. The rerun
// puts back what is missing or different, and only that.
const cut = path.join(www, pages[1]);
rmSync(path.join(cut, 'index.html'));
writeFileSync(path.join(cut, 'video.mp4'), readFileSync(path.join(cut, 'video.mp4')).subarray(0, 1000));
run = publish();
check('after an interrupted upload, the rerun mends that page only', run.status === 0 &&
  /: 2 file\(s\) uploaded, 22 already there/.test(run.stdout), run.stdout);

// The same to the team's server over SFTP: a throwaway OpenSSH server on 127.0.0.1 with its own
// host key, the rep's Ed25519 key, and known_hosts as ssh would have written it.
const ssh = path.join(out, 'ssh');
const home = path.join(out, 'home');
mkdirSync(path.join(home, '.ssh'), { recursive: true });
mkdirSync(ssh);
const keygen = (file) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
keygen(path.join(ssh, 'host_key'));
keygen(path.join(ssh, 'other_host_key'));
keygen(path.join(home, '.ssh', 'id_ed25519'));
writeFileSync(path.join(ssh, 'authorized_keys'), readFileSync(path.join(home, '.ssh', 'id_ed25519.pub')));
const sshPort = 20000 + Math.floor(Math.random() * 20000);
writeFileSync(path.join(ssh, 'sshd_config'), [`Port ${sshPort}`, 'ListenAddress 127.0.0.1',
  `HostKey ${path.join(ssh, 'host_key')}`, `AuthorizedKeysFile ${path.join(ssh, 'authorized_keys')}`,
  'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes',
  'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no',
  `PidFile ${path.join(ssh, 'sshd.pid')}`, 'Subsystem sftp internal-sftp', ''].join('\n'));
const knownHosts = path.join(home, '.ssh', 'known_hosts');
const hostLine = (key) => `[127.0.0.1]:${sshPort} ${readFileSync(`${key}.pub`, 'utf8')}`;
writeFileSync(knownHosts, hostLine(path.join(ssh, 'host_key')));
try { mkdirSync('/run/sshd', { recursive: true }); } catch {} // sshd's privilege-separation folder
const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(ssh, 'sshd_config')],
  { stdio: ['ignore', 'ignore', 'pipe'] });
let sshdLog = '';
sshd.stderr.on('data', (d) => { sshdLog += d; });
const listening = await waitFor('sshd', () => sshdLog, (l) => /Server listening/.test(l), 20000);
check('the test SSH server runs', listening.ok, sshdLog);
const user = os.userInfo().username;
const dest = (folder) => `sftp://${user}@127.0.0.1:${sshPort}${folder}`;
const sftpArgs = ['--to', dest(sftpWww), '--base-url', sbase];
const sftpPublish = (extra = []) => spawnSync(cli, [...publishArgs, ...sftpArgs, ...extra],
  { encoding: 'utf8', env: { ...process.env, HOME: home } });
// (publishArgs' own --to and --base-url come first; the later ones are the ones used.)
run = sftpPublish();
check('publish over SFTP exits 0', run.status === 0, run.stdout + run.stderr);
check('publish over SFTP puts the 24 files', /: 24 file\(s\) uploaded, 0 already there; 0 failed/.test(run.stdout), run.stdout);
const same = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
check('the server has the same pages as the folder, under the same addresses',
  pages.every((t) => ['index.html', 'video.mp4', 'poster.jpg', 'preview.gif'].every((n) =>
    n === 'index.html' ? existsSync(path.join(sftpWww, t, n)) : same(path.join(www, t, n), path.join(sftpWww, t, n)))),
  readdirSync(sftpWww).join(' '));
run = sftpPublish();
check('a rerun over SFTP uploads nothing', run.status === 0 && /: 0 file\(s\) uploaded, 24 already there/.test(run.stdout), run.stdout);

// A server whose key is not the one known: refused before anything is sent.
writeFileSync(knownHosts, hostLine(path.join(ssh, 'other_host_key')));
const strange = spawnSync(cli, [...publishArgs, '--to', dest(path.join(out, 'sftp-refused')),
  '--base-url', sbase], { encoding: 'utf8', env: { ...process.env, HOME: home } });
check('a changed host key is refused', strange.status === 2 &&
  /not the one in known_hosts.*nothing was sent/.test(strange.stderr), strange.stderr);
writeFileSync(knownHosts, '');
const unknown = spawnSync(cli, [...publishArgs, '--to', dest(path.join(out, 'sftp-refused')),
  '--base-url', sbase], { encoding: 'utf8', env: { ...process.env, HOME: home } });
check('an unknown host is refused', unknown.status === 2 && /not in known_hosts/.test(unknown.stderr),
  unknown.stderr);
check('nothing reached the server', !existsSync(path.join(out, 'sftp-refused')));
writeFileSync(knownHosts, hostLine(path.join(ssh, 'host_key')));

// Killed mid-upload (a slow link: 1 KB/s), then run again: every page whole, none half made.
rmSync(sftpWww, { recursive: true, force: true });
const slow = spawn(cli, [...publishArgs, ...sftpArgs, '--limit-rate', '1'],
  { stdio: 'ignore', env: { ...process.env, HOME: home } });
let slowExit;
const slowExited = new Promise((r) => slow.once('exit', (code) => { slowExit = code; r(); }));
const partOf = () => {
  for (const t of existsSync(sftpWww) ? readdirSync(sftpWww) : []) {
    const part = path.join(sftpWww, t, '.video.mp4.part');
    if (existsSync(part) && statSync(part).size > 2048) return { token: t, part };
  }
  return undefined;
};
const cutShort = await waitFor('an upload under way', partOf, (p) => !!p, 60000);
check('the slow upload was under way when killed', cutShort.ok && slowExit === undefined,
  `exit ${slowExit}`);
slow.kill('SIGKILL');
await slowExited;
check('killed mid-upload: that page is not visible yet', cutShort.ok &&
  !existsSync(path.join(sftpWww, cutShort.value.token, 'index.html')) &&
  !existsSync(path.join(sftpWww, cutShort.value.token, 'video.mp4')));
run = sftpPublish();
check('the rerun after the kill finishes', run.status === 0, run.stdout + run.stderr);
check('every page is whole after the rerun', pages.every((t) =>
  ['video.mp4', 'poster.jpg', 'preview.gif'].every((n) => same(path.join(www, t, n), path.join(sftpWww, t, n))) &&
  existsSync(path.join(sftpWww, t, 'index.html')) && !existsSync(path.join(sftpWww, t, '.video.mp4.part'))),
readdirSync(sftpWww).map((t) => `${t}: ${readdirSync(path.join(sftpWww, t)).join(',')}`).join(' | '));
sshd.kill('SIGTERM');

// Headless Chromium: each page's poster is shown and its video plays to the end.
const profile = path.join(out, 'chromium-profile');
const browser = spawn(process.env.CUECARD_CHROMIUM || 'chromium', ['--headless=new', '--no-sandbox',
  '--disable-gpu', '--no-first-run', '--mute-audio', '--autoplay-policy=no-user-gesture-required',
  `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
{ stdio: ['ignore', 'ignore', 'pipe'], detached: true });
let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });
const devtools = await waitFor('Chromium\'s DevTools address',
  () => /DevTools listening on (ws:\S+)/.exec(stderr)?.[1], (u) => !!u, 60000);
const wsUrl = devtools.ok ? devtools.value : undefined;
if (!wsUrl) {
  check('Chromium started', false, stderr.slice(-2000));
} else {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  let id = 0;
  const pending = new Map();
  const events = [];
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    if (msg.method) events.push(msg);
  });
  const call = (method, params = {}, sessionId) => new Promise((resolve) => {
    const n = ++id;
    pending.set(n, resolve);
    ws.send(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  const state = JSON.parse(readFileSync(path.join(rec, 'publish.json'), 'utf8'));
  const visits = [];
  for (const f of manifest.files) {
    const token = state.pages[f.recipient_id].token;
    visits.push({ ...f, label: `${f.recipient_id} (folder)`, page_url: `${base}/${token}/` });
    visits.push({ ...f, label: `${f.recipient_id} (SFTP)`, page_url: `${sbase}/${token}/` });
  }
  for (const f of visits) {
    const target = await call('Target.createTarget', { url: 'about:blank' });
    const attached = await call('Target.attachToTarget', { targetId: target.result.targetId, flatten: true });
    const sessionId = attached.result.sessionId;
    await call('Page.enable', {}, sessionId);
    events.length = 0;
    await call('Page.navigate', { url: f.page_url }, sessionId);
    const loaded = await waitFor(`${f.label}'s page to load`,
      () => events.some((e) => e.method === 'Page.loadEventFired' && e.sessionId === sessionId),
      (ok) => ok, 30000);
    check(`${f.label}: the page loads`, loaded.ok);
    // Waits for the document, then: the poster as the page shows it, and a muted play to `ended`.
    const result = await call('Runtime.evaluate', {
      awaitPromise: true, returnByValue: true, expression: `new Promise((resolve) => {
        const start = () => {
          const v = document.querySelector('video');
          if (!v) { resolve({ error: 'no video element' }); return; }
          const img = new Image();
          img.onerror = () => resolve({ error: 'the poster did not load: ' + v.poster });
          img.onload = () => {
            v.muted = true;
            v.addEventListener('ended', () => resolve({ ended: true, duration: v.duration,
              poster: img.naturalWidth, title: document.title }));
            v.addEventListener('error', () => resolve({ error: 'video error ' + (v.error && v.error.code) }));
            v.play().catch((e) => resolve({ error: 'play: ' + e }));
          };
          img.src = v.poster;
        };
        if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start); else start();
        setTimeout(() => resolve({ error: 'timed out' }), 30000);
      })` }, sessionId);
    const v = result.result?.result?.value ?? {};
    check(`${f.label}: Chromium shows the poster and plays the video to its end`,
      v.ended === true && v.poster === 1280 && Math.abs(v.duration - f.duration) < 0.2,
      JSON.stringify(result.result ?? result.error));
    await call('Target.closeTarget', { targetId: target.result.targetId });
  }
  ws.close();
}
try { process.kill(-browser.pid, 'SIGKILL'); } catch {}

// Drafts in the rep's mailbox: a throwaway Dovecot on 127.0.0.1, the password in ~/.netrc.
// Its files in a folder of their own under /tmp: Dovecot's auth and mail processes run as other
// users, who cannot enter a build folder under a private home (/root is 0700).
const dove = mkdtempSync(path.join(os.tmpdir(), 'cuecard-dovecot-'));
chmodSync(dove, 0o755);
mkdirSync(path.join(dove, 'mail'), { recursive: true });
chmodSync(path.join(dove, 'mail'), 0o777);
const imapPort = 20000 + Math.floor(Math.random() * 20000);
const root = os.userInfo().uid === 0;
const me = os.userInfo().username;
writeFileSync(path.join(dove, 'users'), 'rep@example.com:{PLAIN}s3cret\n', { mode: 0o644 });
// Dovecot 2.3 (Debian 12) and 2.4 (13, testing) read different settings.
const doveVersion = execFileSync('/usr/sbin/dovecot', ['--version'], { encoding: 'utf8' });
const dove24 = !/^2\.[0-3]\./.test(doveVersion);
const mailUser = root ? 'nobody' : me;
const mailGroup = root ? 'nogroup' : me;
const common = `protocols = imap
listen = 127.0.0.1
base_dir = ${dove}/run/
state_dir = ${dove}/state
log_path = ${dove}/dovecot.log
ssl = no
auth_mechanisms = plain login
${root ? '' : `default_login_user = ${me}\ndefault_internal_user = ${me}\n`}namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
}
`;
const listener = (listen) => `service imap-login {
  inet_listener imap {
    ${listen} = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
writeFileSync(path.join(dove, 'dovecot.conf'), dove24 ? `dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
${common}auth_allow_cleartext = yes
mail_driver = maildir
mail_path = ${dove}/mail/%{user | username}/Maildir
passdb passwd-file {
  passwd_file_path = ${dove}/users
  default_password_scheme = PLAIN
}
userdb static {
  fields {
    uid = ${mailUser}
    gid = ${mailGroup}
    home = ${dove}/mail/%{user | username}
  }
}
${listener('listen')}` : `${common}disable_plaintext_auth = no
mail_location = maildir:${dove}/mail/%n/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dove}/users
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailGroup} home=${dove}/mail/%n
}
${listener('address')}`);
const dovecot = spawn('/usr/sbin/dovecot', ['-F', '-c', path.join(dove, 'dovecot.conf')],
  { stdio: ['ignore', 'ignore', 'pipe'] });
const imapUp = await waitFor('Dovecot', () => new Promise((resolve) => {
  const c = net.connect(imapPort, '127.0.0.1', () => { c.destroy(); resolve(true); });
  c.on('error', () => resolve(false));
}), (ok) => ok, 30000);
check('the test IMAP server runs', imapUp.ok,
  existsSync(path.join(dove, 'dovecot.log')) ? readFileSync(path.join(dove, 'dovecot.log'), 'utf8') : '');
writeFileSync(path.join(home, '.netrc'), `machine 127.0.0.1\n  login rep@example.com\n  password s3cret\n`,
  { mode: 0o600 });
const imapUrl = `imap://rep%40example.com@127.0.0.1:${imapPort}`;
const drafts = (extra = []) => spawnSync(cli, ['drafts', '--session', rec, '--queue', queue, '--imap', imapUrl,
  '--from', 'Sam Rivera <sam@example.com>', '--subject', 'For {full_name}: {talking_points|a video}', ...extra],
{ encoding: 'utf8', env: { ...process.env, HOME: home, CUECARD_IMAP_PASSWORD: '' } });
run = drafts();
check('drafts exits 0', run.status === 0, run.stdout + run.stderr);
check('drafts says what it did', /6 draft\(s\) added, 0 replaced .* 0 already there in Drafts; 0 skipped, 0 failed\. Nothing was sent/.test(run.stdout), run.stdout);

// Read back over IMAP: every message whole, with its flags.
async function fetchDrafts() {
  const sock = net.connect(imapPort, '127.0.0.1');
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); });
  const until = async (tag) => {
    const r = await waitFor(`IMAP ${tag}`, () => buf.toString('latin1'),
      (t) => new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)`).test(t), 20000);
    return r.ok;
  };
  await waitFor('IMAP greeting', () => buf.toString('latin1'), (t) => t.includes('* OK'), 20000);
  sock.write('a1 LOGIN "rep@example.com" "s3cret"\r\n'); await until('a1');
  sock.write('a2 SELECT Drafts\r\n'); await until('a2');
  buf = Buffer.alloc(0);
  sock.write('a3 FETCH 1:* (FLAGS BODY.PEEK[])\r\n'); await until('a3');
  sock.write('a4 LOGOUT\r\n');
  sock.end();
  const messages = [];
  let at = 0;
  for (;;) {
    const text = buf.toString('latin1', at);
    const m = /\* \d+ FETCH \(FLAGS \(([^)]*)\) BODY\[\] \{(\d+)\}\r\n/.exec(text);
    if (!m) break;
    const start = at + Buffer.byteLength(text.slice(0, m.index + m[0].length), 'latin1');
    const size = Number(m[2]);
    messages.push({ flags: m[1], raw: buf.subarray(start, start + size) });
    at = start + size;
  }
  return messages;
}
// A small MIME reader: headers unfolded, parts split by boundary, base64 bodies decoded.
function parseMime(raw) {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split).replace(/\r\n[ \t]/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  const body = raw.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="([^"]+)"/.exec(type)?.[1];
  const part = { headers, head, type };
  if (boundary) {
    const pieces = body.toString('latin1').split(`--${boundary}`);
    part.parts = pieces.slice(1, -1).map((p) => parseMime(Buffer.from(p.replace(/^\r\n/, ''), 'latin1')));
  } else {
    part.data = /base64/i.test(headers['content-transfer-encoding'] ?? '')
      ? Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64') : body;
  }
  return part;
}
// RFC 2047: space between two encoded words is not text; elsewhere it is.
const words = (v) => v.replace(/(\?=)\s+(?==\?UTF-8\?B\?)/g, '$1')
  .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
const flatten = (p) => (p.parts ? p.parts.flatMap(flatten) : [p]);
let mails = await fetchDrafts();
check('six drafts in the Drafts folder, each flagged \\Draft and nothing else sent',
  mails.length === 6 && mails.every((m) => /\\Draft/.test(m.flags)), mails.map((m) => m.flags).join(' | '));
const statePub = JSON.parse(readFileSync(path.join(rec, 'publish.json'), 'utf8'));
for (const mail of mails) {
  const msg = parseMime(mail.raw);
  const to = words(msg.headers.to ?? '');
  const id = Object.keys(names).find((k) => to.includes(`<${manifest.files.find((f) => f.recipient_id === k).email}>`));
  const label = id ?? to;
  check(`${label}: To is the recipient, by name`, id && to === `${names[id]} <${manifest.files.find((f) => f.recipient_id === id).email}>`, to);
  if (!id) continue;
  const page = statePub.pages[id];
  const subject = words(msg.headers.subject ?? '');
  check(`${label}: the subject is the template's, in their script`,
    subject === `For ${names[id]}: ${id === 'z1' ? 'hi Bcc: attacker@evil.example' : 'a video'}`, subject);
  check(`${label}: no value became a header`, !/^bcc:/im.test(msg.head) &&
    Object.keys(msg.headers).every((h) => ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type'].includes(h)),
  Object.keys(msg.headers).join(','));
  check(`${label}: one Message-ID per recipient and take`,
    msg.headers['message-id'] === `<cuecard.${page.token}.take1@cuecard.invalid>`, msg.headers['message-id']);
  const parts = flatten(msg);
  const plain = parts.find((q) => q.type.startsWith('text/plain'));
  const html = parts.find((q) => q.type.startsWith('text/html'));
  const gif = parts.find((q) => q.type.startsWith('image/gif'));
  const cid = /Content-ID: <([^>]+)>/i.exec(gif?.head ?? '')?.[1];
  const htmlText = html?.data.toString('utf8') ?? '';
  check(`${label}: the text part has the page's link`, plain?.data.toString('utf8').includes(page.page_url));
  check(`${label}: the HTML shows the inline GIF linking to the page, and no script`,
    htmlText.includes(`<a href="${page.page_url}"><img src="cid:${cid}"`) && !/<script/i.test(htmlText), htmlText.slice(0, 400));
  check(`${label}: the GIF is the file's preview`, gif && gif.data.subarray(0, 6).toString('latin1') === 'GIF89a' &&
    gif.data.equals(readFileSync(path.join(www, page.token, 'preview.gif'))));
}
run = drafts();
check('a second run adds nothing', run.status === 0 && /0 draft\(s\) added, 0 replaced .* 6 already there/.test(run.stdout), run.stdout);
check('still six drafts', (await fetchDrafts()).length === 6);

// A retake of Zoë: her new take is published behind the same address, and her draft replaced.
const m2 = JSON.parse(readFileSync(path.join(rec, 'manifest.json'), 'utf8'));
const first = m2.files.find((f) => f.recipient_id === 'z1');
const retake = { ...first, take: 2, file: first.file.replace('.mkv', '_take2.mkv') };
writeFileSync(path.join(rec, retake.file), readFileSync(path.join(rec, first.file)));
m2.files.push(retake);
writeFileSync(path.join(rec, 'manifest.json'), JSON.stringify(m2, null, 2));
run = publish();
check('the retake is published', run.status === 0, run.stdout + run.stderr);
run = drafts();
check('the retake replaces her draft', run.status === 0 && /0 draft\(s\) added, 1 replaced .* 5 already there/.test(run.stdout), run.stdout);
mails = await fetchDrafts();
const ids = mails.map((m) => parseMime(m.raw).headers['message-id']);
check('six drafts, hers for take 2', mails.length === 6 &&
  ids.includes(`<cuecard.${statePub.pages.z1.token}.take2@cuecard.invalid>`) &&
  !ids.includes(`<cuecard.${statePub.pages.z1.token}.take1@cuecard.invalid>`), ids.join(' '));

// Never a password on the command line, never a plain connection to another machine.
const refused = spawnSync(cli, ['drafts', '--session', rec, '--imap', `imap://rep:s3cret@127.0.0.1:${imapPort}`], { encoding: 'utf8' });
check('a password in the address is refused', refused.status === 2 && /never goes on the command line/.test(refused.stderr), refused.stderr);
const plain = spawnSync(cli, ['drafts', '--session', rec, '--imap', 'imap://rep@mail.example.com'], { encoding: 'utf8' });
check('plain imap:// to another machine is refused', plain.status === 2 && /use imaps:\/\//.test(plain.stderr), plain.stderr);
dovecot.kill('SIGTERM');
await new Promise((r) => { dovecot.once('exit', r); setTimeout(r, 5000); });
rmSync(dove, { recursive: true, force: true });
server.close();
await finish('publish e2e');
