// The page of `zhengce serve`: search as you type, facets, paging, the document view.
// Everything shown from the index is set as text (textContent, append of strings), never
// parsed as HTML, so a document holding <script> shows it as text.
'use strict';

const PAGE_SIZE = 10;
const FACETS = [
  ['year', '年份', 'date'],
  ['issuer', '发文机关', 'issuer'],
  ['type', '文种', 'type'],
];
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let inflight = null;
let typingTimer = 0;
// Facet counts depend on the query alone, not on the page or the order.
let facetsOf = '';
let facets = null;

// An element with attributes and children; strings become text nodes.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// The text cut at the highlights' byte offsets: [[text, marked], ...].
function pieces(text, highlights) {
  const bytes = encoder.encode(text);
  const out = [];
  let at = 0;
  for (const [s, e] of highlights || []) {
    if (s < at || e > bytes.length || s >= e) continue;
    if (s > at) out.push([decoder.decode(bytes.subarray(at, s)), false]);
    out.push([decoder.decode(bytes.subarray(s, e)), true]);
    at = e;
  }
  if (at < bytes.length) out.push([decoder.decode(bytes.subarray(at)), false]);
  return out;
}

// At most `max` characters of the pieces, starting a little before the first mark.
function crop(parts, max) {
  const total = parts.reduce((n, [t]) => n + t.length, 0);
  if (total <= max) return parts;
  let first = 0;
  for (const [t, m] of parts) {
    if (m) break;
    first += t.length;
  }
  const start = Math.max(0, Math.min(first - 30, total - max));
  const end = start + max;
  const out = start > 0 ? [['…', false]] : [];
  let pos = 0;
  for (const [t, m] of parts) {
    const a = Math.max(start, pos), b = Math.min(end, pos + t.length);
    if (a < b) out.push([t.slice(a - pos, b - pos), m]);
    pos += t.length;
  }
  if (end < total) out.push(['…', false]);
  return out;
}

function fill(node, parts) {
  for (const [t, m] of parts) node.append(m ? el('mark', {}, t) : t);
  return node;
}

// The page's state, as the URL holds it.
function fromUrl() {
  const u = new URLSearchParams(location.search);
  return {
    q: u.get('q') || '',
    sort: u.get('sort') === 'date' ? 'date' : 'relevance',
    exact: u.get('exact') === '1',
    page: Math.max(1, parseInt(u.get('page') || '1', 10) || 1),
    doc: u.get('doc'),
    passage: u.get('passage'),
  };
}

function fromForm(page) {
  return { q: $('q').value, sort: $('sort').value, exact: $('exact').checked, page: page || 1 };
}

function searchUrl(s) {
  const u = new URLSearchParams();
  if (s.q) u.set('q', s.q);
  if (s.sort === 'date') u.set('sort', 'date');
  if (s.exact) u.set('exact', '1');
  if (s.page > 1) u.set('page', String(s.page));
  const qs = u.toString();
  return '/' + (qs ? '?' + qs : '');
}

function docUrl(s, path, passage) {
  const u = new URLSearchParams({ doc: path });
  if (passage !== null && passage !== undefined) u.set('passage', String(passage));
  if (s.q) u.set('q', s.q);
  if (s.exact) u.set('exact', '1');
  return '/?' + u.toString();
}

function setStatus(text, error) {
  const st = $('status');
  st.textContent = text;
  st.classList.toggle('error', !!error);
}

// GET an API path as JSON, cancelling the request before it; null when cancelled.
async function api(path, params) {
  if (inflight) inflight.abort();
  inflight = new AbortController();
  const started = performance.now();
  let res;
  try {
    res = await fetch(path + '?' + params.toString(), { signal: inflight.signal });
  } catch (e) {
    if (e.name === 'AbortError') return null;
    throw new Error('服务器无响应');
  }
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return { body, ms: performance.now() - started };
}

async function search(s, how) {
  if (how) history[how === 'push' ? 'pushState' : 'replaceState'](null, '', searchUrl(s));
  showResultsView();
  const key = JSON.stringify([s.q, s.exact]);
  if (!s.q.trim()) {
    $('results').replaceChildren();
    $('facets').replaceChildren();
    $('pager').replaceChildren();
    facetsOf = '';
    setStatus('');
    showSummary();
    return;
  }
  const params = new URLSearchParams({ q: s.q, limit: PAGE_SIZE, offset: (s.page - 1) * PAGE_SIZE });
  if (s.sort === 'date') params.set('sort', 'date');
  if (s.exact) params.set('exact', '1');
  if (facetsOf !== key) params.set('count_by', 'year,issuer,type');
  let answer;
  try {
    answer = await api('/api/search', params);
  } catch (e) {
    setStatus(e.message, true);
    return;
  }
  if (!answer) return;
  const r = answer.body;
  if (r.facets) {
    facets = r.facets;
    facetsOf = key;
  }
  const from = (s.page - 1) * PAGE_SIZE;
  const shown = r.hits.length ? `第 ${from + 1}–${from + r.hits.length} 段，` : '';
  setStatus(`${r.total_hits} 段结果，${shown}${answer.ms.toFixed(1)} ms（检索 ${r.took_ms.toFixed(1)} ms）`);
  renderHits(r.hits, s);
  renderFacets(s);
  renderPager(s, r.total_hits);
}

function renderHits(hits, s) {
  const list = $('results');
  list.replaceChildren();
  if (!hits.length) {
    list.append(el('li', { class: 'empty' }, '没有找到。'));
    return;
  }
  for (const h of hits) {
    const link = docUrl(s, h.path, h.passage);
    const title = el('a', { class: 'title', href: link }, '《' + h.title + '》');
    title.addEventListener('click', (e) => follow(e, link));
    const meta = [h.issuer, h.doc_type, h.date, h.doc_number].filter(Boolean).join(' · ');
    const copy = el('button', { type: 'button', class: 'copy' }, '复制引用');
    copy.addEventListener('click', () => copyText(h.citation, copy));
    const share = el('a', { class: 'share', href: link }, '链接');
    share.addEventListener('click', (e) => follow(e, link));
    list.append(el('li', { class: 'hit' },
      el('div', {}, title),
      meta ? el('div', { class: 'meta' }, meta) : null,
      h.heading ? el('div', { class: 'heading' }, h.heading) : null,
      fill(el('p', { class: 'snippet' }), crop(pieces(h.text, h.highlights), 180)),
      el('div', { class: 'actions' },
        el('span', { class: 'citation' }, h.citation), copy, share,
        el('span', { class: 'path' }, `${h.path}:${h.passage}`))));
  }
}

// A filter term for a facet value, quoted when it holds a space or a quote mark.
function filterTerm(field, value) {
  const v = /[\s"“”()|]/.test(value) ? '"' + value.replace(/"/g, '') + '"' : value;
  return field + ':' + v;
}

function renderFacets(s) {
  const box = $('facets');
  box.replaceChildren();
  if (!facets) return;
  const words = s.q.trim().split(/\s+/);
  for (const [name, label, field] of FACETS) {
    const values = (facets[name] || []).slice(0, 12);
    if (!values.some((v) => v.value)) continue;
    const ul = el('ul');
    for (const { value, documents: n } of values) {
      if (value === null || value === undefined) continue;
      const term = filterTerm(field, value);
      const active = words.includes(term);
      const b = el('button', { type: 'button', class: active ? 'active' : '', 'data-facet': name },
        el('span', { class: 'v' }, value), el('span', { class: 'n' }, String(n)));
      // A click adds the filter to the query, a second click takes it away.
      b.addEventListener('click', () => {
        const q = active ? words.filter((w) => w !== term).join(' ') : s.q.trim() + ' ' + term;
        $('q').value = q;
        search(fromForm(1), 'push');
      });
      ul.append(el('li', {}, b));
    }
    box.append(el('section', {}, el('h3', {}, label + '（文件数）'), ul));
  }
}

function renderPager(s, total) {
  const pager = $('pager');
  pager.replaceChildren();
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return;
  const go = (page) => () => {
    search({ ...s, page }, 'push');
    window.scrollTo(0, 0);
  };
  const prev = el('button', { type: 'button', id: 'prev' }, '上一页');
  prev.disabled = s.page <= 1;
  prev.addEventListener('click', go(s.page - 1));
  const next = el('button', { type: 'button', id: 'next' }, '下一页');
  next.disabled = s.page >= pages;
  next.addEventListener('click', go(s.page + 1));
  pager.append(prev, el('span', {}, `${s.page} / ${pages}`), next);
}

async function showSummary() {
  try {
    const r = await api('/api/stats', new URLSearchParams());
    if (r && !$('q').value.trim()) {
      const range = r.body.date_range ? `，${r.body.date_range[0]} 至 ${r.body.date_range[1]}` : '';
      setStatus(`索引中 ${r.body.documents} 份文件、${r.body.passages} 段${range}`);
    }
  } catch (e) {
    setStatus(e.message, true);
  }
}

function showResultsView() {
  $('doc-view').hidden = true;
  $('results-view').hidden = false;
}

async function showDoc(s) {
  $('results-view').hidden = true;
  const view = $('doc-view');
  view.hidden = false;
  view.replaceChildren();
  const params = new URLSearchParams({ path: s.doc });
  const focus = s.passage !== null && /^\d+$/.test(s.passage) ? Number(s.passage) : null;
  if (focus !== null) {
    params.set('passage', String(focus));
    params.set('context', '1000000');
  }
  if (s.q) params.set('q', s.q);
  if (s.exact) params.set('exact', '1');
  let answer;
  try {
    answer = await api('/api/doc', params);
  } catch (e) {
    setStatus(e.message, true);
    view.append(el('p', { class: 'empty' }, e.message));
    return;
  }
  if (!answer) return;
  const d = answer.body;
  const m = d.document;
  setStatus(`${d.passages.length} 段，${answer.ms.toFixed(1)} ms`);
  const back = el('a', { class: 'back', href: searchUrl(s) }, s.q ? '← 返回结果' : '← 检索');
  back.addEventListener('click', (e) => follow(e, searchUrl(s)));
  const meta = [m.issuer, m.doc_type, m.date, m.doc_number].filter(Boolean).join(' · ');
  view.append(back, el('h1', {}, d.title));
  if (meta) view.append(el('div', { class: 'meta' }, meta));
  view.append(el('div', { class: 'path' }, d.path));
  let heading = '';
  let target = null;
  for (const p of d.passages) {
    // An article's heading path ends with the article, which its text starts with: the
    // chapter above it is the heading shown.
    const parts = p.heading ? p.heading.split(' › ') : [];
    if (parts.length && p.text.startsWith(parts[parts.length - 1])) parts.pop();
    const shown = parts.join(' › ');
    if (shown && shown !== heading) view.append(el('h2', {}, shown));
    heading = shown;
    const node = el('p', { class: p.focus ? 'passage focus' : 'passage', id: 'p-' + p.passage },
      el('span', { class: 'num' }, String(p.passage)));
    fill(node, pieces(p.text, p.highlights));
    view.append(node);
    if (p.focus || (!target && focus === null && p.highlights && p.highlights.length)) target = node;
  }
  if (target) target.scrollIntoView({ block: 'center' });
  else window.scrollTo(0, 0);
}

// Follows an in-page link without reloading (a new tab or window still opens it whole).
function follow(e, url) {
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  history.pushState(null, '', url);
  route();
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const area = el('textarea', {});
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = '已复制';
  setTimeout(() => { button.textContent = '复制引用'; }, 1500);
}

function route() {
  const s = fromUrl();
  $('q').value = s.q;
  $('sort').value = s.sort;
  $('exact').checked = s.exact;
  if (s.doc) showDoc(s);
  else search(s, null);
}

document.addEventListener('DOMContentLoaded', () => {
  $('q').addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => search(fromForm(1), 'replace'), 120);
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typingTimer);
    search(fromForm(1), 'push');
  });
  $('sort').addEventListener('change', () => search(fromForm(1), 'push'));
  $('exact').addEventListener('change', () => search(fromForm(1), 'push'));
  window.addEventListener('popstate', route);
  route();
});
