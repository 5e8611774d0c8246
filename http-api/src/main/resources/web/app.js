/*
 * Flick web app: vanilla JS, no framework, only the public API (/api/v1, see API.md).
 * Views are hash routes so every one has a URL served by index.html:
 *   #/  #/following  #/tag/<tag>  #/sound/<id>  #/video/<id>  #/user/<id>  #/user/<id>/v/<videoId>
 *   #/studio[?range=]  #/studio/v/<videoId>[?range=] (the signed-in creator's analytics)
 *   #/upload[?sound=<id> | ?duet=<videoId> | ?stitch=<videoId>]  #/login  #/signup  #/search/<q>?type=top|videos|users|hashtags|sounds (only when the
 *   API offers search)
 *   #/moderation (moderators: the report queue, hold/release/remove, the audit log)
 * Playback: hls.js (from its WebJar) per feed item; the active item plays, the next two load only
 * their first segment; ?preload=0 switches preloading off (the benchmark's baseline).
 */
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const PRELOAD_AHEAD = params.get('preload') === '0' ? 0 : 2;
  const main = document.getElementById('main');

  // what tests and bench/playback read: per activation, when it started and its first frame
  const probe = (window.__flick = { timings: [], preloadAhead: PRELOAD_AHEAD, view: null });

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      // through the CSSOM: a style attribute would be inline style, which the CSP refuses
      else if (k === 'style') node.style.cssText = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const ICONS = {
    heart: 'M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 5 6.4 5c2.1 0 3.6 1.2 4.6 2.6C12 6.2 13.5 5 15.6 5 19 5 21.1 8.4 19.6 11.8 17.5 16.4 12 21 12 21z',
    comment: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    share: 'M14 4l7 7-7 7v-4c-5 0-8.5 1.5-11 5 1-5 4-10 11-11z',
    soundOn: 'M3 9h4l5-4v14l-5-4H3zM15.5 8.5a5 5 0 0 1 0 7l-1.4-1.4a3 3 0 0 0 0-4.2zM18.4 5.6a9 9 0 0 1 0 12.8L17 17a7 7 0 0 0 0-9.9z',
    soundOff: 'M3 9h4l5-4v14l-5-4H3zM15 9.4L16.4 8 19 10.6 21.6 8 23 9.4 20.4 12l2.6 2.6-1.4 1.4L19 13.4 16.4 16 15 14.6l2.6-2.6z',
    play: 'M8 5v14l11-7z',
    pause: 'M6 5h4v14H6zM14 5h4v14h-4z',
  };

  function icon(name, cls) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    if (cls) svg.setAttribute('class', cls);
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  function setIcon(button, name) {
    const old = button.querySelector('svg');
    const svg = icon(name);
    if (old) old.replaceWith(svg);
    else button.prepend(svg);
  }

  function compact(n) {
    n = Number(n) || 0;
    if (n < 1000) return String(n);
    if (n < 1e6) return (n / 1e3).toFixed(n < 1e4 ? 1 : 0).replace(/\.0$/, '') + 'K';
    return (n / 1e6).toFixed(n < 1e7 ? 1 : 0).replace(/\.0$/, '') + 'M';
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  // ---------------------------------------------------------------- messages

  const banner = document.querySelector('.banner');
  const bannerText = banner.querySelector('.banner-text');
  banner.querySelector('.banner-close').addEventListener('click', () => (banner.hidden = true));

  /** Shows a problem plainly; with {login: true} adds a link to log in and come back. */
  function showError(message, opts) {
    bannerText.replaceChildren(message);
    if (opts && opts.login) {
      bannerText.append(' ', el('a', { href: loginHref(), text: 'Log in' }));
    }
    banner.hidden = false;
  }

  function clearError() {
    banner.hidden = true;
  }

  const toastEl = document.querySelector('.toast');
  let toastTimer = 0;
  function toast(message) {
    toastEl.textContent = message;
    toastEl.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toastEl.classList.remove('show'), 2200);
  }

  function loginHref() {
    const here = location.hash.replace(/^#/, '') || '/';
    return here.startsWith('/login') || here.startsWith('/signup')
      ? '#/login'
      : '#/login?next=' + encodeURIComponent(here);
  }

  /** One place that turns a failed call into words for the user. */
  function report(error, doing) {
    if (error && error.status === 401) {
      showError('Log in to ' + doing + '.', { login: true });
    } else {
      showError('Could not ' + doing + ': ' + describe(error));
    }
  }

  function describe(error) {
    return (error && error.message) || String(error);
  }

  window.addEventListener('error', (e) => showError('Something went wrong: ' + (e.message || 'unknown error')));
  window.addEventListener('unhandledrejection', (e) => showError('Something went wrong: ' + describe(e.reason)));

  // ---------------------------------------------------------------- session and API

  const session = {
    data: null,
    load() {
      try {
        const s = JSON.parse(localStorage.getItem('flick.session') || 'null');
        this.data = s && s.token && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now()) ? s : null;
      } catch (e) {
        this.data = null;
      }
      if (!this.data) localStorage.removeItem('flick.session');
    },
    save(s) {
      this.data = s;
      localStorage.setItem('flick.session', JSON.stringify(s));
      updateNav();
    },
    clear() {
      this.data = null;
      localStorage.removeItem('flick.session');
      following.clear();
      followingLoaded = null;
      updateNav();
    },
    get token() {
      return this.data && this.data.token;
    },
    get me() {
      return this.data && this.data.account;
    },
  };
  session.load();

  class ApiError extends Error {
    constructor(status, message, problem) {
      super(message);
      this.status = status;
      this.problem = problem || null; // the problem+json body, for its extension members
    }
  }

  async function readResponse(res, hadToken) {
    if (res.status === 401 && hadToken) session.clear(); // expired or revoked: log in again
    const text = await res.text();
    if (!res.ok) {
      let detail = '';
      let problem = null;
      try {
        problem = JSON.parse(text);
        detail = problem.detail || problem.title || '';
      } catch (e) {
        detail = text.slice(0, 200);
      }
      throw new ApiError(res.status, detail || res.status + ' ' + res.statusText, problem);
    }
    return text ? JSON.parse(text) : null;
  }

  // A time-based (version 1) UUID of the instant `ms`, random in its other bits: the form a
  // client-chosen comment id takes (the server orders and dates comments by it).
  function timeUuid(ms) {
    const t = BigInt(ms) * 10000n + 0x01b21dd213814000n; // 100 ns steps since 1582-10-15
    const hex = (n, width) => n.toString(16).padStart(width, '0');
    const rnd = crypto.getRandomValues(new Uint8Array(8));
    rnd[0] = (rnd[0] & 0x3f) | 0x80; // the RFC 4122 variant
    const tail = Array.from(rnd, (b) => hex(b, 2)).join('');
    return hex(t & 0xffffffffn, 8) + '-' + hex((t >> 32n) & 0xffffn, 4) + '-' +
      hex(((t >> 48n) & 0x0fffn) | 0x1000n, 4) + '-' + tail.slice(0, 4) + '-' + tail.slice(4);
  }

  async function api(method, path, body, opts) {
    const headers = {};
    const token = session.token;
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch('/api/v1' + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        keepalive: !!(opts && opts.keepalive),
      });
    } catch (e) {
      throw new ApiError(0, 'the server could not be reached; check the connection and retry');
    }
    if (res.status === 401 && token && method === 'GET') {
      // an expired session: readable things are still readable, as a visitor
      session.clear();
      return api(method, path, body, opts);
    }
    return readResponse(res, !!token);
  }

  // ---------------------------------------------------------------- views, sent in batches

  // Views go to POST /events a few at a time, as apps send analytics: every 5 s, at 10 queued, and
  // when the page is hidden or left (keepalive, so the last ones survive the tab closing). Events
  // Kafka did not take (503 lists them) are queued again; refused ones are dropped.
  const views = {
    queue: [],
    timer: 0,
    add(event) {
      this.queue.push(Object.assign({ kind: 'view' }, event));
      if (this.queue.length >= 10) this.flush(false);
      else if (!this.timer) this.timer = setTimeout(() => this.flush(false), 5000);
    },
    flush(leaving) {
      clearTimeout(this.timer);
      this.timer = 0;
      if (!this.queue.length) return;
      const events = this.queue.splice(0, 100);
      api('POST', '/events', { events }, { keepalive: leaving }).catch((e) => {
        const failed = e.status === 503 && e.problem && e.problem.failed;
        const retry = failed ? failed.map((i) => events[i]) : e.status === 0 ? events : [];
        if (retry.length && this.queue.length < 100) {
          this.queue.unshift(...retry);
          if (!this.timer) this.timer = setTimeout(() => this.flush(false), 5000);
        }
      });
    },
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') views.flush(true);
  });
  window.addEventListener('pagehide', () => views.flush(true));

  // ---------------------------------------------------------------- who is who, what I follow and like

  const users = new Map();
  function user(id) {
    if (!users.has(id)) {
      const p = api('GET', '/users/' + encodeURIComponent(id));
      p.catch(() => users.delete(id));
      users.set(id, p);
    }
    return users.get(id);
  }

  const following = new Set();
  let followingLoaded = null;
  function loadFollowing() {
    if (!session.me) return Promise.resolve();
    if (!followingLoaded) {
      followingLoaded = (async () => {
        let cursor = null;
        for (let i = 0; i < 10; i++) {
          const page = await api('GET', '/users/' + session.me.id + '/following?limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
          page.items.forEach((u) => following.add(u.id));
          cursor = page.next;
          if (!cursor) break;
        }
      })().catch((e) => {
        followingLoaded = null;
        throw e;
      });
    }
    return followingLoaded;
  }

  // Videos carry `viewer.liked` when the request had a token; this device also remembers its own
  // likes, for videos shown before that answer arrived (and as the state a like just set).
  const likes = {
    key() {
      return 'flick.likes.' + (session.me ? session.me.id : '');
    },
    all() {
      try {
        return new Set(JSON.parse(localStorage.getItem(this.key()) || '[]'));
      } catch (e) {
        return new Set();
      }
    },
    has(id) {
      return !!session.me && this.all().has(id);
    },
    /** The video's like state for this viewer: the server's word when it gave one. */
    of(v) {
      if (v.viewer && session.me) {
        if (v.viewer.liked !== this.has(v.id)) this.set(v.id, v.viewer.liked);
        return v.viewer.liked;
      }
      return this.has(v.id);
    },
    set(id, liked) {
      const all = [...this.all()].filter((x) => x !== id);
      if (liked) all.push(id);
      localStorage.setItem(this.key(), JSON.stringify(all.slice(-2000)));
    },
  };

  async function setFollow(userId, follow) {
    const r = await api(follow ? 'POST' : 'DELETE', '/users/' + encodeURIComponent(userId) + '/follow');
    if (r.following) following.add(userId);
    else following.delete(userId);
    users.delete(userId); // counts changed
    document.querySelectorAll('.follow[data-user="' + CSS.escape(userId) + '"]').forEach((b) => renderFollow(b, r.following));
    return r;
  }

  function renderFollow(button, isFollowing) {
    button.setAttribute('aria-pressed', String(isFollowing));
    button.textContent = isFollowing ? 'Following' : 'Follow';
  }

  // ---------------------------------------------------------------- navigation bar

  const meLink = document.querySelector('.me-link');
  function updateNav() {
    if (session.me) {
      meLink.textContent = '@' + session.me.handle;
      meLink.href = '#/user/' + session.me.id;
      meLink.setAttribute('aria-label', 'Your profile, @' + session.me.handle);
    } else {
      meLink.textContent = 'Log in';
      meLink.href = '#/login';
      meLink.removeAttribute('aria-label');
    }
  }
  updateNav();

  function markTab(name) {
    document.querySelectorAll('.tabs a').forEach((a) => {
      if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  // search only where the API offers it: the box stays hidden otherwise
  const searchForm = document.querySelector('.search');
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = searchForm.q.value.trim();
    if (q) location.hash = '#/search/' + encodeURIComponent(q);
  });
  // as you type: handles, hashtags and caption words completing the last word (a datalist)
  const suggestions = document.getElementById('search-suggestions');
  let suggestTimer = null;
  let suggestSeq = 0;
  searchForm.q.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    const q = searchForm.q.value.trim();
    if (q.length < 2) {
      suggestions.replaceChildren();
      return;
    }
    suggestTimer = setTimeout(() => {
      const seq = ++suggestSeq;
      api('GET', '/search/suggest?q=' + encodeURIComponent(q))
        .then((r) => {
          if (seq !== suggestSeq) return;
          suggestions.replaceChildren(...(r.items || []).map((s) => el('option', { value: s.text, label: s.kind })));
        })
        .catch(() => {});
    }, 150);
  });
  function detectSearch() {
    fetch('/api/openapi.yaml')
      .then((r) => (r.ok ? r.text() : ''))
      .then((yaml) => {
        if (/^\s+\/api\/v1\/search:/m.test(yaml)) searchForm.hidden = false;
      })
      .catch(() => {});
  }

  // ---------------------------------------------------------------- sound: muted until the first tap

  const sound = {
    on: false,
    listeners: new Set(),
    set(on) {
      this.on = on;
      this.listeners.forEach((f) => f(on));
    },
  };

  // ---------------------------------------------------------------- one player per feed item

  const Hls = window.Hls;
  // ?hls=native plays with the browser's own HLS where it has one (Safari; Chromium since 2025)
  const useHlsJs = !!(Hls && Hls.isSupported()) && params.get('hls') !== 'native';

  /**
   * hls.js's loader, except that what index.html already fetched for the first video (its
   * playlists and first segment, see __flickBoot.media) is handed over from memory, once.
   */
  const bootMedia = (window.__flickBoot && window.__flickBoot.media) || {};
  const BootLoader =
    useHlsJs &&
    class extends Hls.DefaultConfig.loader {
      load(context, config, callbacks) {
        // hls.js hands the master playlist's URL over as given (relative), the rest absolute
        const url = new URL(context.url, location.href).href;
        const pending = context.rangeStart || context.rangeEnd ? null : bootMedia[url];
        if (!pending) return super.load(context, config, callbacks);
        delete bootMedia[url];
        probe.bootHits = (probe.bootHits || 0) + 1;
        this.context = context;
        const stats = this.stats;
        stats.loading.start = performance.now();
        const fallback = () => {
          if (this.cancelled) return;
          stats.loading.start = 0; // XhrLoader loads once: it must see a fresh loader
          super.load(context, config, callbacks);
        };
        pending.then((data) => {
          if (this.cancelled) return;
          if ((context.responseType === 'arraybuffer') === (typeof data === 'string')) return fallback();
          stats.loading.first = stats.loading.end = performance.now();
          stats.loaded = stats.total = typeof data === 'string' ? data.length : data.byteLength;
          callbacks.onSuccess({ url: context.url, data }, stats, context, null);
        }, fallback);
      }

      abort() {
        this.cancelled = true;
        super.abort();
      }

      destroy() {
        this.cancelled = true;
        super.destroy();
      }
    };

  /**
   * hls.js tuned for short video: start on the lowest rung (no bandwidth probe), cap to the
   * player's size; a preloaded item buffers one segment and stops; looping keeps the level.
   */
  function hlsConfig(preload) {
    return {
      startLevel: 0,
      testBandwidth: false,
      capLevelToPlayerSize: true,
      startFragPrefetch: true,
      maxBufferLength: preload ? 2 : 10,
      maxMaxBufferLength: preload ? 2 : 30,
      backBufferLength: Infinity, // a clip is at most 3 min: keep it, so a loop replays from memory
      enableWorker: false, // 2 s TS segments transmux in a few ms; a worker costs more to start
      loader: BootLoader,
      lowLatencyMode: false,
    };
  }

  class Player {
    constructor(item, url, preload) {
      this.item = item;
      this.video = item.video;
      this.url = url;
      this.active = false;
      this.stopped = false;
      this.failed = false;
      this.hls = null;
      this.lowStart = []; // fragments buffered on a lower rung than the one playing, near 0
      if (useHlsJs) {
        const hls = (this.hls = new Hls(hlsConfig(preload)));
        hls.on(Hls.Events.FRAG_BUFFERED, (ev, data) => this.onFragBuffered(data));
        hls.on(Hls.Events.ERROR, (ev, data) => this.onError(data));
        hls.loadSource(url);
        hls.attachMedia(this.video);
      } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
        // Safari: native HLS; preloading is up to the browser
        this.video.preload = preload ? 'metadata' : 'auto';
        this.video.src = url;
        this.video.addEventListener('error', () => this.fail('This video could not be played.'), { once: true });
      } else {
        this.fail('This browser cannot play HLS video.');
      }
    }

    onFragBuffered(data) {
      const frag = data.frag;
      if (frag && frag.type === 'main' && frag.start < 4) {
        this.lowStart.push({ start: frag.start, end: frag.start + frag.duration, level: frag.level });
      }
      if (!this.active && !this.stopped) {
        this.hls.stopLoad(); // preload: the first segment only
        this.stopped = true;
      }
    }

    /** A loop must not replay a start buffered on a lower rung than the one playing now. */
    beforeLoop() {
      if (!this.hls || this.loopPrepared) return;
      const level = this.hls.currentLevel;
      const low = this.lowStart.filter((f) => f.level < level);
      if (level > 0 && low.length) {
        const end = Math.max(...low.map((f) => f.end));
        this.hls.trigger(Hls.Events.BUFFER_FLUSHING, { startOffset: 0, endOffset: end, type: null });
        this.lowStart = this.lowStart.filter((f) => f.level >= level);
      }
      this.loopPrepared = true;
    }

    onError(data) {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && !this.retried) {
        this.retried = true;
        this.hls.startLoad();
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !this.recovered) {
        this.recovered = true;
        this.hls.recoverMediaError();
      } else {
        this.fail('This video could not be played (' + (data.details || data.type) + ').');
      }
    }

    fail(message) {
      this.failed = true;
      this.item.notice(message);
    }

    activate() {
      this.active = true;
      if (this.hls) {
        this.hls.config.maxBufferLength = 10;
        this.hls.config.maxMaxBufferLength = 30;
        if (this.stopped) {
          // play from the preloaded segment first, then resume loading behind it
          const resume = () => {
            if (this.active && this.stopped) {
              this.stopped = false;
              this.hls.startLoad(this.video.currentTime);
            }
          };
          this.video.addEventListener('playing', resume, { once: true });
          setTimeout(resume, 500);
        }
      }
    }

    deactivate() {
      this.active = false;
      this.loopPrepared = false;
    }

    destroy() {
      if (this.hls) this.hls.destroy();
      this.video.removeAttribute('src');
      this.video.load();
    }
  }

  // ---------------------------------------------------------------- remixes and reuse on a video

  /** "Duet with @x" / "Stitched from @x", linking to the source video. */
  function remixLabel(r) {
    const who = '@' + (r.creatorHandle || 'unknown');
    return el('a', { class: 'remix-of', 'data-kind': r.kind, href: '#/video/' + encodeURIComponent(r.id) },
      (r.kind === 'stitch' ? 'Stitched from ' : 'Duet with ') + who);
  }

  /** Duet and Stitch open the upload page with the remix chosen; none when the creator said no. */
  function remixButtons(v) {
    if (v.allowRemix === false || v.status !== 'READY') return null;
    const id = encodeURIComponent(v.id);
    return el('div', { class: 'remix-actions' },
      el('a', { class: 'duet', href: '#/upload?duet=' + id, text: 'Duet' }),
      el('a', { class: 'stitch', href: '#/upload?stitch=' + id, text: 'Stitch' }));
  }

  /** The creator's own switches: others may use the sound / duet and stitch the video. */
  function videoSettings(v) {
    const status = el('span', { class: 'settings-status', role: 'status' });
    const toggle = (field, label, on) => {
      const box = el('input', { type: 'checkbox', name: field, checked: on !== false });
      box.addEventListener('change', async () => {
        const wanted = box.checked;
        box.disabled = true;
        try {
          const updated = await api('PATCH', '/videos/' + encodeURIComponent(v.id), { [field]: wanted });
          if (updated && typeof updated[field] === 'boolean') box.checked = updated[field];
          v[field] = box.checked;
          status.textContent = label + (box.checked ? ': on' : ': off');
        } catch (e) {
          box.checked = !wanted;
          status.textContent = 'Could not change it: ' + describe(e);
        } finally {
          box.disabled = false;
        }
      });
      return el('label', { class: 'switch' }, box, ' ' + label);
    };
    const panel = el('div', { class: 'video-settings', hidden: true },
      toggle('allowReuse', 'Allow sound reuse', v.allowReuse),
      toggle('allowRemix', 'Allow duet & stitch', v.allowRemix),
      status);
    const button = el('button', { type: 'button', class: 'settings-toggle', 'aria-expanded': 'false', text: '⚙ Settings' });
    button.addEventListener('click', () => {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
    });
    return el('div', { class: 'own-settings' }, button, panel);
  }

  // ---------------------------------------------------------------- a feed item

  class Item {
    constructor(feed, video, index) {
      this.feed = feed;
      this.data = video;
      this.index = index;
      this.player = null;
      this.watchMs = 0;
      this.playingSince = 0;
      this.completed = false;
      this.lastTap = 0;
      this.tapTimer = 0;
      this.build();
    }

    build() {
      const v = this.data;
      this.video = el('video', {
        playsinline: true,
        'webkit-playsinline': true,
        muted: true,
        loop: true,
        preload: 'none',
        poster: v.poster || null,
        'aria-label': 'Video: ' + (v.caption || 'untitled'),
      });
      this.video.muted = true;
      this.handleEl = el('a', { class: 'handle', href: '#/user/' + encodeURIComponent(v.creatorId), text: '@…' });
      this.avatar = el('span', { class: 'avatar', 'aria-hidden': 'true', text: '·' });
      this.creatorLink = el('a', { class: 'creator', href: '#/user/' + encodeURIComponent(v.creatorId), 'aria-label': 'Creator profile' }, this.avatar);
      this.followBtn = el('button', { type: 'button', class: 'follow', 'data-user': v.creatorId, 'aria-pressed': 'false', onclick: () => this.toggleFollow() }, 'Follow');
      this.likeCount = el('span', { class: 'count', text: compact(v.counts ? v.counts.likes : 0) });
      this.likeBtn = el('button', { type: 'button', class: 'like', 'aria-pressed': String(likes.of(v)), 'aria-label': 'Like', onclick: () => this.toggleLike() }, icon('heart'), this.likeCount);
      this.commentCount = el('span', { class: 'count', text: compact(v.counts ? v.counts.comments : 0) });
      this.commentBtn = el('button', { type: 'button', class: 'comment', 'aria-label': 'Comments', onclick: () => comments.open(this) }, icon('comment'), this.commentCount);
      this.shareBtn = el('button', { type: 'button', class: 'share', 'aria-label': 'Share: copy link', onclick: () => this.share() }, icon('share'), el('span', { class: 'count', text: 'Share' }));
      this.playBtn = el('button', { type: 'button', class: 'playpause', 'aria-label': 'Pause', onclick: () => this.togglePause() }, icon('pause'));
      this.muteBtn = el('button', { type: 'button', class: 'mute', onclick: () => sound.set(!sound.on) });
      this.renderSound(sound.on);

      const captionP = el('p', { class: 'text' });
      renderCaption(captionP, v.caption || '', v.hashtags || []);
      const captionBox = el('div', { class: 'caption' }, this.handleEl, captionP);
      if (v.remixOf) captionBox.append(remixLabel(v.remixOf));
      if (v.soundId) {
        captionBox.append(el('a', { class: 'sound', href: '#/sound/' + encodeURIComponent(v.soundId), 'aria-label': 'Sound: ' + ((v.sound && v.sound.title) || 'original sound') }, '♫ ' + ((v.sound && v.sound.title) || 'Original sound')));
      }
      const remixes = remixButtons(v);
      if (remixes) captionBox.append(remixes);
      if (session.me && session.me.id === v.creatorId) captionBox.append(videoSettings(v));
      this.tap = el('div', { class: 'tap', 'aria-hidden': 'true', onclick: (e) => this.onTap(e) });
      this.stage = el('div', { class: 'stage' }, this.video, this.tap, icon('play', 'paused-icon'),
        el('div', { class: 'actions' }, this.creatorLink, this.followBtn, this.likeBtn, this.commentBtn, this.shareBtn, this.playBtn, this.muteBtn),
        captionBox);
      this.el = el('article', { class: 'item', 'data-index': this.index, 'data-id': v.id, 'aria-label': 'Video ' + (this.index + 1) }, this.stage);

      const me = session.me;
      if (me && me.id === v.creatorId) this.followBtn.hidden = true;
      else renderFollow(this.followBtn, following.has(v.creatorId));
      user(v.creatorId)
        .then((u) => {
          this.handleEl.textContent = '@' + u.handle;
          this.avatar.textContent = (u.handle || '?').charAt(0);
          this.creatorLink.setAttribute('aria-label', '@' + u.handle + ' profile');
          this.followBtn.setAttribute('aria-label', 'Follow @' + u.handle);
          this.el.setAttribute('aria-label', 'Video by @' + u.handle);
        })
        .catch(() => (this.handleEl.textContent = '@unknown'));

      this.video.addEventListener('playing', () => {
        this.playingSince = performance.now();
        this.el.classList.remove('paused');
      });
      this.video.addEventListener('pause', () => this.accrue());
      let lastTime = 0;
      this.video.addEventListener('timeupdate', () => {
        const t = this.video.currentTime;
        const d = this.video.duration;
        if (d && t < lastTime - 1) this.completed = true; // looped
        if (d && t >= d - 0.35) this.completed = true;
        if (d && t > d - 1.5 && this.player) this.player.beforeLoop();
        if (d && t < 1 && this.player) this.player.loopPrepared = false;
        lastTime = t;
      });
    }

    renderSound(on) {
      setIcon(this.muteBtn, on ? 'soundOn' : 'soundOff');
      this.muteBtn.setAttribute('aria-label', on ? 'Mute' : 'Unmute');
      this.muteBtn.setAttribute('aria-pressed', String(!on));
      if (this.feed.active === this.index) this.video.muted = !on;
    }

    notice(message) {
      if (!this.noticeEl) {
        this.noticeEl = el('p', { class: 'notice', role: 'status' });
        this.stage.append(this.noticeEl);
      }
      this.noticeEl.textContent = message;
    }

    ensurePlayer(preload) {
      if (this.player) return;
      if (!this.data.hls) {
        this.notice('This video is not playable yet.');
        return;
      }
      this.player = new Player(this, this.data.hls, preload);
    }

    dropPlayer() {
      if (this.player) {
        this.player.destroy();
        this.player = null;
      }
    }

    activate(t0) {
      this.ensurePlayer(false);
      if (!this.player || this.player.failed) return;
      this.player.activate();
      const timing = { index: this.index, id: this.data.id, t0, preloaded: this.video.readyState >= 2, frame: null, playing: null };
      probe.timings.push(timing);
      const v = this.video;
      if (v.requestVideoFrameCallback) {
        v.requestVideoFrameCallback((now) => (timing.frame = now));
      } else {
        const onTime = () => {
          if (v.currentTime > 0) {
            timing.frame = performance.now();
            v.removeEventListener('timeupdate', onTime);
          }
        };
        v.addEventListener('timeupdate', onTime);
      }
      v.addEventListener('playing', () => (timing.playing = performance.now()), { once: true });
      this.play();
      return timing;
    }

    play() {
      const v = this.video;
      v.muted = !sound.on;
      this.playBtn.setAttribute('aria-label', 'Pause');
      setIcon(this.playBtn, 'pause');
      const p = v.play();
      if (p && p.catch) {
        p.catch((e) => {
          if (e && e.name === 'NotAllowedError' && !v.muted) {
            sound.set(false); // the browser wants a gesture before sound
            v.muted = true;
            v.play().catch(() => this.showPaused());
          } else if (e && e.name !== 'AbortError') {
            this.showPaused();
          }
        });
      }
    }

    showPaused() {
      this.el.classList.add('paused');
      this.playBtn.setAttribute('aria-label', 'Play');
      setIcon(this.playBtn, 'play');
    }

    pause() {
      this.video.pause();
      this.showPaused();
    }

    togglePause() {
      if (this.video.paused) this.play();
      else this.pause();
    }

    accrue() {
      if (this.playingSince) {
        this.watchMs += performance.now() - this.playingSince;
        this.playingSince = 0;
      }
    }

    /** Leaving the item: stop it and count the view with its watch time. */
    deactivate() {
      this.video.pause();
      this.accrue();
      if (this.player) this.player.deactivate();
      this.recordView();
    }

    recordView() {
      const watchMs = Math.round(this.watchMs);
      if (watchMs <= 0) return;
      const body = { watchMs, completed: this.completed, source: this.feed.source.name };
      this.watchMs = 0;
      this.completed = false;
      views.add(Object.assign({ videoId: this.data.id }, body));
    }

    onTap(e) {
      const now = performance.now();
      if (now - this.lastTap < 300) {
        clearTimeout(this.tapTimer);
        this.lastTap = 0;
        this.heart(e);
        if (this.likeBtn.getAttribute('aria-pressed') !== 'true') this.toggleLike();
        return;
      }
      this.lastTap = now;
      if (!sound.on) {
        sound.set(true); // the first tap turns the sound on, it does not pause
        if (this.video.paused) this.play();
        return;
      }
      this.tapTimer = setTimeout(() => this.togglePause(), 300);
    }

    heart(e) {
      const r = this.stage.getBoundingClientRect();
      const x = e && e.clientX ? e.clientX - r.left : r.width / 2;
      const y = e && e.clientY ? e.clientY - r.top : r.height / 2;
      const h = icon('heart', 'heart');
      h.style.left = x + 'px';
      h.style.top = y + 'px';
      h.addEventListener('animationend', () => h.remove());
      this.stage.append(h);
    }

    async toggleLike() {
      if (!session.me) return showError('Log in to like videos.', { login: true });
      const liked = this.likeBtn.getAttribute('aria-pressed') === 'true';
      this.likeBtn.disabled = true;
      try {
        const r = await api(liked ? 'DELETE' : 'POST', '/videos/' + encodeURIComponent(this.data.id) + '/like');
        const counts = this.data.counts || (this.data.counts = { likes: 0 });
        if (r.changed) counts.likes = Math.max(0, (counts.likes || 0) + (r.liked ? 1 : -1));
        likes.set(this.data.id, r.liked);
        this.likeBtn.setAttribute('aria-pressed', String(r.liked));
        this.likeCount.textContent = compact(counts.likes);
      } catch (e) {
        report(e, 'like this video');
      } finally {
        this.likeBtn.disabled = false;
      }
    }

    async toggleFollow() {
      if (!session.me) return showError('Log in to follow creators.', { login: true });
      const now = this.followBtn.getAttribute('aria-pressed') === 'true';
      this.followBtn.disabled = true;
      try {
        await setFollow(this.data.creatorId, !now);
      } catch (e) {
        report(e, now ? 'unfollow' : 'follow');
      } finally {
        this.followBtn.disabled = false;
      }
    }

    async share() {
      const link = location.origin + location.pathname + '#/video/' + encodeURIComponent(this.data.id);
      const copied = await copyText(link);
      toast(copied ? 'Link copied' : 'Copy this link: ' + link);
      if (session.me) api('POST', '/videos/' + encodeURIComponent(this.data.id) + '/share').catch(() => {});
    }
  }

  function renderCaption(p, caption, hashtags) {
    const seen = new Set();
    const re = /#([\p{L}\p{N}_]+)/gu;
    let last = 0;
    let m;
    while ((m = re.exec(caption))) {
      p.append(caption.slice(last, m.index));
      p.append(tagLink(m[1]));
      seen.add(m[1].toLowerCase());
      last = m.index + m[0].length;
    }
    p.append(caption.slice(last));
    for (const tag of hashtags) {
      if (!seen.has(String(tag).toLowerCase())) p.append(' ', tagLink(tag));
    }
  }

  function tagLink(tag) {
    return el('a', { class: 'tag', href: '#/tag/' + encodeURIComponent(tag), text: '#' + tag });
  }

  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (e) {
      /* fall back below */
    }
    const ta = el('textarea', { 'aria-hidden': 'true', style: 'position:fixed;left:-9999px;top:0' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    ta.remove();
    return ok;
  }

  // ---------------------------------------------------------------- the feed view

  let pageLoadFeed = true;

  class FeedView {
    constructor(source) {
      this.source = source;
      this.items = [];
      this.ids = new Set();
      this.active = -1;
      this.cursor = null;
      this.done = false;
      this.loading = null;
      this.el = el('div', { class: 'feed', role: 'feed', 'aria-label': source.title, 'aria-busy': 'true', tabindex: '-1' });
      this.status = el('p', { class: 'message loading', text: 'Loading…' });
      main.replaceChildren(this.el);
      if (source.heading) main.append(el('h1', { class: 'feed-title', text: source.heading }));
      if (source.header) main.append(source.header);
      this.el.append(this.status);
      this.io = new IntersectionObserver((entries) => this.onIntersect(entries), { root: this.el, threshold: 0.6 });
      this.onSound = (on) => this.items.forEach((i) => i.renderSound(on));
      sound.listeners.add(this.onSound);
      this.onHide = () => {
        if (document.visibilityState === 'hidden' && this.current()) {
          this.current().deactivate();
          this.hidden = true;
        } else if (document.visibilityState === 'visible' && this.hidden && this.current()) {
          this.hidden = false;
          this.current().activate(performance.now());
        }
      };
      document.addEventListener('visibilitychange', this.onHide);
      this.first = true;
      // the first feed since page load is timed from navigation start (bench/playback)
      this.created = pageLoadFeed ? 0 : performance.now();
      pageLoadFeed = false;
      this.loadMore();
    }

    current() {
      return this.items[this.active];
    }

    async loadMore() {
      if (this.loading || this.done) return this.loading;
      this.loading = (async () => {
        try {
          const page = await this.source.page(this.cursor);
          this.cursor = page.next || null;
          this.done = !this.cursor || !page.items.length;
          for (const v of page.items) {
            if (v.status && v.status !== 'READY' && !v.hls) continue;
            if (this.ids.has(v.id)) continue;
            this.ids.add(v.id);
            const item = new Item(this, v, this.items.length);
            this.items.push(item);
            this.el.insertBefore(item.el, this.status);
            this.io.observe(item.el);
          }
          this.el.setAttribute('aria-busy', 'false');
          if (!this.items.length) {
            this.status.className = 'message';
            this.status.replaceChildren(this.source.empty || 'Nothing here yet.');
          } else if (this.done) {
            this.status.className = 'feed-end';
            this.status.textContent = "You're all caught up";
          } else {
            this.status.className = 'feed-end';
            this.status.textContent = 'Loading more…';
          }
          if (this.first && this.items.length) {
            this.first = false;
            const start = this.source.startIndex ? this.source.startIndex(this.items) : 0;
            if (start > 0) this.items[start].el.scrollIntoView({ block: 'start' });
            this.activate(start, this.created);
          }
          if (this.preloadArmed) this.preload();
        } catch (e) {
          this.el.setAttribute('aria-busy', 'false');
          if (!this.items.length) {
            this.status.className = 'message error';
            this.status.replaceChildren(
              el('span', { text: this.source.failed(e) }),
              ' ',
              e.status === 401 ? el('a', { href: loginHref(), text: 'Log in' }) : null,
              el('br'),
              el('button', { type: 'button', class: 'secondary', onclick: () => this.loadMore() }, 'Retry')
            );
          } else {
            report(e, 'load more videos');
          }
        } finally {
          this.loading = null;
        }
      })();
      return this.loading;
    }

    onIntersect(entries) {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          const index = Number(entry.target.dataset.index);
          this.activate(index, performance.now());
        }
      }
    }

    activate(index, t0) {
      if (index === this.active || !this.items[index]) return;
      const previous = this.current();
      if (previous) previous.deactivate();
      this.active = index;
      const item = this.items[index];
      this.dropFar();
      const timing = item.activate(t0);
      // the next items load once this one shows its first frame, so they never compete with its start
      this.preloadArmed = false;
      const start = () => {
        if (this.active === index && !this.preloadArmed) {
          this.preloadArmed = true;
          if (timing) timing.preloadAt = performance.now(); // WebAppIT: after the first frame
          this.preload();
        }
      };
      if (item.video.readyState >= 3 && !item.video.paused) start();
      else if (item.video.requestVideoFrameCallback) {
        item.video.requestVideoFrameCallback(() => setTimeout(start, 30));
        setTimeout(start, 1500);
      } else {
        item.video.addEventListener('playing', start, { once: true });
        setTimeout(start, 1500);
      }
      if (index >= this.items.length - 3) this.loadMore();
    }

    /** Players only for the previous item (kept for a swipe back), the active one and the next two. */
    dropFar() {
      const a = Math.max(this.active, 0);
      this.items.forEach((item, i) => {
        if (i < a - 1 || i > a + PRELOAD_AHEAD) item.dropPlayer();
      });
    }

    preload() {
      const a = Math.max(this.active, 0);
      this.dropFar();
      for (let i = a + 1; i <= a + PRELOAD_AHEAD && i < this.items.length; i++) {
        this.items[i].ensurePlayer(true);
      }
    }

    go(delta) {
      const index = Math.min(Math.max(this.active + delta, 0), this.items.length - 1);
      if (index === this.active) {
        if (delta > 0 && !this.done) toast('Loading more…');
        return;
      }
      const t0 = performance.now();
      this.activate(index, t0);
      this.el.scrollTo({ top: this.items[index].el.offsetTop, behavior: 'instant' });
    }

    key(e) {
      const item = this.current();
      switch (e.key) {
        case 'ArrowDown':
        case 'PageDown':
          this.go(1);
          return true;
        case 'ArrowUp':
        case 'PageUp':
          this.go(-1);
          return true;
        case ' ':
        case 'k':
          if (item) item.togglePause();
          return true;
        case 'l':
          if (item) {
            if (item.likeBtn.getAttribute('aria-pressed') !== 'true') item.heart();
            item.toggleLike();
          }
          return true;
        case 'm':
          sound.set(!sound.on);
          return true;
        case 'c':
          if (item) comments.open(item);
          return true;
        default:
          return false;
      }
    }

    destroy() {
      const item = this.current();
      if (item) item.deactivate();
      this.io.disconnect();
      this.items.forEach((i) => i.dropPlayer());
      sound.listeners.delete(this.onSound);
      document.removeEventListener('visibilitychange', this.onHide);
    }
  }

  // the first page of For You may already be on its way (index.html started it)
  function bootFeed(path) {
    const boot = window.__flickBoot;
    window.__flickBoot = null;
    if (boot && boot.feed && path === boot.path && boot.auth === !!session.token) {
      return (boot.started || Promise.resolve()).then(() =>
        boot.feed.then(
          (res) => readResponse(res, boot.auth),
          () => {
            throw new ApiError(0, 'the server could not be reached; check the connection and retry');
          }
        )
      );
    }
    return null;
  }

  // Your own uploads, until your video list has them: a video is listed a few seconds after READY
  // (the server's listing projection), and a creator who just uploaded expects to see it at once.
  const ownUploads = {
    key: 'flick.ownUploads',
    ids() {
      try {
        return JSON.parse(sessionStorage.getItem(this.key) || '[]');
      } catch (e) {
        return [];
      }
    },
    save(ids) {
      sessionStorage.setItem(this.key, JSON.stringify(ids.slice(0, 20)));
    },
    remember(id) {
      this.save([id].concat(this.ids().filter((x) => x !== id)));
    },
    /** The first page of your own list, with your READY uploads it does not list yet in front. */
    async merge(userId, page) {
      if (!session.me || session.me.id !== userId) return page;
      const listed = new Set(page.items.map((v) => v.id));
      const pending = this.ids().filter((id) => !listed.has(id));
      this.save(pending);
      const missing = [];
      for (const id of pending) {
        try {
          const v = await api('GET', '/videos/' + encodeURIComponent(id));
          if (v.status === 'READY') missing.push(v);
        } catch (e) {
          if (e.status === 404) this.save(this.ids().filter((x) => x !== id));
        }
      }
      return Object.assign({}, page, { items: missing.concat(page.items) });
    },
  };

  function listSource(name, title, path, extra) {
    return Object.assign(
      {
        name,
        title,
        page(cursor) {
          const url = path + (path.includes('?') ? '&' : '?') + 'limit=8' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
          return (!cursor && bootFeed(url)) || api('GET', url);
        },
        failed: (e) => 'Could not load ' + title + ': ' + describe(e),
      },
      extra || {}
    );
  }

  /** A shared link: that video first, then For You. */
  function videoSource(id) {
    const rest = listSource('foryou', 'For You', '/feed/foryou');
    let first = true;
    return {
      name: 'link',
      title: 'Video',
      async page(cursor) {
        if (first) {
          first = false;
          const v = await api('GET', '/videos/' + encodeURIComponent(id));
          if (v.status !== 'READY' && !v.hls) {
            throw new ApiError(409, v.status === 'FAILED' ? 'this video failed to process: ' + (v.failureReason || 'unknown reason') : 'this video is still processing; try again in a moment');
          }
          let more = { items: [], next: null };
          try {
            more = await rest.page(null);
          } catch (e) {
            /* the linked video alone is fine */
          }
          return { items: [v, ...more.items], next: more.next };
        }
        return rest.page(cursor);
      },
      failed: (e) => 'Could not load this video: ' + describe(e),
    };
  }

  // ---------------------------------------------------------------- comments sheet

  const comments = (() => {
    const sheet = document.querySelector('.sheet');
    const backdrop = document.querySelector('.sheet-backdrop');
    const list = sheet.querySelector('.comments');
    const more = sheet.querySelector('.comments-more');
    const form = sheet.querySelector('.comment-form');
    const error = sheet.querySelector('.sheet-error');
    const title = sheet.querySelector('#sheet-title');
    let item = null;
    let cursor = null;
    let opener = null;

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
    }

    function row(c) {
      const mine = session.me && c.author && c.author.id === session.me.id;
      const li = el('li', { 'data-id': c.id },
        el('div', { class: 'body' },
          el('a', { class: 'who', href: '#/user/' + encodeURIComponent(c.author ? c.author.id : ''), text: '@' + ((c.author && c.author.handle) || 'unknown') }),
          el('p', { class: 'text', text: c.text })));
      if (mine) {
        li.append(el('button', { type: 'button', class: 'delete', 'aria-label': 'Delete your comment', onclick: () => remove(c, li) }, 'Delete'));
      }
      return li;
    }

    async function load() {
      more.disabled = true;
      try {
        const page = await api('GET', '/videos/' + encodeURIComponent(item.data.id) + '/comments?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        list.querySelectorAll('.empty').forEach((x) => x.remove());
        page.items.forEach((c) => list.append(row(c)));
        cursor = page.next;
        more.hidden = !cursor;
        if (!list.children.length) list.append(el('li', { class: 'empty', text: 'No comments yet. Be the first.' }));
      } catch (e) {
        fail('Could not load comments: ' + describe(e));
      } finally {
        more.disabled = false;
      }
    }

    async function remove(c, li) {
      try {
        await api('DELETE', '/comments/' + encodeURIComponent(c.id));
        li.remove();
        bump(-1);
      } catch (e) {
        fail('Could not delete the comment: ' + describe(e));
      }
    }

    function bump(delta) {
      const counts = item.data.counts || (item.data.counts = { comments: 0 });
      counts.comments = Math.max(0, (counts.comments || 0) + delta);
      item.commentCount.textContent = compact(counts.comments);
      title.textContent = 'Comments (' + compact(counts.comments) + ')';
    }

    // The comment's id is chosen here, so a post whose answer was lost (no connection, a 503) is
    // sent again under the same id — once by itself, then on the next tap — and the server answers
    // the comment it already has instead of storing it twice.
    let pending = null; // {videoId, text, id} of a post not known to have landed
    async function postComment(videoId, text) {
      if (!pending || pending.videoId !== videoId || pending.text !== text) {
        pending = { videoId, text, id: timeUuid(Date.now()) };
      }
      const path = '/videos/' + encodeURIComponent(videoId) + '/comments';
      const body = { text, id: pending.id };
      let c;
      try {
        c = await api('POST', path, body);
      } catch (err) {
        if (err.status !== 0 && err.status !== 503) {
          pending = null; // refused: a new post next time
          throw err;
        }
        await new Promise((r) => setTimeout(r, 1000));
        c = await api('POST', path, body);
      }
      pending = null;
      return c;
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!session.me) return fail('Log in to comment.');
      const text = form.text.value.trim();
      if (!text) return;
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        const c = await postComment(item.data.id, text);
        list.querySelectorAll('.empty').forEach((x) => x.remove());
        list.prepend(row(c));
        form.text.value = '';
        error.hidden = true;
        bump(1);
      } catch (err) {
        fail(err.status === 401 ? 'Log in to comment.' : 'Could not post the comment: ' + describe(err));
      } finally {
        button.disabled = false;
      }
    });
    more.addEventListener('click', load);
    sheet.querySelector('.sheet-close').addEventListener('click', close);
    backdrop.addEventListener('click', close);

    function open(it) {
      item = it;
      cursor = null;
      opener = document.activeElement;
      list.replaceChildren();
      error.hidden = true;
      title.textContent = 'Comments (' + compact(it.data.counts ? it.data.counts.comments : 0) + ')';
      form.text.placeholder = session.me ? 'Add a comment…' : 'Log in to comment';
      sheet.hidden = false;
      backdrop.hidden = false;
      (session.me ? form.text : sheet.querySelector('.sheet-close')).focus();
      load();
    }

    function close() {
      if (sheet.hidden) return;
      sheet.hidden = true;
      backdrop.hidden = true;
      if (opener && opener.focus) opener.focus();
    }

    function isOpen() {
      return !sheet.hidden;
    }

    // keep Tab inside the open sheet
    sheet.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const focusable = [...sheet.querySelectorAll('button:not([hidden]):not(:disabled), input, a[href]')].filter((x) => x.offsetParent !== null);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        last.focus();
        e.preventDefault();
      } else if (!e.shiftKey && document.activeElement === last) {
        first.focus();
        e.preventDefault();
      }
    });

    return { open, close, isOpen };
  })();

  // ---------------------------------------------------------------- pages

  function page(titleText, ...children) {
    const section = el('section', { class: 'page' }, el('h1', { text: titleText }), ...children);
    main.replaceChildren(section);
    return section;
  }

  function messageView(text, ...extra) {
    main.replaceChildren(el('div', { class: 'message error' }, el('p', { text }), ...extra));
  }

  function needLogin(what) {
    messageView('Log in to ' + what + '.', el('a', { class: 'btn', href: loginHref(), text: 'Log in' }), ' ', el('a', { class: 'btn', href: '#/signup?next=' + encodeURIComponent(location.hash.slice(1)), text: 'Sign up' }));
  }

  function authView(mode, next) {
    const signup = mode === 'signup';
    const err = el('p', { class: 'form-error', role: 'alert' });
    const form = el('form', { novalidate: true },
      el('label', { for: 'auth-handle', text: 'Handle' }),
      el('input', { id: 'auth-handle', name: 'handle', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
      el('label', { for: 'auth-password', text: 'Password' }),
      el('input', { id: 'auth-password', name: 'password', type: 'password', autocomplete: signup ? 'new-password' : 'current-password', required: true }),
      signup ? el('p', { class: 'hint', text: 'Handles: letters, digits and underscores. Passwords: at least 8 characters.' }) : null,
      err,
      el('button', { type: 'submit', class: 'primary', text: signup ? 'Sign up' : 'Log in' }));
    page(signup ? 'Sign up' : 'Log in', form,
      el('p', { class: 'hint' }, signup ? 'Already have an account? ' : 'New here? ',
        el('a', { href: (signup ? '#/login' : '#/signup') + (next ? '?next=' + encodeURIComponent(next) : ''), text: signup ? 'Log in' : 'Sign up' })));
    form.handle.focus();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const handle = form.handle.value.trim();
      const password = form.password.value;
      if (!handle || !password) {
        err.textContent = 'Enter a handle and a password.';
        return;
      }
      const button = form.querySelector('button');
      button.disabled = true;
      err.textContent = '';
      try {
        if (signup) await api('POST', '/accounts', { handle, password });
        const s = await api('POST', '/sessions', { handle, password });
        session.save({ token: s.token, expiresAt: s.expiresAt, account: s.account });
        clearError();
        location.hash = '#' + (next && next.startsWith('/') ? next : '/');
      } catch (x) {
        err.textContent = (signup ? 'Sign-up failed: ' : 'Log-in failed: ') + describe(x);
        button.disabled = false;
      }
    });
  }

  /** The sound page's header: title, author, original video, use count, "Use this sound". */
  function soundHeader(id) {
    const box = el('section', { class: 'sound-page', 'aria-label': 'Sound' }, el('h1', { class: 'feed-title', text: '♫ Sound' }));
    api('GET', '/sounds/' + encodeURIComponent(id)).then((s) => {
      box.replaceChildren(
        el('h1', { class: 'feed-title sound-title', text: '♫ ' + s.title }),
        el('p', { class: 'sound-meta' },
          el('a', { class: 'sound-author', href: '#/user/' + encodeURIComponent(s.authorId), text: '@' + (s.authorHandle || 'unknown') }),
          ' · ', el('a', { class: 'sound-original', href: '#/video/' + encodeURIComponent(s.originalVideoId), text: 'original video' }),
          ' · ', el('span', { class: 'sound-uses', text: s.useCount + (s.useCount === 1 ? ' video' : ' videos') })),
        s.allowReuse
          ? el('a', { class: 'btn use-sound', href: '#/upload?sound=' + encodeURIComponent(s.id), text: 'Use this sound' })
          : el('p', { class: 'hint', text: 'The creator has turned off reuse of this sound.' }));
    }).catch((e) => box.append(el('p', { class: 'form-error', text: 'Could not load the sound: ' + describe(e) })));
    return box;
  }

  /** Stitch: the part of the original that plays first, 1 to 5 s of it. */
  const STITCH_MIN_S = 1;
  const STITCH_MAX_S = 5;

  /**
   * The upload form; with a sound chosen ("Use this sound") or a remix of a video: a duet (side by
   * side with it) or a stitch (1–5 s of it, then the new clip), its part picked here.
   */
  function uploadView(soundId, remix) {
    if (!session.me) return needLogin('upload videos');
    const err = el('p', { class: 'form-error', role: 'alert' });
    const chosen = soundId ? el('p', { class: 'chosen-sound', text: '♫ Using a sound: your clip is listed under it.' }) : null;
    if (chosen) {
      api('GET', '/sounds/' + encodeURIComponent(soundId)).then((s) => { chosen.textContent = '♫ Using ' + s.title; }).catch(() => {});
    }
    const range = remix && remix.kind === 'stitch' ? stitchRange() : null;
    const remixBox = remix ? remixChoice(remix, range) : null;
    const form = el('form', { class: 'upload-form', novalidate: true },
      chosen,
      remixBox,
      el('label', { for: 'up-file', text: 'Video file' }),
      el('input', { id: 'up-file', name: 'file', type: 'file', accept: 'video/*', required: true }),
      el('p', { class: 'hint', text: 'MP4, MOV or WebM; 1 s to 3 min.' }),
      el('label', { for: 'up-caption', text: 'Caption' }),
      el('textarea', { id: 'up-caption', name: 'caption', maxlength: '2000', placeholder: 'Say something about it… #hashtags work here too' }),
      el('label', { for: 'up-tags', text: 'Hashtags' }),
      el('input', { id: 'up-tags', name: 'tags', type: 'text', placeholder: 'dance, travel', autocomplete: 'off' }),
      err,
      el('button', { type: 'submit', class: 'primary', text: remix ? (remix.kind === 'stitch' ? 'Upload the stitch' : 'Upload the duet') : 'Upload' }));
    const state = el('div', { class: 'upload-state', hidden: true });
    page(remix ? (remix.kind === 'stitch' ? 'Stitch a video' : 'Duet a video') : 'Upload a video', form, state);

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const file = form.file.files[0];
      if (!file) {
        err.textContent = 'Pick a video file first.';
        return;
      }
      let chosenRemix = null;
      if (remix) {
        chosenRemix = { of: remix.of, kind: remix.kind };
        if (range) {
          const picked = range.read();
          if (picked.problem) {
            err.textContent = picked.problem;
            return;
          }
          chosenRemix.fromMs = picked.fromMs;
          chosenRemix.toMs = picked.toMs;
        }
      }
      const caption = form.caption.value.trim();
      const tags = new Set(form.tags.value.split(/[\s,]+/).map((t) => t.replace(/^#/, '')).filter(Boolean));
      for (const m of caption.matchAll(/#([\p{L}\p{N}_]+)/gu)) tags.add(m[1]);
      err.textContent = '';
      form.querySelector('button').disabled = true;
      form.file.disabled = true;
      await runUpload(file, caption, [...tags], state, soundId, chosenRemix).catch((x) => {
        err.textContent = describe(x);
      });
      form.querySelector('button').disabled = false;
      form.file.disabled = false;
    });
  }

  /** What the upload remixes: "Duet with @x" / "Stitch from @x", and the stitch's range. */
  function remixChoice(remix, range) {
    const title = el('p', { class: 'remix-title', text: remix.kind === 'stitch' ? 'Stitch from a video' : 'Duet with a video' });
    const hint = el('p', { class: 'hint', text: remix.kind === 'stitch'
      ? 'Pick ' + STITCH_MIN_S + ' to ' + STITCH_MAX_S + ' s of the original: it plays first, then your clip.'
      : 'Your clip plays side by side with the original, both audible, for the length of your clip.' });
    const box = el('fieldset', { class: 'remix-choice', 'data-kind': remix.kind }, el('legend', { text: remix.kind === 'stitch' ? 'Stitch' : 'Duet' }), title, hint, range ? range.el : null);
    api('GET', '/videos/' + encodeURIComponent(remix.of))
      .then(async (v) => {
        const link = el('a', { class: 'remix-source', href: '#/video/' + encodeURIComponent(v.id), text: '@…' });
        title.replaceChildren(remix.kind === 'stitch' ? 'Stitch from ' : 'Duet with ', link);
        if (v.poster) box.insertBefore(el('img', { class: 'remix-poster', src: v.poster, alt: '' }), hint);
        if (range) range.bind(v.durationMs || 0);
        if (v.allowRemix === false) hint.textContent = 'The creator has turned off duets and stitches of this video.';
        try {
          link.textContent = '@' + (await user(v.creatorId)).handle;
        } catch (e) {
          link.textContent = '@unknown';
        }
      })
      .catch((e) => box.append(el('p', { class: 'form-error', text: 'Could not load the video to remix: ' + describe(e) })));
    return box;
  }

  /** Two number inputs, in seconds, bound to the source's duration once it is known. */
  function stitchRange() {
    const from = el('input', { id: 'stitch-from', name: 'stitchFrom', type: 'number', min: '0', step: '0.1', value: '0', inputmode: 'decimal' });
    const to = el('input', { id: 'stitch-to', name: 'stitchTo', type: 'number', min: '0', step: '0.1', value: '3', inputmode: 'decimal' });
    const length = el('span', { class: 'stitch-length', 'aria-live': 'polite' });
    let durationS = 0;
    const read = () => {
      const f = Number(from.value);
      const t = Number(to.value);
      if (from.value === '' || to.value === '' || !Number.isFinite(f) || !Number.isFinite(t)) {
        return { problem: 'Enter where the stitched part starts and ends, in seconds.' };
      }
      if (f < 0 || t <= f) return { problem: 'The stitched part must end after it starts.' };
      const len = t - f;
      if (len < STITCH_MIN_S - 1e-9 || len > STITCH_MAX_S + 1e-9) {
        return { problem: 'Pick ' + STITCH_MIN_S + ' to ' + STITCH_MAX_S + ' seconds of the original (now ' + len.toFixed(1) + ' s).' };
      }
      if (durationS && t > durationS + 1e-9) {
        return { problem: 'The original is only ' + durationS.toFixed(1) + ' s long: end the stitched part by then.' };
      }
      return { fromMs: Math.round(f * 1000), toMs: Math.round(t * 1000) };
    };
    const update = () => {
      const r = read();
      length.textContent = r.problem ? r.problem : 'Stitching ' + ((r.toMs - r.fromMs) / 1000).toFixed(1) + ' s of the original.';
      length.classList.toggle('form-error', !!r.problem);
    };
    from.addEventListener('input', update);
    to.addEventListener('input', update);
    const box = el('div', { class: 'stitch-range' },
      el('label', { for: 'stitch-from', text: 'From (s)' }), from,
      el('label', { for: 'stitch-to', text: 'To (s)' }), to,
      length);
    update();
    return {
      el: box,
      read,
      bind(durationMs) {
        durationS = durationMs / 1000;
        if (!durationS) return;
        from.max = String(Math.max(0, durationS - STITCH_MIN_S).toFixed(1));
        to.max = String(durationS.toFixed(1));
        if (Number(to.value) > durationS) to.value = String(Math.min(durationS, STITCH_MAX_S).toFixed(1));
        update();
      },
    };
  }

  async function runUpload(file, caption, hashtags, state, soundId, remix) {
    const bar = el('progress', { max: '100', value: '0', 'aria-labelledby': 'up-progress-label' });
    const label = el('p', { id: 'up-progress-label', class: 'upload-label', text: 'Uploading… 0%' });
    const status = el('p', { class: 'upload-status', role: 'status' });
    state.hidden = false;
    state.replaceChildren(label, bar, status);
    let started;
    try {
      const body = { caption, hashtags, sizeBytes: file.size, contentType: file.type || 'video/mp4' };
      if (soundId) body.soundId = soundId;
      if (remix) body.remix = remix;
      started = await api('POST', '/uploads', body);
    } catch (e) {
      label.textContent = 'Upload refused: ' + describe(e);
      throw new Error('The upload could not start: ' + describe(e));
    }
    const videoId = started.videoId;
    const parts = started.upload.parts;
    const sent = new Array(parts.length).fill(0);
    probe.uploadProgress = [];
    const progress = () => {
      const pct = Math.floor((100 * sent.reduce((a, b) => a + b, 0)) / Math.max(file.size, 1));
      probe.uploadProgress.push(pct);
      bar.value = Math.min(pct, 100);
      label.textContent = 'Uploading… ' + Math.min(pct, 100) + '%';
    };
    // two parts in flight at a time
    let next = 0;
    async function worker() {
      while (next < parts.length) {
        const i = next++;
        const part = parts[i];
        await putPart(part.url, file.slice(part.offset, part.offset + part.length), (n) => {
          sent[i] = n;
          progress();
        });
        sent[i] = part.length;
        progress();
      }
    }
    try {
      await Promise.all([worker(), worker()]);
    } catch (e) {
      label.textContent = 'Upload failed: ' + describe(e);
      throw new Error('The upload failed: ' + describe(e) + '. Try again.');
    }
    label.textContent = 'Uploaded 100%';
    bar.value = 100;
    try {
      await api('POST', '/uploads/' + encodeURIComponent(videoId) + '/complete');
    } catch (e) {
      throw new Error('The upload could not be completed: ' + describe(e));
    }
    state.classList.add('processing');
    status.textContent = 'Processing… your video will be ready in a moment.';
    const deadline = Date.now() + 10 * 60 * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      let v;
      try {
        v = await api('GET', '/videos/' + encodeURIComponent(videoId));
      } catch (e) {
        status.textContent = 'Processing… (status check failed: ' + describe(e) + '; retrying)';
        continue;
      }
      if (v.status === 'READY') {
        ownUploads.remember(videoId);
        state.classList.remove('processing');
        state.classList.add('ready');
        status.replaceChildren('Ready! ',
          el('a', { class: 'watch', href: '#/user/' + encodeURIComponent(session.me.id) + '/v/' + encodeURIComponent(videoId), text: 'Watch it' }),
          ' · ',
          el('a', { class: 'profile', href: '#/user/' + encodeURIComponent(session.me.id), text: 'See it on your profile' }));
        return v;
      }
      if (v.status === 'FAILED') {
        state.classList.remove('processing');
        state.classList.add('failed');
        status.textContent = 'Processing failed: ' + (v.failureReason || 'no reason given');
        throw new Error('The video could not be processed: ' + (v.failureReason || 'no reason given'));
      }
      status.textContent = v.status === 'UPLOADING' ? 'Finishing the upload…' : 'Processing… your video will be ready in a moment.';
      if (Date.now() > deadline) {
        status.textContent = 'Still processing after 10 minutes; check your profile later.';
        return v;
      }
    }
  }

  function putPart(url, blob, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', url);
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded));
      xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error('storage answered ' + xhr.status))));
      xhr.addEventListener('error', () => reject(new Error('the network failed during the upload')));
      xhr.addEventListener('abort', () => reject(new Error('the upload was cancelled')));
      xhr.send(blob);
    });
  }

  // the owner's name beside the handle: PATCH /me, an empty one clears it
  function displayNameForm(profile) {
    const input = el('input', { id: 'display-name', name: 'displayName', type: 'text', maxlength: '30', autocomplete: 'nickname', value: profile.displayName || '', placeholder: 'Add a name' });
    const err = el('p', { class: 'error', role: 'alert', hidden: true });
    const form = el('form', { class: 'display-name', 'aria-label': 'Your name' },
      el('label', { for: 'display-name', text: 'Name' }), input,
      el('button', { type: 'submit', class: 'secondary' }, 'Save'), err);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.hidden = true;
      try {
        await api('PATCH', '/me', { displayName: input.value });
        users.delete(profile.id);
        profileView(profile.id);
      } catch (x) {
        err.textContent = describe(x);
        err.hidden = false;
      }
    });
    return form;
  }

  async function profileView(userId) {
    main.replaceChildren(el('p', { class: 'message loading', text: 'Loading profile…' }));
    let profile;
    try {
      users.delete(userId);
      [profile] = await Promise.all([user(userId), loadFollowing().catch(() => {})]);
    } catch (e) {
      return messageView('Could not load this profile: ' + describe(e));
    }
    const c = profile.counts || {};
    const me = session.me && session.me.id === userId;
    const followers = el('strong', { class: 'followers', text: compact(c.followers) });
    const head = el('header', { class: 'profile-head' },
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: (profile.handle || '?').charAt(0) }),
      el('div', { class: 'names' },
        el('h1', { text: profile.displayName || '@' + profile.handle }),
        profile.displayName ? el('p', { class: 'handle', text: '@' + profile.handle }) : null),
      el('ul', { class: 'counts', 'aria-label': 'Counts' },
        el('li', {}, el('strong', { class: 'following', text: compact(c.following) }), el('span', { text: 'Following' })),
        el('li', {}, followers, el('span', { text: 'Followers' })),
        el('li', {}, el('strong', { class: 'likes', text: compact(c.likes) }), el('span', { text: 'Likes' }))));
    if (me) {
      head.append(displayNameForm(profile));
      head.append(el('a', { class: 'btn studio-link', href: '#/studio', text: 'Studio' }));
      head.append(el('button', { type: 'button', class: 'secondary logout', onclick: () => { session.clear(); location.hash = '#/'; } }, 'Log out'));
    } else {
      const b = el('button', { type: 'button', class: 'primary follow', 'data-user': userId, 'aria-label': 'Follow @' + profile.handle });
      renderFollow(b, following.has(userId));
      b.addEventListener('click', async () => {
        if (!session.me) return showError('Log in to follow creators.', { login: true });
        const now = b.getAttribute('aria-pressed') === 'true';
        b.disabled = true;
        try {
          const r = await setFollow(userId, !now);
          followers.textContent = compact(r.followers);
        } catch (e) {
          report(e, now ? 'unfollow' : 'follow');
        } finally {
          b.disabled = false;
        }
      });
      head.append(b);
    }
    const grid = el('ul', { class: 'grid', 'aria-label': 'Videos' });
    const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'More videos');
    const section = el('section', { class: 'page profile' }, head, grid, more);
    main.replaceChildren(section);
    let cursor = null;
    async function load() {
      more.disabled = true;
      try {
        const listed = await api('GET', '/users/' + encodeURIComponent(userId) + '/videos?limit=24' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        const page = cursor ? listed : await ownUploads.merge(userId, listed);
        for (const v of page.items) {
          const ready = v.status === 'READY';
          const tile = el('a', {
            href: ready ? '#/user/' + encodeURIComponent(userId) + '/v/' + encodeURIComponent(v.id) : null,
            'aria-label': (v.caption || 'Video') + (ready ? '' : ' (' + v.status.toLowerCase() + ')'),
          }, v.poster ? el('img', { src: v.poster, alt: '', loading: 'lazy' }) : null,
          ready ? el('span', { class: 'views', text: '▶ ' + compact(v.counts ? v.counts.views : 0) }) : el('span', { class: 'status', text: v.status === 'FAILED' ? 'Failed' : 'Processing' }));
          grid.append(el('li', { 'data-id': v.id, 'data-status': v.status }, tile));
        }
        cursor = page.next;
        more.hidden = !cursor;
        if (!grid.children.length) grid.replaceWith(el('p', { class: 'hint grid-empty', text: me ? 'No videos yet. Tap + to upload your first.' : 'No videos yet.' }));
      } catch (e) {
        report(e, 'load the videos');
      } finally {
        more.disabled = false;
      }
    }
    more.addEventListener('click', load);
    await load();
  }

  /** The creator's videos as a feed, starting at the one picked in the grid. */
  function userFeed(userId, startId) {
    const path = '/users/' + encodeURIComponent(userId) + '/videos';
    return listSource('profile', 'Videos', path, {
      async page(cursor) {
        const listed = await api('GET', path + '?limit=8' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        return cursor ? listed : ownUploads.merge(userId, listed);
      },
      startIndex: (items) => Math.max(0, items.findIndex((i) => i.data.id === startId)),
      failed: (e) => 'Could not load these videos: ' + describe(e),
    });
  }

  // ---------------------------------------------------------------- moderation (moderators only)

  /** The report queue with hold / release / remove, and the audit log (#/moderation). */
  async function moderationView() {
    if (!session.me) return needLogin('moderate');
    page('Moderation', el('p', { class: 'message loading', text: 'Loading the queue…' }));
    let reports;
    let audit;
    try {
      [reports, audit] = await Promise.all([api('GET', '/moderation/reports?limit=100'), api('GET', '/moderation/audit?limit=50')]);
    } catch (e) {
      return messageView(e.status === 403 ? 'Moderation is for moderators.' : 'Could not load the moderation queue: ' + describe(e));
    }
    const status = el('p', { class: 'moderation-status', role: 'status' });
    const queue = el('ul', { class: 'moderation-queue', 'aria-label': 'Open reports' });
    for (const r of reports.items || []) queue.append(reportRow(r, status));
    const log = el('ul', { class: 'moderation-audit', 'aria-label': 'Audit log' });
    for (const a of audit.items || []) {
      log.append(el('li', {}, el('time', { datetime: a.at, text: new Date(a.at).toLocaleString() }), ' ',
        el('strong', { text: a.action }), ' ' + a.targetKind + ' ', el('code', { text: a.targetId }),
        ' by ', el('code', { text: a.moderatorId }), a.reason ? ' — ' + a.reason : ''));
    }
    page('Moderation', status,
      el('h2', { text: 'Reports' }), queue.children.length ? queue : el('p', { class: 'hint', text: 'No open reports.' }),
      el('h2', { text: 'Audit log' }), log.children.length ? log : el('p', { class: 'hint', text: 'No actions yet.' }));
  }

  function reportRow(r, status) {
    const reason = el('input', { type: 'text', maxlength: '500', placeholder: 'Reason (required to hold or remove)', 'aria-label': 'Reason' });
    const act = async (path, needsReason, done) => {
      const text = reason.value.trim();
      if (needsReason && !text) {
        status.textContent = 'Give a reason first.';
        reason.focus();
        return;
      }
      try {
        await api('POST', '/moderation/' + path, needsReason ? { reason: text } : undefined);
        status.textContent = done;
      } catch (e) {
        status.textContent = 'Could not do that: ' + describe(e);
      }
    };
    const target = encodeURIComponent(r.targetId);
    const buttons = [];
    if (r.targetKind === 'VIDEO') {
      buttons.push(
        el('button', { type: 'button', class: 'secondary hold', onclick: () => act('videos/' + target + '/hold', true, 'Video ' + r.targetId + ' held.') }, 'Hold'),
        el('button', { type: 'button', class: 'secondary release', onclick: () => act('videos/' + target + '/release', false, 'Video ' + r.targetId + ' released.') }, 'Release'),
        el('button', { type: 'button', class: 'primary remove', onclick: () => act('videos/' + target + '/remove', true, 'Video ' + r.targetId + ' removed.') }, 'Remove'));
    } else if (r.targetKind === 'COMMENT') {
      buttons.push(el('button', { type: 'button', class: 'primary remove', onclick: () => act('comments/' + target + '/remove', true, 'Comment removed.') }, 'Remove comment'));
    }
    const what = r.targetKind === 'VIDEO' ? el('a', { href: '#/video/' + target, text: 'video ' + r.targetId })
      : r.targetKind === 'USER' ? el('a', { href: '#/user/' + target, text: 'user ' + r.targetId })
        : el('span', { text: 'comment ' + r.targetId });
    return el('li', { class: 'report', 'data-target': r.targetId },
      el('p', {}, el('strong', { text: r.reason }), ' — ', what, ' ', el('time', { datetime: r.filedAt, text: new Date(r.filedAt).toLocaleString() })),
      r.text ? el('p', { class: 'report-text', text: r.text }) : null,
      r.handled ? el('p', { class: 'report-handled', text: 'Done since: ' + r.handled.action + ' by ' + r.handled.moderatorId + (r.handled.reason ? ' (' + r.handled.reason + ')' : '') }) : null,
      buttons.length ? el('div', { class: 'report-actions' }, reason, ...buttons) : null);
  }

  const SEARCH_TABS = [
    ['top', 'Top'],
    ['videos', 'Videos'],
    ['users', 'Users'],
    ['hashtags', 'Hashtags'],
    ['sounds', 'Sounds'],
  ];

  function searchItem(x) {
    if (x.hls || x.poster) {
      return el('li', {}, el('a', { href: '#/video/' + encodeURIComponent(x.id), 'aria-label': x.caption || 'Video' }, x.poster ? el('img', { src: x.poster, alt: '' }) : null));
    }
    if (x.handle) return el('li', { class: 'user' }, el('a', { href: '#/user/' + encodeURIComponent(x.id), text: (x.displayName ? x.displayName + ' ' : '') + '@' + x.handle }));
    if (x.tag) return el('li', { class: 'term' }, el('a', { href: '#/tag/' + encodeURIComponent(x.tag), text: '#' + x.tag + ' · ' + x.videos }));
    if (x.key) return el('li', { class: 'term' }, el('a', { href: '#/tag/' + encodeURIComponent(x.key), text: '#' + x.key + ' · ' + x.videos }));
    if (x.id) return el('li', { class: 'term sound-result' }, el('a', { href: '#/sound/' + encodeURIComponent(x.id), text: '♫ ' + (x.title || 'Sound') + ' · ' + plural(x.videos, 'video') }));
    return null;
  }

  async function searchView(q, type) {
    const t = SEARCH_TABS.some(([k]) => k === type) ? type : 'top';
    const tabs = el(
      'nav',
      { class: 'tabs search-tabs', 'aria-label': 'Result types' },
      SEARCH_TABS.map(([k, label]) => el('a', { href: '#/search/' + encodeURIComponent(q) + '?type=' + k, 'aria-current': k === t ? 'page' : null, text: label }))
    );
    page('Search: ' + q, tabs, el('p', { class: 'message loading', text: 'Searching…' }));
    try {
      const r = await api('GET', '/search?q=' + encodeURIComponent(q) + '&type=' + t);
      const list = el('ul', { class: 'grid search-results' });
      // Top: the best users and hashtags first, then the videos
      for (const x of [...(r.users || []), ...(r.hashtags || []), ...(r.items || [])]) {
        const item = searchItem(x);
        if (item) list.append(item);
      }
      page('Search: ' + q, tabs, list.children.length ? list : el('p', { class: 'hint', text: 'No results.' }));
    } catch (e) {
      messageView('Search failed: ' + describe(e));
    }
  }


  // ---------------------------------------------------------------- studio (creator analytics)

  let uplotReady = null;

  /** uPlot from its WebJar, loaded once, on the studio's first open (never for the feed). */
  function loadUplot() {
    if (!uplotReady) {
      const base = document.querySelector('meta[name="flick-uplot"]').content;
      uplotReady = new Promise((resolve, reject) => {
        document.head.append(el('link', { rel: 'stylesheet', href: base + 'uPlot.min.css' }));
        const script = el('script', { src: base + 'uPlot.iife.min.js' });
        script.addEventListener('load', () => resolve(window.uPlot));
        script.addEventListener('error', () => { uplotReady = null; reject(new Error('the plotting library did not load')); });
        document.head.append(script);
      });
    }
    return uplotReady;
  }

  const FIGURES = [
    ['views', 'Views', compact],
    ['uniqueViewers', 'Unique viewers', compact],
    ['likes', 'Likes', compact],
    ['comments', 'Comments', compact],
    ['shares', 'Shares', compact],
    ['watchMs', 'Watch time', duration],
    ['averageWatchMs', 'Average watch', duration],
    ['completionRate', 'Completion', percent],
    ['followersGained', 'New followers', compact],
    ['followersLost', 'Lost followers', compact],
    ['followersNet', 'Net followers', compact],
  ];

  function duration(ms) {
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function percent(x) {
    return (Math.round(x * 1000) / 10) + ' %';
  }

  function figureCards(figures) {
    return el('ul', { class: 'figures', 'aria-label': 'Figures' },
      FIGURES.filter(([key]) => figures[key]).map(([key, label, format]) => {
        const f = figures[key];
        const up = f.change > 0, down = f.change < 0;
        const change = f.changeRatio === null || f.changeRatio === undefined
          ? (f.change === 0 ? '—' : (up ? '+' : '') + format(f.change))
          : (up ? '+' : '') + percent(f.changeRatio);
        return el('li', { class: 'figure', 'data-figure': key, 'data-value': String(f.value) },
          el('span', { class: 'figure-label', text: label }),
          el('strong', { class: 'figure-value', text: format(f.value) }),
          el('span', { class: 'figure-change' + (up ? ' up' : down ? ' down' : ''), title: 'previous period: ' + format(f.previous), text: change }));
      }));
  }

  /** A uPlot line chart in {@code holder}, sized to it (phone width included). */
  async function plot(holder, title, xs, series, opts) {
    const uPlot = await loadUplot();
    const width = Math.max(240, holder.clientWidth || 320);
    const chart = new uPlot({
      title,
      width,
      height: 200,
      scales: { x: { time: !(opts && opts.plain) } },
      axes: [{ stroke: '#aaa', grid: { stroke: '#333' } }, { stroke: '#aaa', grid: { stroke: '#333' }, values: opts && opts.yValues }],
      series: [{ label: opts && opts.xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: ['#fe2c55', '#25f4ee', '#ffd43b'][i % 3], width: 2, value: s.value }))],
    }, [xs, ...series.map((s) => s.data)], holder);
    return chart;
  }

  function rangeNav(current, base) {
    return el('nav', { class: 'ranges', 'aria-label': 'Period' },
      ['48h', '7d', '28d', '60d'].map((r) => el('a', { href: base + '?range=' + r, 'aria-current': r === current ? 'page' : null, text: 'Last ' + r.replace('h', ' hours').replace('d', ' days') })));
  }

  function breakdown(title, counts, cls) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    return el('section', { class: 'breakdown ' + cls },
      el('h2', { text: title }),
      rows.length ? el('ul', {}, rows.map(([k, v]) => el('li', { 'data-key': k, 'data-value': String(v) },
        el('span', { text: k }), el('strong', { text: compact(v) + ' · ' + percent(total ? v / total : 0) })))) : el('p', { class: 'hint', text: 'No views yet.' }));
  }

  async function studioView(range) {
    if (!session.me) return needLogin('see your studio');
    range = range || '7d';
    main.replaceChildren(el('p', { class: 'message loading', text: 'Loading your studio…' }));
    let overview;
    try {
      overview = await api('GET', '/studio/overview?range=' + encodeURIComponent(range));
    } catch (e) {
      return messageView('Could not load your studio: ' + describe(e));
    }
    const days = el('div', { class: 'plot plot-daily' });
    const hours = el('div', { class: 'plot plot-hourly' });
    const table = el('table', { class: 'studio-videos' });
    const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'More videos');
    const section = el('section', { class: 'page studio', 'data-range': overview.range },
      el('h1', { text: 'Studio' }),
      overview.demo ? el('p', { class: 'hint demo-note', text: 'Includes generated demo history (dev mode).' }) : null,
      rangeNav(overview.range, '#/studio'),
      figureCards(overview.figures),
      days, hours,
      el('h2', { text: 'Your videos' }),
      el('div', { class: 'table-scroll' }, table), more);
    main.replaceChildren(section);
    const secs = (list) => list.map((p) => Date.parse(p.at.length === 10 ? p.at + 'T00:00:00Z' : p.at) / 1000);
    try {
      // 48h has no days (its figures are the hours'): the hourly plot is the period's
      if (overview.daily.length) {
        await plot(days, 'By day', secs(overview.daily), [
          { label: 'Views', data: overview.daily.map((p) => p.views) },
          { label: 'Likes', data: overview.daily.map((p) => p.likes) },
          { label: 'New followers', data: overview.daily.map((p) => p.followersGained) }]);
      } else {
        days.remove();
      }
      await plot(hours, 'Last 48 hours', secs(overview.hourly), [
        { label: 'Views', data: overview.hourly.map((p) => p.views) },
        { label: 'Likes', data: overview.hourly.map((p) => p.likes) }]);
    } catch (e) {
      report(e, 'draw the plots');
    }
    let sort = 'views', cursor = null;
    const columns = [['views', 'Views'], ['uniqueViewers', 'Viewers'], ['likes', 'Likes'], ['comments', 'Comments'], ['shares', 'Shares'], ['watchMs', 'Watch time'], ['averageWatchMs', 'Avg watch'], ['completionRate', 'Completion']];
    async function load(reset) {
      if (reset) cursor = null;
      more.disabled = true;
      try {
        const page = await api('GET', '/studio/videos?limit=20&sort=' + sort + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        if (reset) {
          table.replaceChildren(el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Video' }),
            columns.map(([key, label]) => el('th', { scope: 'col', 'aria-sort': key === sort ? 'descending' : null },
              el('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: () => { sort = key; load(true); } }, label))))), el('tbody'));
        }
        const body = table.tBodies[0];
        for (const v of page.items) {
          // a deleted or removed video keeps its figures, marked, with no page to open
          body.append(el('tr', { 'data-video': v.videoId, 'data-removed': v.removed || null },
            el('th', { scope: 'row' }, v.removed
              ? [el('span', { text: v.videoId.slice(-8) }), ' ', el('span', { class: 'removed-mark', text: v.removed === 'removed' ? 'Removed by moderation' : 'Deleted' })]
              : el('a', { href: '#/studio/v/' + encodeURIComponent(v.videoId), text: v.videoId.slice(-8) })),
            columns.map(([key]) => el('td', { 'data-col': key, text: key === 'completionRate' ? percent(v[key]) : /watch/i.test(key) ? duration(v[key]) : compact(v[key]) }))));
        }
        if (!body.children.length) body.append(el('tr', {}, el('td', { colspan: String(columns.length + 1), text: 'No views yet: share a video!' })));
        cursor = page.next;
        more.hidden = !cursor;
      } catch (e) {
        report(e, 'load your videos');
      } finally {
        more.disabled = false;
      }
    }
    more.addEventListener('click', () => load(false));
    await load(true);
  }

  async function studioVideoView(videoId, range) {
    if (!session.me) return needLogin('see your studio');
    range = range || '7d';
    main.replaceChildren(el('p', { class: 'message loading', text: 'Loading…' }));
    let v;
    try {
      v = await api('GET', '/studio/videos/' + encodeURIComponent(videoId) + '?range=' + encodeURIComponent(range));
    } catch (e) {
      return messageView('Could not load this video\'s figures: ' + describe(e), el('a', { class: 'btn', href: '#/studio', text: 'Back to the studio' }));
    }
    const retention = el('div', { class: 'plot plot-retention' });
    const byHour = v.range === '48h';
    const days = el('div', { class: byHour ? 'plot plot-hourly' : 'plot plot-daily' });
    main.replaceChildren(el('section', { class: 'page studio studio-video', 'data-range': v.range, 'data-video': v.videoId },
      el('h1', {}, el('a', { href: '#/studio', text: 'Studio' }), ' · ', el('a', { href: '#/video/' + encodeURIComponent(v.videoId), text: 'video' })),
      v.demo ? el('p', { class: 'hint demo-note', text: 'Includes generated demo history (dev mode).' }) : null,
      rangeNav(v.range, '#/studio/v/' + encodeURIComponent(v.videoId)),
      figureCards(v.figures),
      retention, days,
      el('div', { class: 'breakdowns' },
        breakdown('Traffic sources', v.sources, 'sources'),
        breakdown('Regions', v.regions, 'regions'),
        breakdown('Devices', v.devices, 'devices'))));
    retention.dataset.points = v.retention.map((p) => p.share.toFixed(3)).join(' ');
    try {
      await plot(retention, 'Retention', v.retention.map((p) => p.at * 100),
        [{ label: 'Still watching', data: v.retention.map((p) => p.share * 100), value: (u, x) => x === null ? '' : x.toFixed(1) + ' %' }],
        { plain: true, xLabel: '% of the video', yValues: (u, vals) => vals.map((x) => x + ' %') });
      const series = byHour ? v.hourly : v.daily;
      days.dataset.views = series.map((p) => p.views).join(' ');
      await plot(days, byHour ? 'Last 48 hours by hour' : 'Views by day',
        series.map((p) => Date.parse(byHour ? p.at : p.at + 'T00:00:00Z') / 1000),
        [{ label: 'Views', data: series.map((p) => p.views) }, { label: 'Likes', data: series.map((p) => p.likes) }]);
    } catch (e) {
      report(e, 'draw the plots');
    }
  }

  /** Discover: trending hashtags and sounds (with their hottest videos), creators to follow. */
  async function discoverView() {
    page('Discover', el('p', { class: 'message loading', text: 'Loading…' }));
    const region = session.me && session.me.region ? '?region=' + encodeURIComponent(session.me.region) : '';
    const [tags, sounds, suggested] = await Promise.all([
      api('GET', '/trending/hashtags' + region).catch(() => ({ items: [] })),
      api('GET', '/trending/sounds' + region).catch(() => ({ items: [] })),
      session.me ? Promise.all([api('GET', '/users/suggested'), loadFollowing().catch(() => {})]).then(([s]) => s).catch(() => ({ items: [] })) : Promise.resolve({ items: [] }),
    ]);
    const trendList = (items, href, label) =>
      el('ul', { class: 'trending' },
        items.map((t) =>
          el('li', { class: 'term' },
            el('a', { href: href(t.key), text: label(t) }),
            el('ul', { class: 'grid' }, t.videos.map((v) => el('li', {}, el('a', { href: '#/video/' + encodeURIComponent(v.id), 'aria-label': v.caption || 'Video' }, v.poster ? el('img', { src: v.poster, alt: '' }) : null)))))));
    const creators = el('ul', { class: 'suggested' },
      suggested.items.map((s) => {
        const b = el('button', { type: 'button', class: 'primary follow', 'data-user': s.user.id, 'aria-label': 'Follow @' + s.user.handle });
        renderFollow(b, following.has(s.user.id));
        b.addEventListener('click', async () => {
          const now = b.getAttribute('aria-pressed') === 'true';
          b.disabled = true;
          try {
            await setFollow(s.user.id, !now);
          } catch (e) {
            report(e, now ? 'unfollow' : 'follow');
          } finally {
            b.disabled = false;
          }
        });
        return el('li', { 'data-user': s.user.id },
          el('a', { href: '#/user/' + encodeURIComponent(s.user.id), text: '@' + s.user.handle }),
          el('span', { class: 'hint', text: s.reason === 'followed-by-people-you-follow' ? ' followed by ' + s.followedBy + ' you follow'
            : s.reason === 'creator-of-videos-you-finished' ? ' you watch their videos' : ' popular near you' }),
          b);
      }));
    page('Discover',
      el('h2', { text: 'Trending hashtags' }),
      tags.items.length ? trendList(tags.items, (k) => '#/tag/' + encodeURIComponent(k), (t) => '#' + t.key) : el('p', { class: 'hint', text: 'Nothing trending yet.' }),
      el('h2', { text: 'Trending sounds' }),
      sounds.items.length ? trendList(sounds.items, (k) => '#/sound/' + encodeURIComponent(k), (t) => '♫ ' + (t.title || 'Sound')) : el('p', { class: 'hint', text: 'No sounds trending yet.' }),
      el('h2', { text: 'Creators to follow' }),
      session.me
        ? (suggested.items.length ? creators : el('p', { class: 'hint', text: 'No suggestions yet.' }))
        : el('p', { class: 'hint' }, el('a', { href: '#/login?next=' + encodeURIComponent('#/discover'), text: 'Log in' }), ' to see creators to follow.'));
  }

  // ---------------------------------------------------------------- router

  let view = null;

  function route() {
    const raw = location.hash.replace(/^#/, '') || '/';
    const [path, query] = raw.split('?');
    const q = new URLSearchParams(query || '');
    const parts = path.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
    if (view && view.destroy) view.destroy();
    view = null;
    comments.close();
    main.focus({ preventScroll: true });
    markTab(parts.length === 0 || parts[0] === 'foryou' ? 'foryou' : parts[0] === 'following' || parts[0] === 'discover' ? parts[0] : null);
    const [a, b, c, d] = parts;
    switch (a) {
      case undefined:
      case 'foryou':
        view = new FeedView(listSource('foryou', 'For You', '/feed/foryou', { empty: 'No videos yet. Upload the first one!' }));
        break;
      case 'following':
        if (!session.me) return needLogin('see videos from people you follow');
        view = new FeedView(listSource('following', 'Following', '/feed/following', { empty: 'Nothing new from the people you follow. Find creators on For You.' }));
        break;
      case 'tag':
        view = new FeedView(listSource('hashtag', '#' + b, '/hashtags/' + encodeURIComponent(b) + '/videos', { heading: '#' + b, empty: 'No videos with #' + b + ' yet.' }));
        break;
      case 'sound':
        view = new FeedView(listSource('sound', 'Sound', '/sounds/' + encodeURIComponent(b) + '/videos', { header: soundHeader(b), empty: 'No videos with this sound yet.' }));
        break;
      case 'video':
        view = new FeedView(videoSource(b));
        break;
      case 'user':
        if (c === 'v' && d) view = new FeedView(userFeed(b, d));
        else profileView(b);
        break;
      case 'upload':
        uploadView(q.get('sound'), q.get('duet') ? { of: q.get('duet'), kind: 'duet' } : q.get('stitch') ? { of: q.get('stitch'), kind: 'stitch' } : null);
        break;
      case 'studio':
        if (b === 'v' && c) studioVideoView(c, q.get('range'));
        else studioView(q.get('range'));
        break;
      case 'login':
      case 'signup':
        authView(a, q.get('next'));
        break;
      case 'search':
        searchView(b || '', q.get('type'));
        break;
      case 'discover':
        discoverView();
        break;
      case 'moderation':
        moderationView();
        break;
      default:
        messageView('There is no page at ' + raw + '.', el('a', { class: 'btn', href: '#/', text: 'Go to For You' }));
    }
    probe.view = view;
  }

  // ---------------------------------------------------------------- keyboard and gestures

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && comments.isOpen()) {
      comments.close();
      e.preventDefault();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || comments.isOpen()) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (t && /^(BUTTON|A)$/.test(t.tagName) && (e.key === ' ' || e.key === 'Enter')) return;
    if (view instanceof FeedView && view.key(e)) e.preventDefault();
  });

  window.addEventListener('pagehide', () => {
    if (view instanceof FeedView && view.current()) view.current().deactivate();
  });

  window.addEventListener('hashchange', route);
  route();
  updateNav();
  if (session.me) loadFollowing().then(() => document.querySelectorAll('.item .follow').forEach((b) => renderFollow(b, following.has(b.dataset.user)))).catch(() => {});
  (window.requestIdleCallback || ((f) => setTimeout(f, 1500)))(detectSearch);
})();
