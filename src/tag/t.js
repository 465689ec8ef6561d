/*
 * CloakRadar lander tag, served as is at PUBLIC_URL/t.js (README, "The lander tag").
 *
 *   <script>window.cloakradar=window.cloakradar||function(){(cloakradar.q=cloakradar.q||[]).push(arguments)}</script>
 *   <script async src="https://track.example/t.js"></script>
 *   ... cloakradar('convert', { payout: 12.5, txid: 'order-1', event: 'sale' });
 *
 * It reads the click id from the page URL (cid, clickid, or the name in data-param / config.param), keeps
 * it in a first-party cookie, and sends one beacon when the page has loaded and an update when it is
 * hidden: only the fields SPEC section 10 lists. data-beacon="off" (or config.beacon = false) keeps
 * conversions and sends no beacon. Written in ES5 with every entry point guarded: a tracker must never
 * break the page it sits on, in any browser.
 */
(function (window, document) {
  'use strict';

  var NAME = 'cloakradar';
  var COOKIE = '_cr_cid';
  var COOKIE_DAYS = 30;
  var CLICK_ID = /^[A-Za-z0-9_-]{1,64}$/;
  var MAX_UPDATES = 4;

  function attempt(fn) {
    try {
      return fn();
    } catch (_ignored) {
      return undefined;
    }
  }

  function ownScript() {
    if (document.currentScript) return document.currentScript;
    var scripts = document.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) if (/\/t\.js(\?|$)/.test(scripts[i].src || '')) return scripts[i];
    return null;
  }

  function queryParam(name) {
    var pairs = (window.location.search || '').replace(/^\?/, '').split('&');
    for (var i = 0; i < pairs.length; i++) {
      var eq = pairs[i].indexOf('=');
      var key = attempt(function () {
        return decodeURIComponent(eq < 0 ? pairs[i] : pairs[i].slice(0, eq));
      });
      if (key === name && eq >= 0)
        return attempt(function () {
          return decodeURIComponent(pairs[i].slice(eq + 1).replace(/\+/g, ' '));
        });
    }
    return undefined;
  }

  function readCookie() {
    var match = document.cookie.match(new RegExp('(?:^|; )' + COOKIE + '=([^;]*)'));
    return match ? match[1] : undefined;
  }

  function writeCookie(value) {
    var secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = COOKIE + '=' + value + '; Max-Age=' + COOKIE_DAYS * 86400 + '; Path=/; SameSite=Lax' + secure;
  }

  function randomId() {
    var id = '';
    var bytes = null;
    var crypto = window.crypto || window.msCrypto;
    if (crypto && crypto.getRandomValues && typeof Uint8Array !== 'undefined')
      bytes = crypto.getRandomValues(new Uint8Array(16));
    for (var i = 0; i < 16; i++) id += ((bytes ? bytes[i] : Math.random() * 256) & 255).toString(16);
    return id.length < 8 ? id + '00000000' : id;
  }

  function whole(value, max) {
    var n = Math.round(Number(value) || 0);
    return n < 0 ? 0 : n > max ? max : n;
  }

  function send(url, body) {
    var nav = window.navigator;
    if (
      nav.sendBeacon &&
      attempt(function () {
        return nav.sendBeacon(url, body);
      })
    )
      return;
    if (window.fetch) {
      attempt(function () {
        window
          .fetch(url, {
            method: 'POST',
            body: body,
            keepalive: true,
            mode: 'no-cors',
            credentials: 'omit',
            headers: { 'Content-Type': 'text/plain' },
          })
          .then(null, function () {});
      });
      return;
    }
    attempt(function () {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url, true);
      xhr.setRequestHeader('Content-Type', 'text/plain');
      xhr.send(body);
    });
  }

  function start() {
    var script = ownScript();
    var src = (script && script.src) || '';
    var attr = function (name) {
      return script ? script.getAttribute(name) : null;
    };
    var config = {
      base: attr('data-endpoint') || src.replace(/\/t\.js(\?.*)?$/, ''),
      param: attr('data-param'),
      beacon: attr('data-beacon') !== 'off',
    };
    var queued = (window[NAME] && window[NAME].q) || [];
    var i;
    // Configuration queued before the tag loaded applies before the click id is read.
    for (i = 0; i < queued.length; i++)
      if (queued[i] && queued[i][0] === 'config' && queued[i][1]) {
        var options = queued[i][1];
        if (typeof options.param === 'string') config.param = options.param;
        if (typeof options.endpoint === 'string') config.base = options.endpoint;
        if (options.beacon === false) config.beacon = false;
      }

    var fromUrl = (config.param && queryParam(config.param)) || queryParam('cid') || queryParam('clickid');
    var clickId = fromUrl && CLICK_ID.test(fromUrl) ? fromUrl : readCookie();
    if (clickId && !CLICK_ID.test(clickId)) clickId = undefined;
    if (fromUrl && clickId === fromUrl)
      attempt(function () {
        writeCookie(clickId);
      });

    function convert(options) {
      options = options || {};
      var id = typeof options.cid === 'string' && CLICK_ID.test(options.cid) ? options.cid : clickId;
      if (!id || !config.base) return;
      var query = 'cid=' + encodeURIComponent(id);
      if (options.payout !== undefined && options.payout !== null)
        query += '&payout=' + encodeURIComponent(String(options.payout));
      if (options.txid) query += '&txid=' + encodeURIComponent(String(options.txid));
      if (options.event) query += '&event=' + encodeURIComponent(String(options.event));
      var pixel = new Image(1, 1);
      pixel.src = config.base + '/px?' + query;
    }

    var api = function (command, options) {
      attempt(function () {
        if (command === 'convert') convert(options);
      });
    };
    api.q = [];
    api.loaded = true;
    window[NAME] = api;
    for (i = 0; i < queued.length; i++) if (queued[i]) api(queued[i][0], queued[i][1]);

    if (!config.beacon || !clickId || !config.base) return;
    beacon(config.base, clickId);
  }

  function beacon(base, clickId) {
    var startedAt = new Date().getTime();
    var pageView = randomId();
    var counts = { pointer: 0, scroll: 0, key: 0 };
    var lastMove = 0;
    var seen = document.visibilityState !== 'hidden';
    var sent = 0;

    function listen(target, type, handler) {
      if (target.addEventListener)
        target.addEventListener(
          type,
          function (e) {
            attempt(function () {
              handler(e);
            });
          },
          { passive: true, capture: true }
        );
    }
    listen(document, 'pointerdown', function () {
      counts.pointer++;
    });
    listen(document, 'pointermove', function () {
      var now = new Date().getTime();
      if (now - lastMove >= 100) {
        lastMove = now;
        counts.pointer++;
      }
    });
    listen(window, 'scroll', function () {
      counts.scroll++;
    });
    listen(document, 'keydown', function () {
      counts.key++;
    });

    function facts() {
      var nav = window.navigator;
      var screen = window.screen || {};
      var zone = attempt(function () {
        return typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : undefined;
      });
      var languages =
        nav.languages && nav.languages.length !== undefined ? nav.languages : nav.language ? [nav.language] : [];
      var langs = [];
      for (var i = 0; i < languages.length && langs.length < 16; i++)
        if (typeof languages[i] === 'string' && languages[i]) langs.push(languages[i].slice(0, 35));
      return {
        click_id: clickId,
        page_view_id: pageView,
        webdriver: nav.webdriver === true,
        time_zone: typeof zone === 'string' && /^[A-Za-z0-9_+\-/]{1,64}$/.test(zone) ? zone : null,
        utc_offset_minutes: -new Date().getTimezoneOffset(),
        languages: langs,
        screen_width: whole(screen.width, 100000),
        screen_height: whole(screen.height, 100000),
        viewport_width: whole(window.innerWidth, 100000),
        viewport_height: whole(window.innerHeight, 100000),
        touch_points: whole(nav.maxTouchPoints, 256),
        hardware_concurrency: whole(nav.hardwareConcurrency, 4096),
        visible: seen,
        time_on_page_ms: whole(new Date().getTime() - startedAt, 86400000),
        pointer_events: whole(counts.pointer, 1000000),
        scroll_events: whole(counts.scroll, 1000000),
        key_events: whole(counts.key, 1000000),
      };
    }

    function report() {
      if (sent > MAX_UPDATES || !window.JSON) return;
      sent++;
      send(base + '/api/v1/beacon', JSON.stringify(facts()));
    }

    listen(document, 'visibilitychange', function () {
      if (document.visibilityState === 'visible') seen = true;
      else report();
    });
    listen(window, 'pagehide', report);
    if (document.readyState === 'complete') report();
    else listen(window, 'load', report);
  }

  attempt(start);
})(window, document);
