/* AgentRegistry chat widget loader. Plain JS, no dependencies; renders inside a Shadow DOM.
   Untrusted text (answers, questions, widget texts) is only ever set with textContent. */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-widget-key]');
  if (!script || window.__agentRegistryWidgetLoaded) return;
  window.__agentRegistryWidgetLoaded = true;
  var key = script.getAttribute('data-widget-key');
  var preview = script.getAttribute('data-preview');
  var api = new URL(script.src, location.href).origin + '/api/widget/v1/' + encodeURIComponent(key);
  var storeKey = 'agentregistry-widget:' + key;
  var listeners = {};
  var st = { token: null, conv: null, user: null, busy: false, open: false, ready: null, cfg: null };
  var ui = {};
  var icons = {
    chat: 'M4 4h16v12H7l-3 3z',
    help: 'M12 2a10 10 0 100 20 10 10 0 000-20zm1 16h-2v-2h2zm2-7.5c-.9.9-2 1.4-2 3h-2c0-2.5 1.5-3.3 2.3-4.1.6-.6.6-1.9-.3-2.3-1-.5-2 .2-2 1.4H9c0-2.6 2.6-4 4.9-3 1.9.9 2.4 3.4 1.1 5z',
    sparkle: 'M12 2l2.5 7.5L22 12l-7.5 2.5L12 22l-2.5-7.5L2 12l7.5-2.5z'
  };

  function emit(name, data) {
    (listeners[name] || []).forEach(function (cb) { try { cb(data); } catch (e) { /* a host callback must not break the widget */ } });
  }
  function load() { try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; } }
  function save() { try { localStorage.setItem(storeKey, JSON.stringify({ token: st.token, conv: st.conv })); } catch (e) { /* storage may be off */ } }
  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    for (var a in attrs) if (attrs[a] !== null && attrs[a] !== undefined) n.setAttribute(a, attrs[a]);
    if (text) n.textContent = text;
    return n;
  }
  function svg(path) {
    var ns = 'http://www.w3.org/2000/svg', s = document.createElementNS(ns, 'svg'), p = document.createElementNS(ns, 'path');
    s.setAttribute('viewBox', '0 0 24 24'); s.setAttribute('aria-hidden', 'true'); s.setAttribute('focusable', 'false');
    p.setAttribute('d', path); s.appendChild(p);
    return s;
  }

  var css = [
    ':host{all:initial}',
    '*{box-sizing:border-box}',
    '.root{font-family:var(--ar-font);font-size:15px;line-height:1.45;color:var(--ar-fg)}',
    '.launcher{position:fixed;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:var(--ar-primary);color:var(--ar-on-primary);box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483646}',
    '.launcher svg{width:28px;height:28px;fill:currentColor}',
    '.side-right .launcher,.side-right .panel{right:20px}.side-left .launcher,.side-left .panel{left:20px}',
    '.panel{position:fixed;bottom:88px;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:var(--ar-bg);border-radius:var(--ar-radius);box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden;z-index:2147483647}',
    '.panel[hidden]{display:none}',
    'header{display:flex;align-items:center;gap:10px;padding:12px 14px;background:var(--ar-primary);color:var(--ar-on-primary)}',
    'header img{width:32px;height:32px;border-radius:50%}',
    'h2{flex:1;margin:0;font-size:16px;font-weight:600}',
    'button{font:inherit}',
    '.close{background:transparent;border:0;color:inherit;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:6px}',
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px}',
    '.msg{max-width:85%;padding:8px 12px;border-radius:calc(var(--ar-radius) * .8);white-space:pre-wrap;word-wrap:break-word}',
    '.assistant{align-self:flex-start;background:var(--ar-bubble);color:var(--ar-fg)}',
    '.user{align-self:flex-end;background:var(--ar-primary);color:var(--ar-on-primary)}',
    '.error{align-self:center;color:#b91c1c;background:#fee2e2;font-size:13px}',
    '.sugg{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 8px}',
    '.sugg button{border:1px solid var(--ar-primary);background:transparent;color:var(--ar-fg);border-radius:16px;padding:4px 10px;cursor:pointer;font-size:13px}',
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--ar-line)}',
    'input{flex:1;min-width:0;font:inherit;padding:8px 10px;border:1px solid var(--ar-line);border-radius:8px;background:var(--ar-bg);color:var(--ar-fg)}',
    '.send{border:0;border-radius:8px;padding:8px 14px;background:var(--ar-primary);color:var(--ar-on-primary);cursor:pointer}',
    '.send:disabled{opacity:.6;cursor:default}',
    ':focus-visible{outline:3px solid var(--ar-focus);outline-offset:2px}',
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (max-width:480px){.panel{inset:0 !important;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}'
  ].join('\n');

  function build(cfg) {
    var t = cfg.theme, x = cfg.texts;
    var host = el('agentregistry-widget', { 'data-widget-key': key });
    host.style.cssText = 'all:initial !important;display:block !important;position:static !important;visibility:visible !important';
    var root = host.attachShadow({ mode: 'open' });
    var style = el('style', {}, css);
    var dark = !!t.dark_mode;
    var wrap = el('div', { 'class': 'root side-' + (t.position === 'left' ? 'left' : 'right') });
    wrap.style.cssText = '--ar-primary:' + t.primary_color + ';--ar-on-primary:' + t.text_color + ';--ar-radius:' + (t.radius | 0) + 'px;' +
      '--ar-font:' + t.font + ';--ar-bg:' + (dark ? '#111827' : '#ffffff') + ';--ar-fg:' + (dark ? '#f9fafb' : '#111827') + ';' +
      '--ar-bubble:' + (dark ? '#1f2937' : '#f1f5f9') + ';--ar-line:' + (dark ? '#374151' : '#cbd5e1') + ';--ar-focus:' + (dark ? '#93c5fd' : '#1d4ed8');

    ui.launcher = el('button', { type: 'button', 'class': 'launcher', 'aria-label': 'Open chat: ' + x.title, 'aria-expanded': 'false', 'aria-controls': 'ar-panel' });
    ui.launcher.appendChild(svg(icons[t.launcher_icon] || icons.chat));
    ui.panel = el('div', { id: 'ar-panel', 'class': 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ar-title' });
    ui.panel.hidden = true;
    var header = el('header');
    if (x.avatar_url) header.appendChild(el('img', { src: x.avatar_url, alt: '' }));
    header.appendChild(el('h2', { id: 'ar-title' }, x.title));
    ui.close = el('button', { type: 'button', 'class': 'close', 'aria-label': 'Close chat' }, '\u00d7');
    header.appendChild(ui.close);
    ui.log = el('div', { 'class': 'log', role: 'region', 'aria-label': 'Conversation', 'aria-live': 'off', tabindex: '0' });
    ui.sugg = el('div', { 'class': 'sugg', role: 'group', 'aria-label': 'Suggested questions' });
    (x.suggested_questions || []).forEach(function (q) {
      var b = el('button', { type: 'button' }, q);
      b.addEventListener('click', function () { send(q); });
      ui.sugg.appendChild(b);
    });
    ui.form = el('form');
    ui.input = el('input', { id: 'ar-input', type: 'text', placeholder: x.placeholder, autocomplete: 'off', maxlength: '4000' });
    ui.send = el('button', { type: 'submit', 'class': 'send' }, 'Send');
    ui.form.appendChild(el('label', { 'for': 'ar-input', 'class': 'sr' }, 'Your message'));
    ui.form.appendChild(ui.input);
    ui.form.appendChild(ui.send);
    ui.live = el('div', { 'class': 'sr', 'aria-live': 'polite', role: 'status' });
    ui.welcome = x.welcome_message;
    [header, ui.log, ui.sugg, ui.form, ui.live].forEach(function (n) { ui.panel.appendChild(n); });
    wrap.appendChild(ui.launcher);
    wrap.appendChild(ui.panel);
    root.appendChild(style);
    root.appendChild(wrap);
    ui.root = root;

    ui.launcher.addEventListener('click', toggle);
    ui.close.addEventListener('click', close);
    ui.form.addEventListener('submit', function (e) { e.preventDefault(); send(ui.input.value); });
    ui.panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { e.preventDefault(); close(); return; }
      if (e.key !== 'Tab') return;
      var f = Array.prototype.filter.call(ui.panel.querySelectorAll('button,input,[tabindex="0"],img[tabindex]'), function (n) { return !n.disabled; });
      var first = f[0], last = f[f.length - 1], active = root.activeElement;
      if (e.shiftKey && active === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
    });
    (document.body || document.documentElement).appendChild(host);
    var vv = window.visualViewport;
    if (vv) { vv.addEventListener('resize', fit); vv.addEventListener('scroll', fit); }
    window.addEventListener('resize', fit);
  }

  function bubble(role, text) {
    var n = el('div', { 'class': 'msg ' + role }, text);
    ui.log.appendChild(n);
    ui.log.scrollTop = ui.log.scrollHeight;
    return n;
  }
  function resetLog() {
    ui.log.textContent = '';
    if (ui.welcome) bubble('assistant', ui.welcome);
  }

  function request(path, options) {
    options = options || {};
    options.headers = options.headers || {};
    options.headers.Authorization = 'Bearer ' + st.token;
    return fetch(api + path, options);
  }

  function init() {
    var saved = load(), q = new URLSearchParams(), headers = {};
    if (preview) q.set('preview', preview);
    if (st.user) { q.set('user_id', st.user.id); if (st.user.hash) q.set('user_hash', st.user.hash); }
    if (saved.token) headers['X-Visitor-Token'] = saved.token;
    return fetch(api + '/init?' + q.toString(), { headers: headers }).then(function (r) {
      if (!r.ok) throw new Error('init ' + r.status);
      return r.json();
    }).then(function (cfg) {
      st.token = cfg.visitor_token;
      st.conv = saved.conv || null;
      save();
      if (!ui.root) build(cfg);
      st.cfg = cfg;
      resetLog();
      return history();
    }).then(function () {
      emit('ready', {});
      if (st.cfg.texts.auto_open && !sessionStorageGet()) open();
    });
  }
  function sessionStorageGet() { try { return sessionStorage.getItem(storeKey + ':opened'); } catch (e) { return '1'; } }

  function history() {
    if (!st.conv) return Promise.resolve();
    return request('/conversations/' + encodeURIComponent(st.conv)).then(function (r) {
      if (r.status === 404) { st.conv = null; save(); return; }
      if (!r.ok) return;
      return r.json().then(function (thread) {
        thread.messages.forEach(function (m) { bubble(m.role === 'user' ? 'user' : 'assistant', m.content); });
        if (thread.messages.length) ui.sugg.hidden = true;
      });
    });
  }

  function fail(text) { bubble('error', text); ui.live.textContent = text; }

  function send(text, retried) {
    text = (text || '').trim();
    if (!text || st.busy) return Promise.resolve();
    if (!st.token) return st.ready.then(function () { return send(text); });
    st.busy = true;
    ui.send.disabled = true;
    bubble('user', text);
    if (!retried) { ui.input.value = ''; ui.sugg.hidden = true; emit('message', { role: 'user', text: text }); }
    var answer = null, full = '';
    return request('/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ message: text, conversation_id: st.conv, stream: true })
    }).then(function (r) {
      if (r.status === 401 && !retried) {
        st.busy = false;
        return init().then(function () { return send(text, true); });
      }
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (p) {
          var wait = parseInt(r.headers.get('Retry-After') || p.retry_after, 10);
          fail(p.type === '/problems/rate-limited'
            ? 'Too many messages, try again in ' + (wait > 0 ? wait : 60) + ' seconds.'
            : (p.title || 'The message could not be sent.'));
        });
      }
      answer = bubble('assistant', '');
      answer.setAttribute('aria-busy', 'true');
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = '';
      function handle(block) {
        var name = 'message', data = '';
        block.split('\n').forEach(function (line) {
          if (line.indexOf('event: ') === 0) name = line.slice(7);
          else if (line.indexOf('data: ') === 0) data += line.slice(6);
        });
        if (!data) return;
        var d = JSON.parse(data);
        if (name === 'delta') { full += d.text; answer.textContent = full; ui.log.scrollTop = ui.log.scrollHeight; }
        else if (name === 'done') { st.conv = d.conversation_id; save(); }
        else if (name === 'error') fail(d.title || 'The answer failed.');
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var i;
          while ((i = buffer.indexOf('\n\n')) >= 0) { handle(buffer.slice(0, i)); buffer = buffer.slice(i + 2); }
          return pump();
        });
      }
      return pump().then(function () {
        answer.removeAttribute('aria-busy');
        ui.live.textContent = full; // announced once, complete
        emit('message', { role: 'assistant', text: full, conversation_id: st.conv });
      });
    }).catch(function () { fail('The connection failed; please try again.'); })
      .then(function () { st.busy = false; ui.send.disabled = false; });
  }

  /* Under the breakpoint the panel fills the screen; when the on-screen keyboard shrinks the visual viewport, the
     panel follows it so the input stays above the keyboard. */
  function fit() {
    var vv = window.visualViewport, s = ui.panel && ui.panel.style;
    if (!s) return;
    if (!vv || !st.open || !matchMedia('(max-width:480px)').matches) { s.removeProperty('top'); s.removeProperty('height'); return; }
    s.setProperty('top', vv.offsetTop + 'px', 'important');
    s.setProperty('height', vv.height + 'px', 'important');
    if (ui.root.activeElement === ui.input) ui.input.scrollIntoView({ block: 'nearest' });
  }

  function open() {
    if (!ui.panel || st.open) return;
    st.open = true;
    ui.panel.hidden = false;
    fit();
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.launcher.setAttribute('aria-label', 'Close chat: ' + st.cfg.texts.title);
    try { sessionStorage.setItem(storeKey + ':opened', '1'); } catch (e) { /* ignore */ }
    ui.input.focus();
    emit('open', {});
  }
  function close() {
    if (!ui.panel || !st.open) return;
    st.open = false;
    ui.panel.hidden = true;
    fit();
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.setAttribute('aria-label', 'Open chat: ' + st.cfg.texts.title);
    ui.launcher.focus();
    emit('close', {});
  }
  function toggle() { if (st.open) close(); else open(); }
  function whenReady(fn) { return function (a) { return st.ready.then(function () { return fn(a); }); }; }

  window.AgentRegistryWidget = {
    open: whenReady(open),
    close: whenReady(close),
    toggle: whenReady(toggle),
    sendMessage: whenReady(function (text) { open(); return send(String(text)); }),
    setUser: function (user) {
      st.user = user && user.id ? { id: String(user.id), hash: user.hash ? String(user.hash) : null } : null;
      st.conv = null; save();
      st.ready = st.ready.then(init, init);
      return st.ready;
    },
    on: function (name, cb) { (listeners[name] = listeners[name] || []).push(cb); }
  };
  st.ready = init();
  st.ready.catch(function () { /* not allowed here, disabled or offline: no widget */ });
})();
