// presgen web page: upload a pitch video, follow its stages, review and edit the slides,
// render, watch and download. Plain browser JavaScript against the /v1 job API.
'use strict';

const KEY_STORAGE = 'presgen.apiKey';
const ACTIVE = new Set(['queued', 'running', 'rendering']);
const STATUS_TEXT = {
  queued: 'Queued', running: 'Working', review: 'Ready for review', rendering: 'Rendering',
  succeeded: 'Done', failed: 'Failed', expired: 'Expired',
};
const STAGE_TEXT = {
  probe: 'Reading the video', audio: 'Extracting audio', transcribe: 'Transcribing speech',
  summarize: 'Writing slides', slides: 'Drawing slides', face: 'Finding the face',
  compose: 'Composing the video', hash: 'Hashing the input',
};

const $ = (id) => document.getElementById(id);
const state = {
  job: null,          // latest job JSON
  deck: null,         // deck as loaded from the server (edited in place)
  transcript: null,   // transcript JSON
  selected: 1,        // index of the selected slide
  events: null,       // EventSource
  poll: null,         // polling timer
  stages: [],         // stages seen in the current run
  reviewShownFor: '', // job id + deck_version the review screen shows
  pending: null,      // action to retry after an API key was entered
};

// ---------- API key ----------

function apiKey() {
  try { return localStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
}

function withKey(url) {
  const key = apiKey();
  if (!key) return url;
  return url + (url.includes('?') ? '&' : '?') + 'api_key=' + encodeURIComponent(key);
}

function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: 'Bearer ' + key } : {};
}

function askForKey(retry) {
  state.pending = retry || null;
  $('auth').hidden = false;
  $('api-key').focus();
}

$('auth-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  try { localStorage.setItem(KEY_STORAGE, key); } catch (e) { /* private mode */ }
  $('auth').hidden = true;
  clearError();
  const retry = state.pending;
  state.pending = null;
  if (retry) retry();
});

// ---------- errors ----------

class ApiError extends Error {
  constructor(status, message, code) { super(message); this.status = status; this.code = code || ''; }
}

// Shows (or, with an empty text, hides) a message element.
function say(id, text) {
  $(id).textContent = text || '';
  $(id).hidden = !text;
}
const showError = (message) => say('error', message);
const clearError = () => say('error', '');

// document.createElement with properties and children.
function el(tag, props, ...kids) {
  const e = Object.assign(document.createElement(tag), props || {});
  e.append(...kids);
  return e;
}

async function errorFrom(res) {
  let message = res.status + ' ' + (res.statusText || 'error');
  let code = '';
  try {
    const body = await res.json();
    if (body && body.error) message = body.error;
    if (body && body.code) code = body.code;
  } catch (e) { /* not JSON */ }
  return new ApiError(res.status, message, code);
}

// fetch with the API key; throws ApiError (and asks for a key on 401).
async function api(url, options = {}, retry) {
  const opts = Object.assign({}, options);
  opts.headers = Object.assign({}, options.headers || {}, authHeaders());
  let res;
  try {
    res = await fetch(url, opts);
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached (' + e.message + ')');
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401) askForKey(retry);
    throw err;
  }
  return res;
}

// ---------- upload ----------

function collectOptions() {
  const options = { review: $('opt-review').checked };
  if ($('opt-size').value) options.size = $('opt-size').value;
  if ($('opt-template').value) options.template = $('opt-template').value;
  if ($('opt-max-slides').value) options.max_slides = Number($('opt-max-slides').value);
  return options;
}

function upload(file) {
  if (!file) return;
  clearError();
  stopWatching();
  resetJobView();
  const form = new FormData();
  form.append('options', JSON.stringify(collectOptions()));
  form.append('file', file, file.name);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/v1/jobs');
  for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
  const bar = $('upload-progress');
  $('upload-status').hidden = false;
  $('upload-label').textContent = 'Uploading ' + file.name + '…';
  bar.value = 0;
  bar.removeAttribute('data-done');
  setUploadBusy(true);
  xhr.upload.onprogress = (ev) => {
    if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
  };
  xhr.upload.onload = () => { bar.value = 100; $('upload-label').textContent = 'Uploaded; checking the video…'; };
  xhr.onerror = () => {
    setUploadBusy(false);
    $('upload-label').textContent = 'Upload failed';
    showError('Upload failed: the server cannot be reached.');
  };
  xhr.onload = () => {
    setUploadBusy(false);
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
    if (xhr.status >= 200 && xhr.status < 300 && body && body.id) {
      bar.value = 100;
      bar.setAttribute('data-done', 'true');
      $('upload-label').textContent = 'Uploaded ' + file.name;
      history.pushState({ job: body.id }, '', '?job=' + encodeURIComponent(body.id));
      showJob(body);
      follow(body);
      return;
    }
    $('upload-label').textContent = 'Upload refused';
    const msg = (body && body.error) || (xhr.status + ' ' + xhr.statusText);
    if (xhr.status === 401) {
      askForKey(() => upload(file));
      showError('Upload refused: ' + msg + ' Enter the API key to retry.');
      return;
    }
    let extra = '';
    if (xhr.status === 429) {
      const after = xhr.getResponseHeader('Retry-After');
      extra = after ? ' Try again in ' + after + ' s.' : ' Try again later.';
    }
    showError('Upload refused (' + xhr.status + '): ' + msg + extra);
  };
  xhr.send(form);
}

function setUploadBusy(busy) {
  $('drop-zone').classList.toggle('busy', busy);
  $('file-input').disabled = busy;
}

const dropZone = $('drop-zone');
dropZone.addEventListener('click', (ev) => {
  if (ev.target !== $('file-input')) $('file-input').click();
});
dropZone.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); $('file-input').click(); }
});
for (const t of ['dragenter', 'dragover', 'dragleave', 'drop']) {
  dropZone.addEventListener(t, (ev) => {
    ev.preventDefault();
    dropZone.classList.toggle('over', t === 'dragenter' || t === 'dragover');
  });
}
dropZone.addEventListener('drop', (ev) => {
  const file = ev.dataTransfer && ev.dataTransfer.files[0];
  if (file) upload(file);
});
$('file-input').addEventListener('change', () => {
  const file = $('file-input').files[0];
  $('file-input').value = '';
  upload(file);
});

// ---------- following a job ----------

function stopWatching() {
  if (state.events) { state.events.close(); state.events = null; }
  if (state.poll) { clearInterval(state.poll); state.poll = null; }
}

function follow(job) {
  stopWatching();
  if (!ACTIVE.has(job.status)) { settle(job); return; }
  if (typeof EventSource === 'undefined') { startPolling(job.id); return; }
  const es = new EventSource(withKey(job.links.events));
  state.events = es;
  const onEvent = (ev) => {
    let j;
    try { j = JSON.parse(ev.data); } catch (e) { return; }
    update(j);
    if (!ACTIVE.has(j.status)) { stopWatching(); settle(j); }
  };
  es.addEventListener('status', onEvent);
  es.addEventListener('progress', onEvent);
  es.onmessage = onEvent;
  es.onerror = () => {
    if (state.events !== es) return;
    // The stream broke (or was refused): poll the job every second instead.
    es.close();
    state.events = null;
    startPolling(job.id);
  };
}

function startPolling(id) {
  if (state.poll) return;
  const tick = async () => {
    try {
      const res = await api('/v1/jobs/' + encodeURIComponent(id), {}, () => startPolling(id));
      const j = await res.json();
      update(j);
      if (!ACTIVE.has(j.status)) { stopWatching(); settle(j); }
    } catch (e) {
      stopWatching();
      showError('Lost the job: ' + e.message);
    }
  };
  state.poll = setInterval(tick, 1000);
  tick();
}

function resetJobView() {
  Object.assign(state, { job: null, deck: null, transcript: null, stages: [], reviewShownFor: '' });
  $('stages').textContent = '';
  for (const id of ['job', 'review', 'result']) $(id).hidden = true;
  $('player').removeAttribute('src');
}

function showJob(job) {
  $('job').hidden = false;
  $('job-name').textContent = job.filename || job.id;
  $('job-name').title = job.id;
  update(job);
}

// Reflects a job snapshot in the status panel.
function update(job) {
  const prev = state.job;
  state.job = job;
  document.body.dataset.status = job.status;
  const badge = $('job-status');
  badge.textContent = STATUS_TEXT[job.status] || job.status;
  badge.className = 'badge ' + job.status;
  const active = ACTIVE.has(job.status);
  $('progress-block').hidden = !active && state.stages.length === 0;
  if (active && job.stage) {
    if (state.stages[state.stages.length - 1] !== job.stage) {
      if (prev && prev.status !== job.status && job.status === 'rendering') state.stages = [];
      state.stages.push(job.stage);
      renderStages(false);
    }
  }
  if (job.status === 'rendering' && prev && prev.status !== 'rendering') $('result').hidden = true;
  $('stage').textContent = active
    ? (STAGE_TEXT[job.stage] || job.stage || (job.status === 'queued' ? 'Waiting in the queue' : 'Starting'))
    : (STATUS_TEXT[job.status] || job.status);
  $('stage').dataset.stage = job.stage || '';
  $('stage-progress').value = Math.round(Math.max(0, Math.min(1, job.progress || 0)) * 100);
  if (!active) { $('stage-progress').value = job.status === 'failed' ? 0 : 100; renderStages(true); }
  say('job-error', job.error || '');
  const degraded = job.degraded || [];
  $('degraded-block').hidden = degraded.length === 0;
  $('degraded').replaceChildren(...degraded.map((d) => el('li', {
    textContent: (d.stage || '?') + ': ' + (d.reason || '') + (d.fallback ? ' → ' + d.fallback : ''),
  })));
  const reused = job.reused || [];
  say('reused-line', reused.length ? 'Reused from the cache: ' + reused.join(', ') : '');
  $('save-deck').disabled = active;
  $('render').disabled = active;
}

function renderStages(finished) {
  $('stages').replaceChildren(...state.stages.map((s, i) => el('li', {
    textContent: s, className: finished || i < state.stages.length - 1 ? 'done' : 'current',
  })));
}

// A job that stopped moving: show the review screen and/or the result.
async function settle(job) {
  update(job);
  if (job.status === 'expired') {
    $('review').hidden = true;
    $('result').hidden = true;
    showError('This job has expired and its files were removed. Upload the video again.');
    return;
  }
  if (job.status === 'succeeded') showResult(job); else $('result').hidden = true;
  const canEdit = job.status === 'review' || job.status === 'succeeded' ||
    (job.status === 'failed' && job.slide_count > 0);
  if (canEdit) await showReview(job); else $('review').hidden = true;
}

async function openJob(id) {
  clearError();
  stopWatching();
  resetJobView();
  try {
    const res = await api('/v1/jobs/' + encodeURIComponent(id), {}, () => openJob(id));
    const job = await res.json();
    showJob(job);
    follow(job);
  } catch (e) {
    showError(e.status === 404 ? 'No job ' + id + ' (it may have expired or been deleted).'
      : 'Cannot open job ' + id + ': ' + e.message);
  }
}

function showResult(job) {
  const v = '&v=' + encodeURIComponent(job.updated_at || job.deck_version || '');
  const src = withKey(job.links.download);
  $('player').src = src + (src.includes('?') ? v : '?' + v.slice(1));
  const dl = $('download');
  dl.href = job.download_url || withKey(job.links.download);
  const stem = (job.filename || 'presentation').replace(/\.[^.]*$/, '');
  dl.setAttribute('download', stem + '-presgen.mp4');
  $('pdf').href = withKey(job.links.pdf);
  $('result').hidden = false;
}

// ---------- review ----------

async function showReview(job) {
  const tag = job.id + '#' + job.deck_version;
  $('review').hidden = false;
  if (state.reviewShownFor === tag && state.deck) { refreshImages(); return; }
  try {
    const loads = [api(job.links.deck, {}, () => showReview(job)).then((r) => r.json())];
    if (!state.transcript) {
      loads.push(api(job.links.transcript + '?format=json').then((r) => r.json()));
    }
    const [deck, transcript] = await Promise.all(loads);
    state.deck = deck;
    if (transcript) state.transcript = transcript;
    state.reviewShownFor = tag;
    if (state.selected >= deck.slides.length) state.selected = deck.slides.length - 1;
    renderTranscript();
    renderSlides();
  } catch (e) {
    showError('Cannot load the slides: ' + e.message);
  }
}

function fmtTime(t) {
  const tenths = Math.round(t * 10);
  const s = (tenths % 600) / 10;
  return Math.floor(tenths / 600) + ':' + (s < 10 ? '0' : '') + s.toFixed(1);
}

function renderTranscript() {
  const segs = (state.transcript && state.transcript.segments) || [];
  $('transcript').replaceChildren(...segs.map((seg) => {
    const b = el('button', { type: 'button', className: 'sentence',
      title: 'Start the selected slide at ' + fmtTime(seg.start) },
    el('span', { className: 'time', textContent: fmtTime(seg.start) }), ' ' + seg.text);
    b.dataset.start = seg.start;
    b.addEventListener('click', () => setSelectedStart(seg.start));
    return el('li', null, b);
  }));
  if (segs.length === 0) $('transcript').append(el('li', { className: 'muted', textContent: 'No speech was found.' }));
  markTranscript();
}

// Marks the sentences spoken while the selected slide is on screen.
function markTranscript() {
  if (!state.deck) return;
  const slides = state.deck.slides;
  const s = slides[state.selected];
  if (!s) return;
  const next = slides[state.selected + 1];
  const end = next ? Number(next.start) : Infinity;
  for (const b of document.querySelectorAll('#transcript .sentence')) {
    const t = Number(b.dataset.start);
    b.classList.toggle('in-slide', t >= Number(s.start) - 0.05 && t < end - 0.05);
  }
}

function setSelectedStart(t) {
  const card = document.querySelectorAll('#slides .slide-card')[state.selected];
  if (!card) return;
  const value = Math.round(t * 100) / 100;
  state.deck.slides[state.selected].start = value;
  card.querySelector('.slide-start input').value = value;
  markTranscript();
  card.classList.add('flash');
  setTimeout(() => card.classList.remove('flash'), 600);
}

function select(i) {
  state.selected = i;
  document.querySelectorAll('#slides .slide-card').forEach((c, j) => {
    c.classList.toggle('selected', j === i);
    c.querySelector('.slide-select').setAttribute('aria-pressed', String(j === i));
  });
  markTranscript();
}

function slideImage(n) {
  const job = state.job;
  return withKey('/v1/jobs/' + encodeURIComponent(job.id) + '/slides/' + n + '.png?v=' +
    encodeURIComponent(job.deck_version));
}

function refreshImages() {
  document.querySelectorAll('#slides .slide-card').forEach((c, i) => {
    c.querySelector('.slide-img').src = slideImage(i + 1);
  });
}

function renderSlides() {
  const host = $('slides');
  host.textContent = '';
  const tpl = $('slide-template');
  state.deck.slides.forEach((slide, i) => {
    const card = tpl.content.firstElementChild.cloneNode(true);
    const n = i + 1;
    card.dataset.index = i;
    card.id = 'slide-' + n;
    card.querySelector('.slide-num').textContent = 'Slide ' + n;
    const img = card.querySelector('.slide-img');
    img.src = slideImage(n);
    img.alt = 'Slide ' + n + ': ' + slide.title;
    card.querySelector('.slide-select').setAttribute('aria-label', 'Select slide ' + n);
    card.querySelector('.slide-select').addEventListener('click', () => select(i));
    card.addEventListener('focusin', () => { if (state.selected !== i) select(i); });
    bindField(card, '.slide-title', 'slide-' + n + '-title', slide.title, (v) => { slide.title = v; });
    const sub = card.querySelector('.slide-subtitle');
    if (slide.subtitle !== undefined && slide.subtitle !== null) {
      bindField(card, '.slide-subtitle', 'slide-' + n + '-subtitle', slide.subtitle,
        (v) => { slide.subtitle = v; });
    } else {
      sub.remove();
    }
    bindField(card, '.slide-start', 'slide-' + n + '-start', slide.start, (v) => {
      slide.start = v === '' ? v : Number(v);
      markTranscript();
    });
    if (i === 0) card.querySelector('.slide-start input').title = 'The first slide starts the video';
    renderBullets(card, slide);
    card.querySelector('.add-bullet').addEventListener('click', () => {
      slide.bullets = slide.bullets || [];
      slide.bullets.push('');
      renderBullets(card, slide);
      const inputs = card.querySelectorAll('.bullets textarea');
      inputs[inputs.length - 1].focus();
    });
    host.appendChild(card);
  });
  select(Math.max(0, Math.min(state.selected, state.deck.slides.length - 1)));
}

function bindField(card, cls, id, value, set) {
  const box = card.querySelector(cls);
  const input = box.querySelector('input');
  box.querySelector('label').htmlFor = id;
  input.id = id;
  input.value = value === undefined || value === null ? '' : value;
  input.addEventListener('input', () => set(input.value));
}

function renderBullets(card, slide) {
  const list = card.querySelector('.bullets');
  list.textContent = '';
  const bullets = slide.bullets || [];
  bullets.forEach((text, j) => {
    const input = el('textarea', { rows: 2, maxLength: 200, value: text });
    input.setAttribute('aria-label', 'Bullet ' + (j + 1) + ' of slide ' + (Number(card.dataset.index) + 1));
    input.addEventListener('input', () => { slide.bullets[j] = input.value; });
    const rm = el('button', { type: 'button', className: 'remove-bullet small', textContent: 'Remove' });
    rm.setAttribute('aria-label', 'Remove bullet ' + (j + 1));
    rm.addEventListener('click', () => { slide.bullets.splice(j, 1); renderBullets(card, slide); });
    list.appendChild(el('li', null, input, rm));
  });
  card.querySelector('.add-bullet').disabled = bullets.length >= 6;
}

// The deck to PUT: the loaded one with the edits; ends follow the next start, and
// bullet sources are dropped when the number of bullets changed.
function editedDeck() {
  const deck = JSON.parse(JSON.stringify(state.deck));
  deck.slides.forEach((s, i) => {
    s.title = (s.title || '').trim();
    if (s.subtitle !== undefined) s.subtitle = (s.subtitle || '').trim();
    s.bullets = (s.bullets || []).map((b) => b.replace(/\s+/g, ' ').trim()).filter((b) => b);
    if (Array.isArray(s.sources) && s.sources.length !== s.bullets.length) delete s.sources;
    s.start = Number(s.start);
    s.index = i;
    const next = deck.slides[i + 1];
    if (next) s.end = Number(next.start);
  });
  return deck;
}

function deckMessage(text, ok) {
  // A refusal that names a slide ("slide 3: ...") marks that card.
  const named = !ok && text ? /slide (\d+)/i.exec(text) : null;
  document.querySelectorAll('#slides .slide-card').forEach((c, i) => {
    c.classList.toggle('invalid', !!named && Number(named[1]) === i + 1);
  });
  say('deck-message', ok ? '' : text);
  say('deck-saved', ok ? text : '');
}

async function saveDeck() {
  const job = state.job;
  deckMessage('', true);
  const deck = editedDeck();
  for (const [i, s] of deck.slides.entries()) {
    if (!s.title) { deckMessage('Slide ' + (i + 1) + ' needs a title.'); return null; }
    if (!Number.isFinite(s.start)) { deckMessage('Slide ' + (i + 1) + ' needs a start time.'); return null; }
  }
  $('save-deck').disabled = true;
  $('render').disabled = true;
  try {
    const res = await api(job.links.deck, { method: 'PUT', body: JSON.stringify(deck),
      headers: { 'Content-Type': 'application/json' } }, () => saveDeck());
    const updated = await res.json();
    update(updated);
    state.reviewShownFor = '';
    await showReview(updated);
    deckMessage('Saved (version ' + updated.deck_version + ').', true);
    return updated;
  } catch (e) {
    deckMessage((e.status === 422 ? 'The slides were not saved: ' : 'Save failed: ') + e.message);
    return null;
  } finally {
    $('save-deck').disabled = ACTIVE.has(state.job.status);
    $('render').disabled = ACTIVE.has(state.job.status);
  }
}

async function renderVideo() {
  const saved = await saveDeck();
  if (!saved) return;
  $('render').disabled = true;
  try {
    const res = await api(saved.links.render, { method: 'POST' }, () => renderVideo());
    const job = await res.json();
    state.stages = [];
    renderStages(false);
    $('result').hidden = true;
    deckMessage('', true);
    update(job);
    follow(job);
    $('job').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (e) {
    deckMessage('Render refused: ' + e.message);
    $('render').disabled = false;
  }
}

$('save-deck').addEventListener('click', () => { saveDeck(); });
$('render').addEventListener('click', () => { renderVideo(); });

// ---------- start ----------

const jobFromUrl = () => new URLSearchParams(location.search).get('job');

window.addEventListener('popstate', () => {
  const id = jobFromUrl();
  if (id) openJob(id); else { stopWatching(); resetJobView(); clearError(); }
});

if (jobFromUrl()) openJob(jobFromUrl());
