#!/usr/bin/env node
// Browser test of `presgen serve`'s web page: upload a video, review the slides, retitle
// slide 2, render, download the MP4 and read the new slide back with OCR.
//
//   node tests/web/browser_test.mjs --presgen build/presgen --fixture build/fixtures/short_pitch.mp4
//        [--api-key KEY] [--keep]
//
// Environment: PRESGEN_BINARY, PRESGEN_FIXTURE (instead of the flags), PRESGEN_CHROMIUM
// (default /usr/bin/chromium), PRESGEN_WEB_DIR (serve the page from this folder instead of
// the embedded copy), PRESGEN_TEST_API_KEY (run the server with an API key: the page must
// ask for it), PRESGEN_CACHE_DIR (passed on to the server; default: a fresh temp folder).
// Needs `npm ci` in tests/web (scripts/install-node-deps.sh) and tesseract on the PATH.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = 300_000;
const NEW_TITLE = 'Zebra Pricing';
const t0 = Date.now();

// ---------- arguments ----------

function parseArgs(argv) {
  const out = { presgen: process.env.PRESGEN_BINARY, fixture: process.env.PRESGEN_FIXTURE,
    apiKey: process.env.PRESGEN_TEST_API_KEY || '', keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--presgen') out.presgen = value();
    else if (a === '--fixture') out.fixture = value();
    else if (a === '--api-key') out.apiKey = value();
    else if (a === '--keep') out.keep = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!out.presgen) usage('no presgen binary (--presgen PATH or PRESGEN_BINARY)');
  if (!out.fixture) usage('no fixture video (--fixture PATH or PRESGEN_FIXTURE)');
  for (const [what, p] of [['presgen binary', out.presgen], ['fixture', out.fixture]]) {
    if (!fs.existsSync(p)) usage(`${what} ${p} does not exist`);
  }
  return out;
}

function usage(message) {
  if (message) console.error(`browser_test: ${message}`);
  console.error('usage: node browser_test.mjs --presgen PATH --fixture VIDEO [--api-key KEY] [--keep]');
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const chromiumPath = process.env.PRESGEN_CHROMIUM || '/usr/bin/chromium';
const seconds = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (msg) => console.log(`[${seconds().padStart(6)} s] ${msg}`);

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error('browser_test: playwright-core is not installed; run scripts/install-node-deps.sh');
  process.exit(2);
}

// ---------- state shared with cleanup ----------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'presgen-web-test-'));
const dataDir = path.join(tmp, 'data');
fs.mkdirSync(dataDir);
const serverLog = path.join(tmp, 'server.log');
let server = null;
let browser = null;
let page = null;
let finished = false;
const pageErrors = [];
const consoleErrors = [];

class TestFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  await stopServer();
}

async function fail(message) {
  if (finished) return;
  finished = true;
  console.error(`\nbrowser_test: FAILED after ${seconds()} s: ${message}`);
  if (page) {
    const shot = path.join(tmp, 'failure.png');
    try {
      await page.screenshot({ path: shot, fullPage: true, timeout: 10_000 });
      console.error(`  screenshot: ${shot}`);
      console.error(`  page URL: ${page.url()}`);
      const visible = await page.evaluate(() => {
        const text = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent.trim() : ''; };
        return { status: document.body.dataset.status || '', error: text('error'),
          jobError: text('job-error'), deckMessage: text('deck-message'), stage: text('stage') };
      }).catch(() => null);
      if (visible) console.error(`  page shows: ${JSON.stringify(visible)}`);
    } catch (e) {
      console.error(`  (no screenshot: ${e.message})`);
    }
  }
  for (const e of pageErrors) console.error(`  page error: ${e}`);
  for (const e of consoleErrors.slice(-10)) console.error(`  console: ${e}`);
  try {
    const lines = fs.readFileSync(serverLog, 'utf8').trimEnd().split('\n').slice(-25);
    console.error(`  server log (${serverLog}), last lines:\n    ${lines.join('\n    ')}`);
  } catch (e) { /* no log */ }
  console.error(`  temp dir kept: ${tmp}`);
  await cleanup();
  process.exit(1);
}

const globalTimer = setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => fail(`interrupted (${sig})`));
}
process.on('exit', () => { if (server && server.exitCode === null) server.kill('SIGKILL'); });

// ---------- helpers ----------

function startServer() {
  const cmd = [args.presgen, 'serve', '--port', '0', '--data-dir', dataDir];
  if (process.env.PRESGEN_WEB_DIR) cmd.push('--web-dir', process.env.PRESGEN_WEB_DIR);
  if (args.apiKey) cmd.push('--api-key', args.apiKey);
  const env = { ...process.env };
  delete env.PRESGEN_API_KEY;
  // Never the user's stage cache: a fresh one unless the caller (CTest) names one.
  if (!env.PRESGEN_CACHE_DIR) env.PRESGEN_CACHE_DIR = path.join(tmp, 'cache');
  log(`starting: ${cmd.join(' ')}`);
  const out = fs.openSync(serverLog, 'a');
  server = spawn(cmd[0], cmd.slice(1), { env, stdio: ['ignore', 'pipe', out] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new TestFailure('the server printed no "listening" line in 30 s')), 30_000);
    server.on('error', (e) => { clearTimeout(timer); reject(new TestFailure(`cannot start ${args.presgen}: ${e.message}`)); });
    server.on('exit', (code, sig) => {
      clearTimeout(timer);
      if (!finished) reject(new TestFailure(`the server exited (code ${code}, signal ${sig}); log: ${serverLog}`));
    });
    server.stdout.on('data', (chunk) => {
      fs.appendFileSync(serverLog, chunk);
      buf += chunk.toString();
      const m = buf.match(/presgen serve: listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
  });
}

async function apiGet(base, url) {
  const headers = args.apiKey ? { Authorization: `Bearer ${args.apiKey}` } : {};
  const res = await fetch(base + url, { headers });
  if (!res.ok) {
    let body = await res.text();
    throw new TestFailure(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  }
  return res;
}

function ocr(image) {
  return new Promise((resolve, reject) => {
    execFile('tesseract', [image, 'stdout'], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new TestFailure(`tesseract ${image} failed: ${err.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

const words = (s) => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);

// Waits until the page's job status is one of `wanted`; a failed/expired job fails the test.
async function waitForStatus(wanted, timeoutMs) {
  const handle = await page.waitForFunction((w) => {
    const s = document.body.dataset.status || '';
    const shown = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent.trim() : ''; };
    if (w.includes(s) || s === 'failed' || s === 'expired') return { status: s, error: shown('job-error') };
    if (shown('error')) return { status: 'page-error', error: shown('error') };
    return false;
  }, wanted, { timeout: timeoutMs, polling: 100 });
  const r = await handle.jsonValue();
  check(wanted.includes(r.status), `expected status ${wanted.join('/')}, page shows ${r.status}: ${r.error}`);
}

// The stages of the current run, as the page lists them (one per stage it was told of).
async function stagesSeen() {
  return page.locator('#stages li').evaluateAll((lis) => lis.map((li) => li.textContent));
}

// ---------- the test ----------

async function main() {
  log(`presgen ${args.presgen}, fixture ${args.fixture}, chromium ${chromiumPath}, temp ${tmp}`);
  const base = await startServer();
  log(`server at ${base}`);

  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  await page.goto(base + '/');
  check(await page.locator('#drop-zone').isVisible(), 'the page shows no #drop-zone');
  check(await page.locator('#opt-review').isChecked(), '"Review slides before rendering" is not checked by default');
  const css = await page.evaluate(() => getComputedStyle(document.querySelector('.panel')).borderRadius);
  check(css && css !== '0px', 'style.css did not load');

  // Something that is not a video: the server's refusal is shown.
  await page.setInputFiles('#file-input', { name: 'notes.mp4', mimeType: 'video/mp4',
    buffer: Buffer.from('this is a text file, not a video\n'.repeat(50)) });
  if (args.apiKey) {
    await page.locator('#api-key').waitFor({ state: 'visible', timeout: 30_000 });
    log('401: the page asks for the API key');
    await page.fill('#api-key', args.apiKey);
    await page.click('#api-key-save');
  }
  await page.waitForFunction(() => !document.getElementById('error').hidden &&
    /\(4\d\d\)/.test(document.getElementById('error').textContent), null, { timeout: 30_000 });
  const refusal = await page.locator('#error').textContent();
  check(/\(415\)/.test(refusal), `a text file was refused with "${refusal}", not 415`);
  log(`a text file is refused: ${JSON.stringify(refusal)}`);

  // The video. (The key, if any, is remembered.)
  await page.setInputFiles('#file-input', args.fixture);
  await page.waitForURL(/[?&]job=/, { timeout: 120_000 });
  const jobId = new URL(page.url()).searchParams.get('job');
  const uploaded = await page.locator('#upload-progress').evaluate((e) => e.value);
  check(uploaded === 100, `upload progress shows ${uploaded}, not 100`);
  log(`uploaded: job ${jobId}`);

  // Transcription and slides, then the review screen.
  await waitForStatus(['review'], 240_000);
  const stages1 = await stagesSeen();
  await page.locator('#review').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('#slides .slide-card').length >= 2 &&
    document.querySelectorAll('#transcript .sentence').length > 0, null, { timeout: 30_000 });
  log(`review after stages: ${stages1.join(' -> ') || '(none seen)'}`);
  const cards = page.locator('.slide-card');
  const before = await cards.evaluateAll((cs) => cs.map((c) => c.querySelector('.slide-title input').value));
  const sentences = await page.locator('#transcript .sentence').count();
  log(`${before.length} slides: ${before.map((t) => JSON.stringify(t)).join(', ')}; ${sentences} transcript sentences`);
  const slide2 = cards.nth(1);
  const oldTitle = before[1];
  const oldSlide2 = await (await apiGet(base, `/v1/jobs/${jobId}/slides/2.png`)).arrayBuffer();
  const deck0 = await (await apiGet(base, `/v1/jobs/${jobId}/deck`)).json();
  const otherText = [deck0.slides[1].subtitle || '', ...(deck0.slides[1].bullets || [])].join(' ');
  await page.waitForFunction(() => {
    const img = document.querySelector('.slide-card:nth-child(2) .slide-img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 30_000 });

  // Select slide 2 and click the first sentence spoken on it: its start is set to that
  // sentence's start.
  await slide2.locator('.slide-select').click();
  check(await slide2.evaluate((c) => c.classList.contains('selected')), 'clicking slide 2 did not select it');
  const spoken = await page.locator('#transcript .sentence').evaluateAll(
    (bs) => bs.findIndex((b) => b.classList.contains('in-slide')));
  check(spoken >= 0, 'no transcript sentence is marked as spoken on slide 2');
  const sentence = page.locator('#transcript .sentence').nth(spoken);
  const sentenceStart = Number(await sentence.getAttribute('data-start'));
  await sentence.click();
  const startValue = Number(await slide2.locator('.slide-start input').inputValue());
  check(Math.abs(startValue - sentenceStart) < 0.011,
    `clicking the sentence at ${sentenceStart} s set slide 2's start to ${startValue}`);
  log(`slide 2 starts at ${startValue} s (clicked sentence at ${sentenceStart} s)`);

  // A start past the video's end is refused (422) and shown next to the slides.
  await slide2.locator('.slide-start input').fill('999');
  await page.click('#save-deck');
  await page.locator('#deck-message').waitFor({ state: 'visible', timeout: 30_000 });
  const refused = await page.locator('#deck-message').textContent();
  log(`start 999 s: ${JSON.stringify(refused)}`);
  check(!/slide 2\b/i.test(refused) || await slide2.evaluate((c) => c.classList.contains('invalid')),
    'the refusal names slide 2 but its card is not marked');
  await sentence.click();
  check(Number(await slide2.locator('.slide-start input').inputValue()) === startValue,
    'clicking the sentence again did not restore slide 2\'s start');

  // Retitle slide 2 and render.
  await slide2.locator('.slide-title input').fill(NEW_TITLE);
  await page.click('#render');
  await waitForStatus(['rendering', 'succeeded'], 60_000);
  await waitForStatus(['succeeded'], 240_000);
  const stages2 = await stagesSeen();
  log(`render stages: ${stages2.join(' -> ') || '(none seen)'}`);
  await page.locator('#player').waitFor({ state: 'visible', timeout: 30_000 });
  const after = await page.locator('.slide-card .slide-title input').evaluateAll((is) => is.map((i) => i.value));
  check(after[1] === NEW_TITLE, `after the render slide 2's title field shows ${JSON.stringify(after[1])}`);
  log(`titles after: ${after.map((t) => JSON.stringify(t)).join(', ')}`);
  const playerSrc = await page.locator('#player').getAttribute('src');
  check(playerSrc && playerSrc.includes(`/v1/jobs/${jobId}/download`), `#player src is ${playerSrc}`);
  const meta = await page.locator('#player').evaluate((v) => new Promise((resolve) => {
    if (v.readyState >= 1) { resolve({ duration: v.duration }); return; }
    const t = setTimeout(() => resolve({ error: 'no metadata in 15 s' }), 15_000);
    v.addEventListener('loadedmetadata', () => { clearTimeout(t); resolve({ duration: v.duration }); });
    v.addEventListener('error', () => { clearTimeout(t); resolve({ error: `media error ${v.error && v.error.code}` }); });
  }));
  check(!meta.error, `the player cannot load the video: ${meta.error}`);
  log(`player: ${meta.duration.toFixed(2)} s of video`);

  // Download through the link.
  const href = await page.locator('#download').getAttribute('href');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#download')]);
  const mp4 = path.join(tmp, 'download.mp4');
  await download.saveAs(mp4);
  const bytes = fs.readFileSync(mp4);
  check(bytes.length > 10_000, `the download is only ${bytes.length} bytes`);
  check(bytes.subarray(4, 8).toString('latin1') === 'ftyp', 'the download is not an MP4 (no ftyp box)');
  log(`downloaded ${download.suggestedFilename()} via ${href.replace(/sig=[0-9a-f]+/i, 'sig=…')}: ${bytes.length} bytes, ftyp ok`);

  // The new slide 2, read back with OCR.
  const job = await (await apiGet(base, `/v1/jobs/${jobId}`)).json();
  const png = Buffer.from(await (await apiGet(base, `/v1/jobs/${jobId}/slides/2.png?v=${job.deck_version}`)).arrayBuffer());
  check(png.subarray(1, 4).toString('latin1') === 'PNG', 'slides/2.png is not a PNG');
  check(!png.equals(Buffer.from(oldSlide2)), 'slides/2.png did not change after the edit');
  const pngPath = path.join(tmp, 'slide2.png');
  fs.writeFileSync(pngPath, png);
  const text = await ocr(pngPath);
  const seen = words(text);
  log(`OCR of slide 2: ${JSON.stringify(text.replace(/\s+/g, ' ').trim())}`);
  check(seen.includes('zebra'), `OCR does not find "Zebra" on the new slide 2`);
  const newWords = new Set(words(NEW_TITLE));
  const keep = new Set(words(otherText));
  const gone = words(oldTitle).filter((w) => !newWords.has(w) && !keep.has(w) && w.length > 2);
  if (gone.length > 0) {
    const still = gone.filter((w) => seen.includes(w));
    check(still.length === 0, `OCR still finds the old title's ${JSON.stringify(still)} on slide 2`);
    log(`the old title's ${JSON.stringify(gone)} are gone from the image`);
  } else {
    log(`(the old title ${JSON.stringify(oldTitle)} has no word that must disappear)`);
  }

  // The job: succeeded, transcript reused.
  check(job.status === 'succeeded', `GET /v1/jobs/${jobId} says ${job.status}`);
  check(Array.isArray(job.reused) && job.reused.includes('transcribe'),
    `the render did not reuse the transcript: reused = ${JSON.stringify(job.reused)}`);
  log(`job: reused ${JSON.stringify(job.reused)}, deck_version ${job.deck_version}, ` +
    `degraded ${JSON.stringify((job.degraded || []).map((d) => `${d.stage}: ${d.reason}`))}, ` +
    `timings ${JSON.stringify(job.timings)}`);

  // ?job=ID reopens the finished job.
  await page.goto(`${base}/?job=${encodeURIComponent(jobId)}`);
  await waitForStatus(['succeeded'], 30_000);
  await page.locator('#player').waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForFunction((t) => {
    const i = document.querySelector('.slide-card:nth-child(2) .slide-title input');
    return i && i.value === t;
  }, NEW_TITLE, { timeout: 30_000 });
  log('reopening ?job= shows the player and the edited deck');

  check(pageErrors.length === 0, `the page threw: ${pageErrors.join('; ')}`);
  finished = true;
  clearTimeout(globalTimer);
  await cleanup();
  console.log(`\nbrowser_test: PASSED in ${seconds()} s`);
  console.log(`  stages: ${stages1.join(' -> ')} | render: ${stages2.join(' -> ')}`);
  console.log(`  slide 2 title: ${JSON.stringify(oldTitle)} -> ${JSON.stringify(after[1])}`);
  console.log(`  MP4: ${bytes.length} bytes`);
  if (args.keep) console.log(`  temp dir kept: ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => fail(e instanceof TestFailure ? e.message : (e && e.stack) || String(e)));
