// RhythmSearch web page: talks only to this server's /api (no external scripts, works offline).
'use strict';

const $ = (id) => document.getElementById(id);
let last = null; // the last answer: { doc, querySource }

function mmss(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

function bpm(tempo) {
  return tempo == null ? 'tempo unknown' : Math.round(tempo) + ' BPM';
}

function status(text, isError) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', !!isError);
}

async function api(path, options) {
  const res = await fetch(path, options);
  const type = res.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await res.json() : null;
  if (!res.ok) {
    throw new Error(body && body.error ? body.error : 'HTTP ' + res.status);
  }
  return body;
}

async function loadSummary() {
  try {
    const h = await api('api/health');
    $('index-summary').textContent = h.tracks + ' tracks, ' + h.excerpts + ' excerpts indexed (feature ' +
        h.feature + ').';
  } catch (e) {
    $('index-summary').textContent = 'The index cannot be reached: ' + e.message;
  }
}

function options() {
  return { k: $('k').value || '10', aggregate: $('aggregate').value, tempoAlign: $('tempo-align').value };
}

async function queryUpload(file) {
  if (!file) {
    status('Choose an audio file first.', true);
    $('file').focus();
    return;
  }
  const form = new FormData();
  form.append('audio', file, file.name);
  const o = options();
  form.append('k', o.k);
  form.append('aggregate', o.aggregate);
  form.append('tempoAlign', o.tempoAlign);
  status('Analysing ' + file.name + '…');
  try {
    const doc = await api('api/query', { method: 'POST', body: form });
    show(doc, { upload: doc.upload.token });
  } catch (e) {
    status(file.name + ': ' + e.message, true);
  }
}

async function queryTrack(id, name) {
  const o = options();
  status('Searching with ' + name + '…');
  try {
    const doc = await api('api/query', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ trackId: id, k: Number(o.k), aggregate: o.aggregate, tempoAlign: Number(o.tempoAlign) }),
    });
    show(doc, { track: id });
    history.replaceState(null, '', '#track=' + id); // a link to this answer
  } catch (e) {
    status(name + ': ' + e.message, true);
  }
}

function sourceParam(source) {
  return source.upload ? 'upload=' + encodeURIComponent(source.upload) : 'track=' + source.track;
}

function audioUrl(source, start) {
  const base = source.upload ? 'api/uploads/' + encodeURIComponent(source.upload) : 'api/tracks/' + source.track;
  return base + '/audio?start=' + start + '&seconds=10';
}

function button(text, cls, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary ' + cls;
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function play(li, cls, url, label) {
  let a = li.querySelector('audio.' + cls);
  if (!a) {
    a = document.createElement('audio');
    a.className = cls;
    a.controls = true;
    a.preload = 'auto';
    a.setAttribute('aria-label', label);
    li.querySelector('.actions').appendChild(a);
    a.src = url;
  }
  a.play().catch(() => { /* autoplay refused: the controls are there */ });
}

function show(doc, source) {
  last = { doc, source };
  const list = $('results');
  list.replaceChildren();
  const scale = doc.scale || {};
  $('results-intro').textContent = doc.results.length + ' tracks with a rhythm like ' + doc.query.split('/').pop() + ' (' +
      bpm(doc.queryTempoBpm) + '), of ' + doc.tracks + ' indexed.' +
      (scale.applies ? ' Scores are compared with ' + scale.pairsSampled + ' track pairs of this collection.' :
        scale.ready ? '' : ' (The collection\'s score scale is still being sampled.)') +
      (doc.search && doc.search !== 'exact' ?
        ' Searched through the collection\'s ' + doc.search.split(' ')[0].toUpperCase() + ' index (approximate' +
        (doc.searchRecallAt10 != null ? '; it finds ' + Math.round(100 * doc.searchRecallAt10) +
          ' % of the tracks exact search lists, as measured when it was built' : '') + ').' : '') +
      (doc.leftOut && doc.leftOut.length ? ' The query is indexed ' + doc.leftOut.map(t => 'track ' + t.trackId + ' (' +
        t.track.split('/').pop() + ')').join(', ') + ': left out.' : '') +
      (doc.clipSeconds != null ? ' The query is a ' + doc.clipSeconds.toFixed(1) + '-s clip, repeated to fill one ' +
        '10-s excerpt: clips find less than whole excerpts.' : '');
  for (const r of doc.results) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'track-name';
    name.textContent = r.name;
    name.title = r.track;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = ' score ' + r.score.toFixed(4);
    const info = document.createElement('div');
    info.className = 'info';
    info.textContent = bpm(r.tempoBpm) + '; query at ' + mmss(r.queryOffsetSeconds) + ' matches this track at ' +
        mmss(r.matchOffsetSeconds);
    const words = document.createElement('div');
    words.className = 'words';
    words.textContent = r.scoreInWords ? r.scoreInWords : '';
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(
      button('▶ Query at ' + mmss(r.queryOffsetSeconds), 'play-query',
        'Play the query excerpt at ' + mmss(r.queryOffsetSeconds),
        () => play(li, 'query-audio', audioUrl(source, r.queryOffsetSeconds), 'Query excerpt')),
      button('▶ Match at ' + mmss(r.matchOffsetSeconds), 'play-match',
        'Play ' + r.name + ' at ' + mmss(r.matchOffsetSeconds),
        () => play(li, 'match-audio', audioUrl({ track: r.trackId }, r.matchOffsetSeconds), 'Matched excerpt of ' +
          r.name)),
      button('Show plot', 'show-plot', 'Show the beat spectra of the pair with ' + r.name, () => plot(li, r, source)));
    li.append(name, score, words, info, actions);
    list.appendChild(li);
  }
  $('m3u-link').hidden = true;
  $('results-section').hidden = false;
  status(doc.results.length ? 'Found ' + doc.results.length + ' tracks.' : 'No tracks found.');
  $('results-heading').focus();
}

function plot(li, r, source) {
  let fig = li.querySelector('figure');
  if (fig) {
    fig.hidden = !fig.hidden;
    return;
  }
  fig = document.createElement('figure');
  const img = document.createElement('img');
  img.className = 'plot';
  img.alt = 'The descriptors of the query excerpt at ' + mmss(r.queryOffsetSeconds) + ' and of ' + r.name + ' at ' +
      mmss(r.matchOffsetSeconds) + ', overlaid band by band (one small chart per mel sub-band and one for the beat spectrum), with the score of the pair';
  img.src = 'api/plot?' + sourceParam(source) + '&start=' + r.queryOffsetSeconds + '&against=' + r.trackId +
      '&start2=' + r.matchOffsetSeconds + '&view=pair&size=720x560&tempoAlign=' + last.doc.tempoAlignment.tolerance +
      '&tempoMargin=' + last.doc.tempoAlignment.margin;
  const cap = document.createElement('figcaption');
  cap.textContent = 'Query excerpt and matched excerpt: their rhythm descriptors overlaid band by band (onset ' +
      'patterns per mel sub-band, then the beat spectrum, over lag in seconds) as the ranking compared ' +
      'them (the query rescaled to the match\'s tempo when that decided the score), with the pair\'s score ' +
      r.pairScore.toFixed(4) + '.';
  fig.append(img, cap);
  li.appendChild(fig);
}

function exportM3u() {
  if (!last) {
    return;
  }
  const lines = ['#EXTM3U', '# tracks with a rhythm like ' + last.doc.query];
  for (const r of last.doc.results) {
    lines.push('#EXTINF:' + Math.round(r.durationSeconds) + ',' + r.name + ' (score ' + r.score.toFixed(4) + ')');
    lines.push(r.track);
  }
  const link = $('m3u-link');
  if (link.href.startsWith('blob:')) {
    URL.revokeObjectURL(link.href);
  }
  link.href = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'audio/x-mpegurl' }));
  link.hidden = false;
  link.click();
  status('Playlist of ' + last.doc.results.length + ' tracks ready.');
}

let searchTimer = null;
async function searchTracks() {
  const q = $('search').value.trim();
  try {
    const page = await api('api/tracks?limit=50&q=' + encodeURIComponent(q));
    const list = $('track-list');
    list.replaceChildren();
    for (const t of page.tracks) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'pick-track';
      b.textContent = t.name + ' · ' + mmss(t.durationSeconds) + ' · ' + bpm(t.tempoBpm);
      b.title = t.path;
      b.disabled = t.excerpts === 0;
      b.addEventListener('click', () => queryTrack(t.id, t.name));
      li.appendChild(b);
      list.appendChild(li);
    }
  } catch (e) {
    status('Search: ' + e.message, true);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('results-heading').tabIndex = -1;
  loadSummary();
  searchTracks();
  $('search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchTracks, 200);
  });
  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    queryUpload($('file').files[0]);
  });
  $('file').addEventListener('change', () => queryUpload($('file').files[0]));
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) {
      queryUpload(e.dataTransfer.files[0]);
    }
  });
  $('export-m3u').addEventListener('click', exportM3u);
  openLinkedTrack();
});

// #track=ID in the address: answer for that indexed track at once (links to an answer, screenshots)
async function openLinkedTrack() {
  const m = /^#track=(\d+)$/.exec(location.hash);
  if (!m) {
    return;
  }
  try {
    const t = await api('api/tracks/' + m[1]);
    await queryTrack(Number(m[1]), t.name);
  } catch (e) {
    status('Track ' + m[1] + ': ' + e.message, true);
  }
}
