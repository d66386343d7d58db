/* gfmdreport serve: the page. The notes in the editor (editor.js), the report as the HTML
   writer renders it, every problem under the editor, downloads, and the folder's notes
   files. Everything the server does is a fetch to /api/ (docs/serve.md); what is typed is
   kept in this browser's local storage until it is saved. */
(function () {
  'use strict';

  const $ = (selector) => document.querySelector(selector);
  let csrf = $('meta[name="csrf-token"]').content;
  const PREVIEW_DELAY = 300;
  const DRAFT_DELAY = 400;
  const FORMAT_SUFFIX = {md: '.md', yaml: '.yaml', json: '.json'};
  const LANGUAGE_NAMES = {en: 'English', fr: 'Français', es: 'Español'};
  const WRITER_NAMES = {
    docx: 'Word', pdf: 'PDF', html: 'Web page (HTML)', md: 'Markdown (tidied notes)',
    yaml: 'YAML (interchange)', json: 'JSON (interchange)', akn: 'Akoma Ntoso XML',
  };

  const state = {
    config: null,
    editor: null,
    editorId: randomId(),
    doc: {path: null, format: 'md', version: null, baseline: '', name: 'New notes'},
    seq: 0,
    controller: null,
    previewTimer: 0,
    draftTimer: 0,
    problems: [],
    counts: {error: 0, warning: 0, info: 0},
    readable: true,
    filename: null,
    frame: {ready: false, style: null, lines: [], anchors: null, measure: null},
    scroll: {source: null, until: 0, pending: false},
    offline: false,
    conflict: null,
    saving: false,
    opening: null,
    files: [],
    filesTimer: 0,
    ignoreHash: false,
  };

  function randomId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ---- talking to the server ----------------------------------------------------------------

  async function request(method, url, {body, headers, signal} = {}, again = true) {
    const options = {method, headers: {...headers}, credentials: 'same-origin', signal};
    if (method !== 'GET') options.headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) options.body = body;
    const response = await fetch(url, options);
    if (response.status === 403) {
      const rule = await response.clone().json().then((d) => d.error.rule, () => null);
      if (rule === 'token') {
        showBanner('token', 'error', 'The server no longer knows this page (it was ' +
                   'started again with a new access token): open the address it printed ' +
                   'when it started. Your notes are kept in this browser.');
      } else if (rule === 'csrf' && again && await renewCsrf()) {
        // the server was started again since the page was loaded: its new token
        return request(method, url, {body, headers, signal}, false);
      }
    }
    return response;
  }

  async function renewCsrf() {
    try {
      const response = await fetch('/api/config', {credentials: 'same-origin'});
      csrf = (await response.json()).csrf || csrf;
      return response.ok;
    } catch (e) {
      return false;
    }
  }

  async function json(response) {
    try {
      return await response.json();
    } catch (e) {
      return {error: {message: 'the server answered ' + response.status}};
    }
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== null && value !== undefined) search.set(key, value);
    }
    return search.toString();
  }

  function notesQuery(extra) {
    return query({format: state.doc.format, path: state.doc.path, ...extra});
  }

  // ---- messages -------------------------------------------------------------------------------

  function announce(text) {
    const region = $('#announce');
    region.textContent = '';
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function showBanner(id, kind, text, actions = []) {
    let banner = document.querySelector(`.banner[data-id="${id}"]`);
    if (!banner) {
      banner = document.createElement('div');
      banner.dataset.id = id;
      banner.setAttribute('role', kind === 'info' ? 'status' : 'alert');
      $('#banners').append(banner);
    }
    banner.className = 'banner ' + kind;
    const p = document.createElement('p');
    p.textContent = text;
    const buttons = document.createElement('div');
    buttons.className = 'banner-actions';
    for (const action of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button' + (action.primary ? ' primary' : '');
      button.textContent = action.label;
      button.addEventListener('click', () => { hideBanner(id); action.run(); });
      buttons.append(button);
    }
    if (!actions.length) {
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'button quiet';
      close.textContent = 'Dismiss';
      close.addEventListener('click', () => hideBanner(id));
      buttons.append(close);
    }
    banner.replaceChildren(p, buttons);
    return banner;
  }

  function hideBanner(id) {
    const banner = document.querySelector(`.banner[data-id="${id}"]`);
    if (banner) banner.remove();
  }

  function problemText(count, word) {
    return count + ' ' + word + (count === 1 ? '' : 's');
  }

  function errorMessage(data, fallback) {
    return (data && data.error && data.error.message) || fallback;
  }

  // ---- drafts kept in this browser ---------------------------------------------------------

  const drafts = {
    key(path) {
      const folder = (state.config && state.config.folder_id) || 'no-folder';
      return 'gfmdreport.draft.' + folder + '.' + (path === null ? '(new)' : path);
    },
    get(path) {
      try {
        return JSON.parse(localStorage.getItem(this.key(path)));
      } catch (e) {
        return null;
      }
    },
    put(path, draft) {
      try {
        localStorage.setItem(this.key(path), JSON.stringify(draft));
        return true;
      } catch (e) {
        showBanner('storage', 'warning', 'This browser could not keep a copy of your ' +
                   'notes (its storage is full or turned off). Save or download them ' +
                   'before you close the page.');
        return false;
      }
    },
    remove(path) {
      try { localStorage.removeItem(this.key(path)); } catch (e) { /* storage is off */ }
    },
  };

  function dirty() {
    return state.editor !== null && state.editor.text() !== state.doc.baseline;
  }

  function keepDraft() {
    window.clearTimeout(state.draftTimer);
    const doc = state.doc;
    if (!dirty()) {
      drafts.remove(doc.path);
      return;
    }
    drafts.put(doc.path, {text: state.editor.text(), base: doc.version, format: doc.format,
                          time: Date.now()});
  }

  function offerDraft(draft) {
    const when = new Date(draft.time).toLocaleString();
    const what = state.doc.path ? 'to ' + state.doc.path : 'to your new notes';
    showBanner('draft', 'warning', `Changes ${what} that were not saved were kept in this ` +
               `browser (${when}).`, [
      {label: 'Restore them', primary: true, run: () => {
        if (draft.base !== undefined && state.doc.path) state.doc.version = draft.base;
        if (draft.format && draft.format !== state.doc.format) {
          state.doc.format = draft.format;
          state.editor.load(draft.text, draft.format);
          showDocument();
        } else {
          state.editor.replace(draft.text);
        }
        announce('Your unsaved changes are back in the editor.');
        state.editor.focus();
      }},
      {label: 'Discard them', run: () => { drafts.remove(state.doc.path); renderFiles(); }},
    ]);
  }

  // ---- the document -------------------------------------------------------------------------

  function showDocument() {
    const doc = state.doc;
    $('#doc-name').textContent = doc.name;
    document.title = doc.name + ' — gfmdreport';
    $('#format-name').textContent = '· ' + window.GfmdEditor.NAMES[doc.format];
    showSaveState();
    renderFiles();
  }

  function showSaveState(text) {
    const node = $('#save-state');
    const changed = dirty();
    node.classList.toggle('dirty', changed);
    if (text) {
      node.textContent = text;
    } else if (!state.config || !state.config.folder) {
      node.textContent = changed ? 'Kept in this browser' : '';
    } else if (!state.doc.path) {
      node.textContent = 'Not saved yet';
    } else {
      node.textContent = changed ? 'Unsaved changes' : 'Saved';
    }
  }

  function setDocument(doc, text) {
    hideBanner('draft');
    state.doc = doc;
    state.editor.load(text, doc.format);
    state.problems = [];
    state.frame.anchors = null;
    showDocument();
    previewSoon(0);
  }

  async function openFile(path) {
    if (state.opening === path) return;
    state.opening = path;
    try {
      const response = await request('GET', '/api/files/' + encodePath(path));
      const data = await json(response);
      if (!response.ok) {
        showBanner('open', 'error', `${path} cannot be opened: ${errorMessage(data, '')}`);
        return;
      }
      hideBanner('open');
      setDocument({path, format: data.format, version: data.version, baseline: data.text,
                   name: path}, data.text);
      const draft = drafts.get(path);
      if (draft && draft.text !== data.text) offerDraft(draft);
      else if (draft) drafts.remove(path);
    } catch (e) {
      serverLost();
    } finally {
      state.opening = null;
    }
  }

  async function openNew(language, text) {
    if (text === undefined) {
      const response = await request('GET', '/api/template?' + query({language}));
      text = (await json(response)).text || '';
    }
    setDocument({path: null, format: 'md', version: null, baseline: text, name: 'New notes'},
                text);
    return text;
  }

  function encodePath(path) {
    return path.split('/').map(encodeURIComponent).join('/');
  }

  async function route() {
    if (state.ignoreHash) {
      state.ignoreHash = false;
      return;
    }
    const match = location.hash.match(/^#file=(.+)$/);
    if (match && state.config.folder) {
      await openFile(decodeURIComponent(match[1]));
      return;
    }
    await startNew();
  }

  async function startNew() {
    const draft = drafts.get(null);
    const preferred = (navigator.language || 'en').slice(0, 2);
    const language = state.config.templates.includes(preferred) ? preferred : 'en';
    await openNew(language);
    if (draft && draft.text !== state.doc.baseline) offerDraft(draft);
  }

  // ---- the preview ------------------------------------------------------------------------

  function previewSoon(delay = PREVIEW_DELAY) {
    window.clearTimeout(state.previewTimer);
    state.previewTimer = window.setTimeout(runPreview, delay);
  }

  async function runPreview() {
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    const controller = state.controller = new AbortController();
    const url = '/api/preview?' + notesQuery({editor: state.editorId, seq});
    $('#preview-state').textContent = 'Updating…';
    performance.mark('gfmd-preview-' + seq);
    let response;
    let data;
    try {
      response = await request('POST', url, {
        body: state.editor.text(), signal: controller.signal,
        headers: {'Content-Type': 'text/plain; charset=utf-8'}});
      data = await json(response);
    } catch (e) {
      if (e.name === 'AbortError') return;
      serverLost();
      return;
    }
    if (state.offline) serverBack();
    if (data.superseded || seq !== state.seq) return;
    if (!response.ok) {
      const list = data.diagnostics || [{severity: 'error', rule: data.error.rule,
                                        message: errorMessage(data, 'the preview failed')}];
      showProblems(list, []);
      markStale(errorMessage(data, 'The preview failed.'));
      return;
    }
    state.readable = data.html !== null;
    state.filename = data.filename;
    showProblems(data.diagnostics, data.render);
    if (data.language) $('#language-select').value = data.language;
    if (data.html === null) {
      markStale('The notes cannot be read as they are: the report shows the last version ' +
                'that could be. See Problems.');
      return;
    }
    $('#report-pane').classList.remove('stale');
    $('#preview-state').classList.remove('stale');
    $('#preview-state').textContent = state.counts.error
      ? problemText(state.counts.error, 'error') + ' to fix before downloading'
      : 'Up to date';
    state.frame.measure = 'gfmd-preview-' + seq;
    showPreview(data.html, data.lines);
  }

  function markStale(text) {
    $('#report-pane').classList.add('stale');
    const node = $('#preview-state');
    node.classList.add('stale');
    node.textContent = text;
  }

  function serverLost() {
    if (!state.offline) {
      state.offline = true;
      showBanner('offline', 'error', 'The gfmdreport server does not answer. Your notes ' +
                 'are kept in this browser; they will be checked again as soon as it is ' +
                 'back (start it again with gfmdreport serve if it was stopped).');
      markStale('Waiting for the server…');
    }
    keepDraft();
    window.clearTimeout(state.previewTimer);
    state.previewTimer = window.setTimeout(runPreview, 3000);
  }

  function serverBack() {
    state.offline = false;
    hideBanner('offline');
    announce('The server answers again.');
  }

  function showPreview(html, lines) {
    const frame = $('#preview');
    const parsed = new DOMParser().parseFromString(html, 'text/html');
    const styleNode = parsed.querySelector('style');
    const style = styleNode ? styleNode.textContent : '';
    state.frame.lines = lines;
    const doc = frame.contentDocument;
    if (!state.frame.ready || style !== state.frame.style || !doc || !doc.body) {
      state.frame.ready = false;
      state.frame.style = style;
      frame.srcdoc = html;
      return;
    }
    doc.documentElement.lang = parsed.documentElement.lang;
    doc.title = parsed.title;
    doc.body.replaceChildren(...Array.from(parsed.body.childNodes,
                                           (node) => doc.importNode(node, true)));
    framePrepared(doc);
  }

  function frameLoaded() {
    const frame = $('#preview');
    const doc = frame.contentDocument;
    if (!doc || !frame.srcdoc) return;
    state.frame.ready = true;
    doc.addEventListener('click', previewClick);
    doc.addEventListener('dblclick', previewDoubleClick);
    frame.contentWindow.addEventListener('scroll', () => scrolled('preview'), {passive: true});
    framePrepared(doc);
  }

  /* Give each element the line of the notes it comes from (in this page only: the
     report itself has no such attribute), then bring the report to the editor's place. */
  function framePrepared(doc) {
    const elements = doc.querySelectorAll(state.config.sync_selector);
    const lines = state.frame.lines;
    if (elements.length === lines.length) {
      elements.forEach((element, i) => { element.dataset.line = lines[i]; });
    }
    state.frame.anchors = null;
    syncFrom('editor');
    if (state.frame.measure) {
      // from the request to the report shown: a performance measure the browser's
      // developer tools list, and bench/serve.py reads
      performance.measure('gfmd-preview', state.frame.measure);
      performance.clearMarks(state.frame.measure);
      state.frame.measure = null;
    }
  }

  function previewClick(event) {
    const link = event.target.closest('a[href]');
    if (!link) return;
    event.preventDefault();
    const href = link.getAttribute('href');
    if (/^(https?:|mailto:)/i.test(href)) window.open(href, '_blank', 'noopener,noreferrer');
  }

  function previewDoubleClick(event) {
    const element = event.target.closest('[data-line]');
    if (element) state.editor.goTo(Number(element.dataset.line), 1);
  }

  // ---- scrolling in step ------------------------------------------------------------------

  /* Pairs of (line of the notes, height in the report), increasing in both. */
  function anchors() {
    if (state.frame.anchors) return state.frame.anchors;
    const frame = $('#preview');
    const doc = frame.contentDocument;
    const win = frame.contentWindow;
    if (!doc || !doc.body) return [];
    const found = Array.from(doc.querySelectorAll('[data-line]'), (element) => ({
      line: Number(element.dataset.line),
      top: element.getBoundingClientRect().top + win.scrollY,
    })).sort((a, b) => a.line - b.line || a.top - b.top);
    const list = [{line: 1, top: 0}];
    for (const anchor of found) {
      const last = list[list.length - 1];
      if (anchor.line > last.line && anchor.top > last.top) list.push(anchor);
    }
    const end = doc.documentElement.scrollHeight - win.innerHeight;
    list.push({line: state.editor.lineCount() + 1, top: Math.max(end, list[list.length - 1].top)});
    state.frame.anchors = list;
    return list;
  }

  function interpolate(list, value, from, to) {
    for (let i = 0; i < list.length - 1; i++) {
      const a = list[i];
      const b = list[i + 1];
      if (value < b[from] || i === list.length - 2) {
        const span = b[from] - a[from] || 1;
        const fraction = Math.max(0, Math.min(1, (value - a[from]) / span));
        return a[to] + fraction * (b[to] - a[to]);
      }
    }
    return 0;
  }

  function scrolled(source) {
    if (state.scroll.source && state.scroll.source !== source &&
        performance.now() < state.scroll.until) return;
    if (state.scroll.pending) return;
    state.scroll.pending = true;
    window.requestAnimationFrame(() => {
      state.scroll.pending = false;
      syncFrom(source);
    });
  }

  function syncFrom(source) {
    const win = $('#preview').contentWindow;
    const list = anchors();
    if (!win || list.length < 2) return;
    state.scroll.source = source;
    state.scroll.until = performance.now() + 150;
    if (source === 'editor') {
      win.scrollTo(0, interpolate(list, state.editor.topLine(), 'line', 'top'));
    } else {
      state.editor.scrollToLine(interpolate(list, win.scrollY, 'top', 'line'));
    }
  }

  // ---- problems -------------------------------------------------------------------------------

  function showProblems(diagnostics, render) {
    const list = [...diagnostics.map((d) => ({...d, from: 'notes'})),
                  ...(render || []).map((d) => ({...d, from: 'report'}))];
    const counts = {error: 0, warning: 0, info: 0};
    for (const d of list) counts[d.severity] = (counts[d.severity] || 0) + 1;
    const before = state.counts;
    state.problems = list;
    state.counts = counts;
    state.editor.setProblems(list.filter((d) => !d.file));
    const node = $('#problem-list');
    node.replaceChildren(...list.map(problemItem));
    if (!list.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'No problems: the report is ready.';
      node.append(li);
    }
    const summary = list.length
      ? [counts.error && problemText(counts.error, 'error'),
         counts.warning && problemText(counts.warning, 'warning'),
         counts.info && problemText(counts.info, 'note')].filter(Boolean).join(', ')
      : 'none';
    $('#problem-count').textContent = '(' + summary + ')';
    if (before.error !== counts.error || before.warning !== counts.warning) renderFiles();
    if (before.error !== counts.error || before.warning !== counts.warning) {
      announce('Problems: ' + summary + '.');
    }
    cursorMoved(state.editor.cursorLine());
  }

  function problemItem(problem) {
    const li = document.createElement('li');
    const jumps = problem.line && !problem.file;
    const item = document.createElement(jumps ? 'button' : 'div');
    if (jumps) {
      item.type = 'button';
      item.dataset.line = problem.line;
      item.addEventListener('click', () => state.editor.goTo(problem.line, problem.column));
    }
    item.className = 'problem ' + problem.severity;
    const parts = [
      ['severity', problem.severity],
      ['where', problem.file ? problem.file + (problem.line ? ':' + problem.line : '')
        : problem.line ? 'Line ' + problem.line
          : problem.from === 'report' ? 'Report' : 'Notes'],
      ['message', problem.message],
    ];
    for (const [cls, text] of parts) {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      item.append(span);
    }
    const rule = document.createElement('span');
    rule.className = 'rule';
    rule.textContent = problem.rule;
    item.querySelector('.message').append(' ', rule);
    if (problem.hint) {
      const fix = document.createElement('span');
      fix.className = 'fix';
      fix.textContent = problem.hint;
      item.append(fix);
    }
    li.append(item);
    return li;
  }

  function cursorMoved(line) {
    const here = state.problems.filter((p) => p.line === line && !p.file);
    const node = $('#cursor-problem');
    node.classList.toggle('has-problem', here.length > 0);
    node.textContent = here.length
      ? `Line ${line}: ${here[0].severity} ${here[0].rule}: ${here[0].message}` +
        (here.length > 1 ? ` (and ${here.length - 1} more)` : '')
      : `Line ${line}`;
  }

  function nextProblem(direction) {
    const lines = [...new Set(state.problems.filter((p) => p.line && !p.file)
                                  .map((p) => p.line))].sort((a, b) => a - b);
    if (!lines.length) {
      announce('No problems.');
      return;
    }
    const here = state.editor.cursorLine();
    const next = direction > 0
      ? lines.find((n) => n > here) || lines[0]
      : [...lines].reverse().find((n) => n < here) || lines[lines.length - 1];
    const problem = state.problems.find((p) => p.line === next && !p.file);
    state.editor.goTo(next, problem.column);
  }

  // ---- saving -------------------------------------------------------------------------------

  async function save() {
    if (!state.config.folder) {
      downloadNotes();
      return;
    }
    if (!state.doc.path) {
      openSaveDialog();
      return;
    }
    await put(state.doc.path, state.editor.text(), {'If-Match': state.doc.version});
  }

  async function put(path, text, conditions) {
    if (state.saving) return false;  // one save at a time: a second would conflict
    state.saving = true;
    try {
      return await putNow(path, text, conditions);
    } finally {
      state.saving = false;
    }
  }

  async function putNow(path, text, conditions) {
    showSaveState('Saving…');
    let response;
    try {
      response = await request('PUT', '/api/files/' + encodePath(path), {
        body: text, headers: {...conditions, 'Content-Type': 'text/plain; charset=utf-8'}});
    } catch (e) {
      serverLost();
      showSaveState('Not saved: the server does not answer');
      return false;
    }
    const data = await json(response);
    if (response.status === 412 && conditions['If-None-Match']) {
      showSaveState();
      return 'exists';
    }
    if (response.status === 412) {
      showSaveState('Not saved: changed elsewhere');
      showConflict(path, text, data.theirs);
      return false;
    }
    if (!response.ok) {
      showSaveState('Not saved');
      showBanner('save', 'error', `${path} was not saved: ${errorMessage(data, '')}`);
      return false;
    }
    hideBanner('save');
    const previous = state.doc.path;
    state.doc.version = data.version;
    state.doc.baseline = text;
    if (previous !== path) {
      drafts.remove(previous);
      state.doc.path = path;
      state.doc.name = path;
      if (location.hash !== '#file=' + encodeURIComponent(path)) {
        state.ignoreHash = true;
        location.hash = 'file=' + encodeURIComponent(path);
      }
    }
    if (state.editor.text() === text) drafts.remove(path);
    else keepDraft();
    showDocument();
    announce(path + ' saved.');
    loadFiles();
    return true;
  }

  function openSaveDialog() {
    const dialog = $('#save-dialog');
    const base = (state.filename || 'notes').replace(/[\\/]+/g, ' ').trim() || 'notes';
    $('#save-folder').textContent = state.config.folder;
    $('#save-name').value = base + FORMAT_SUFFIX[state.doc.format];
    $('#save-error').textContent = '';
    dialog.showModal();
    $('#save-name').select();
  }

  async function saveDialogClosed(event) {
    const dialog = $('#save-dialog');
    if (dialog.returnValue !== 'save') return;
    const name = $('#save-name').value.trim();
    const problem = checkName(name);
    if (problem) {
      $('#save-error').textContent = problem;
      dialog.showModal();
      return;
    }
    const done = await put(name, state.editor.text(), {'If-None-Match': '*'});
    if (done === 'exists') {
      $('#save-error').textContent = `${name} already exists: choose another name, or ` +
        'open that file from the list.';
      dialog.showModal();
    }
  }

  function checkName(name) {
    if (!name) return 'Give the file a name.';
    const suffix = FORMAT_SUFFIX[state.doc.format];
    if (!name.toLowerCase().endsWith(suffix) &&
        !(state.doc.format === 'yaml' && name.toLowerCase().endsWith('.yml'))) {
      return `The notes are ${window.GfmdEditor.NAMES[state.doc.format]}: end the name ` +
        `in ${suffix}.`;
    }
    if (name.startsWith('/') || name.split('/').some((p) => !p || p === '.' || p === '..' ||
                                                     p.startsWith('.'))) {
      return 'Give a name inside the folder: no leading / or dot, no "..".';
    }
    return '';
  }

  function showConflict(path, mine, theirs) {
    const dialog = $('#conflict-dialog');
    $('#conflict-mine').value = mine;
    $('#conflict-theirs').value = theirs.text === null ? '(the file was deleted)' : theirs.text;
    renderDiff($('#conflict-diff'), theirs.text || '', mine);
    dialog.dataset.path = path;
    state.conflict = {path, mine, theirs};
    dialog.showModal();
  }

  async function conflictClosed() {
    const dialog = $('#conflict-dialog');
    const conflict = state.conflict;
    state.conflict = null;
    if (!conflict) return;
    if (dialog.returnValue === 'mine') {
      const condition = conflict.theirs.version === null ? {'If-None-Match': '*'}
        : {'If-Match': conflict.theirs.version};
      await put(conflict.path, conflict.mine, condition);
    } else if (dialog.returnValue === 'theirs' && conflict.theirs.text !== null) {
      state.doc.version = conflict.theirs.version;
      state.doc.baseline = conflict.theirs.text;
      state.editor.replace(conflict.theirs.text);
      keepDraft();
      showDocument();
      announce('The version in the folder is in the editor; Ctrl+Z brings yours back.');
    } else {
      showSaveState('Not saved: changed elsewhere');
    }
  }

  /* A line diff of two texts (longest common subsequence; long texts are compared by
     their changed middle only). */
  function renderDiff(node, before, after) {
    const a = before.split('\n');
    const b = after.split('\n');
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let end = 0;
    while (end < a.length - start && end < b.length - start &&
           a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
    const x = a.slice(start, a.length - end);
    const y = b.slice(start, b.length - end);
    const out = [];
    if (x.length * y.length > 4e6) {
      x.forEach((line) => out.push(['del', line]));
      y.forEach((line) => out.push(['ins', line]));
    } else {
      const table = Array.from({length: x.length + 1}, () => new Uint32Array(y.length + 1));
      for (let i = x.length - 1; i >= 0; i--) {
        for (let j = y.length - 1; j >= 0; j--) {
          table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1
            : Math.max(table[i + 1][j], table[i][j + 1]);
        }
      }
      let i = 0;
      let j = 0;
      while (i < x.length || j < y.length) {
        if (i < x.length && j < y.length && x[i] === y[j]) { out.push(['same', x[i]]); i++; j++; }
        else if (j < y.length && (i === x.length || table[i][j + 1] >= table[i + 1][j])) {
          out.push(['ins', y[j++]]);
        } else out.push(['del', x[i++]]);
      }
    }
    node.replaceChildren(...out.map(([kind, line]) => {
      const span = document.createElement('span');
      span.className = kind;
      span.textContent = (kind === 'del' ? '− ' : kind === 'ins' ? '+ ' : '  ') + line + '\n';
      return span;
    }));
    if (!out.length) node.textContent = 'The two versions are the same.';
    node.setAttribute('aria-label', `Line ${start + 1} onwards: lines marked − are only in ` +
                      'the folder, lines marked + only in yours');
  }

  // ---- downloads and uploads --------------------------------------------------------------

  async function download(to) {
    $('#formats-menu').open = false;
    let response;
    try {
      response = await request('POST', '/api/export/' + to + '?' + notesQuery(), {
        body: state.editor.text(), headers: {'Content-Type': 'text/plain; charset=utf-8'}});
    } catch (e) {
      serverLost();
      return;
    }
    if (!response.ok) {
      const data = await json(response);
      if (response.status === 422 && data.diagnostics) {
        showProblems(data.diagnostics, data.render);
        showBanner('download', 'error', 'Not downloaded: ' + errorMessage(data, '') +
                   ' They are listed under Problems.');
        const first = document.querySelector('#problem-list button');
        if (first) first.focus();
      } else {
        showBanner('download', 'error', 'Not downloaded: ' + errorMessage(data, 'the ' +
                   'server refused it') + '.');
      }
      return;
    }
    hideBanner('download');
    const name = filenameOf(response.headers.get('Content-Disposition')) || 'summary';
    saveBlob(await response.blob(), name);
    announce(name + ' downloaded.');
  }

  function filenameOf(disposition) {
    if (!disposition) return null;
    const exact = disposition.match(/filename\*=UTF-8''([^;]+)/i);
    if (exact) return decodeURIComponent(exact[1]);
    const plain = disposition.match(/filename="([^"]*)"/i);
    return plain ? plain[1] : null;
  }

  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  function downloadNotes() {
    const name = (state.filename || 'notes') + FORMAT_SUFFIX[state.doc.format];
    saveBlob(new Blob([state.editor.text()], {type: 'text/plain;charset=utf-8'}), name);
    announce(name + ' downloaded.');
  }

  async function upload(file) {
    if (file.size > state.config.input_bytes) {
      showBanner('upload', 'error', `${file.name} is larger than the input size limit ` +
                 `(${state.config.input_bytes.toLocaleString()} bytes).`);
      return;
    }
    let response;
    try {
      response = await request('POST', '/api/import?' + query({name: file.name}), {
        body: file, headers: {'Content-Type': 'application/octet-stream'}});
    } catch (e) {
      serverLost();
      return;
    }
    const data = await json(response);
    if (!response.ok) {
      showBanner('upload', 'error', `${file.name} cannot be used: ` +
                 errorMessage(data, 'the server refused it'));
      return;
    }
    hideBanner('upload');
    keepDraft();
    if (location.hash) {
      state.ignoreHash = true;
      history.replaceState(null, '', location.pathname);
    }
    setDocument({path: null, format: data.format, version: null, baseline: '',
                 name: 'New notes from ' + data.name}, data.text);
    announce(data.from === data.format ? `${data.name} is in the editor.`
      : `${data.name} was read back into notes; they are in the editor.`);
  }

  // ---- the folder -----------------------------------------------------------------------------

  async function loadFiles() {
    if (!state.config.folder) return;
    window.clearTimeout(state.filesTimer);
    let data;
    try {
      const response = await request('GET', '/api/files');
      data = await json(response);
      if (!response.ok) throw new Error(errorMessage(data, 'the files cannot be listed'));
    } catch (e) {
      return;
    }
    state.files = data.files;
    renderFiles();
    const notices = $('#folder-notices');
    notices.replaceChildren(...data.notices.map((n) => {
      const li = document.createElement('li');
      li.textContent = (n.file ? n.file + ': ' : '') + n.message;
      return li;
    }));
    if (data.pending) state.filesTimer = window.setTimeout(loadFiles, 1000);
  }

  function renderFiles() {
    if (!state.config || !state.config.folder) return;
    const list = $('#file-list');
    const labels = {clean: () => 'No problems', pending: () => 'Checking…',
                    warnings: (c) => problemText(c.warning, 'warning'),
                    errors: (c) => problemText(c.error, 'error')};
    list.replaceChildren(...state.files.map((file) => {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = '#file=' + encodeURIComponent(file.path);
      if (file.path === state.doc.path) link.setAttribute('aria-current', 'page');
      const name = document.createElement('span');
      name.className = 'file-name';
      name.textContent = file.path;
      // the file open here with changes: its state as it is in the editor
      const live = file.path === state.doc.path && dirty() && state.readable;
      const shown = live ? (state.counts.error ? 'errors' : state.counts.warning
        ? 'warnings' : 'clean') : file.state;
      const badge = document.createElement('span');
      badge.className = 'state state-' + shown;
      badge.textContent = labels[shown](live ? state.counts : file.counts || {});
      link.append(name, badge);
      const draft = drafts.get(file.path);
      if (draft && (file.path !== state.doc.path || dirty())) {
        const note = document.createElement('span');
        note.className = 'draft';
        note.textContent = 'Unsaved changes in this browser';
        link.append(note);
      }
      li.append(link);
      return li;
    }));
    if (!state.files.length) {
      const li = document.createElement('li');
      li.className = 'folder-notices';
      li.textContent = 'No notes files yet: write new notes and save them here.';
      list.append(li);
    }
  }

  // ---- the controls -----------------------------------------------------------------------

  function buildControls() {
    const config = state.config;
    const select = $('#language-select');
    for (const code of config.languages) {
      const option = document.createElement('option');
      option.value = code;
      option.lang = code;
      option.textContent = LANGUAGE_NAMES[code] || code;
      select.append(option);
    }
    select.addEventListener('change', changeLanguage);
    const list = $('#formats-list');
    for (const writer of config.writers) {
      if (writer.name === 'docx') continue;
      list.append(menuItem(WRITER_NAMES[writer.name] || writer.description || writer.name,
                           writer.suffix, () => download(writer.name), 'download-' + writer.name));
    }
    list.append(menuItem('The notes as typed', '', downloadNotes, 'download-notes'));
    if (!config.writers.some((w) => w.name === 'docx')) $('#download-docx').hidden = true;
    $('#download-docx').addEventListener('click', () => download('docx'));
    if (config.reference_doc) {
      $('#download-docx').title = 'In the secretariat\'s Word template';
    }
    $('#new-button').addEventListener('click', () => {
      $('#new-warning').hidden = !(state.doc.path === null && dirty());
      const preferred = $('#language-select').value;
      const radio = document.querySelector(`#new-dialog input[value="${preferred}"]`);
      if (radio) radio.checked = true;
      $('#new-dialog').showModal();
    });
    $('#new-dialog').addEventListener('close', async () => {
      if ($('#new-dialog').returnValue !== 'create') return;
      const language = new FormData($('#new-dialog form')).get('language');
      keepDraft();
      if (location.hash) {
        state.ignoreHash = true;
        history.replaceState(null, '', location.pathname);
      }
      drafts.remove(null);
      await openNew(language);
      state.editor.focus();
    });
    $('#upload-input').accept = config.uploads.join(',');
    $('#upload-button').addEventListener('click', () => $('#upload-input').click());
    $('#upload-input').addEventListener('change', () => {
      const file = $('#upload-input').files[0];
      $('#upload-input').value = '';
      if (file) upload(file);
    });
    $('#save-dialog').addEventListener('close', saveDialogClosed);
    $('#conflict-dialog').addEventListener('close', conflictClosed);
    $('#save-button').addEventListener('click', save);
    $('#preview').addEventListener('load', frameLoaded);
    $('#show-notes').addEventListener('click', () => showPane('notes'));
    $('#show-report').addEventListener('click', () => showPane('report'));
    document.addEventListener('keydown', (event) => {
      if (event.defaultPrevented) return;  // the editor took it
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        save();
      }
    });
    document.addEventListener('click', (event) => {
      const menu = $('#formats-menu');
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    $('#formats-menu').addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        $('#formats-menu').open = false;
        $('#formats-menu summary').focus();
      }
    });
    if (config.folder) {
      $('#files').hidden = false;
      $('#save-button').hidden = false;
      $('#files-toggle').hidden = false;
      $('#workspace').classList.add('with-files');
      const parts = config.folder.replace(/[\\/]+$/, '').split(/[\\/]/);
      $('#folder-name').textContent = parts[parts.length - 1] || config.folder;
      $('#folder-name').title = config.folder;
      $('#files-toggle').addEventListener('click', toggleFiles);
      if (window.matchMedia('(max-width: 56rem)').matches) toggleFiles();
      window.addEventListener('focus', loadFiles);
    }
    window.addEventListener('resize', () => { state.frame.anchors = null; });
    window.addEventListener('beforeunload', (event) => {
      keepDraft();
      if (dirty() && state.config.folder) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
    window.addEventListener('hashchange', () => {
      if (location.hash && !location.hash.startsWith('#file=')) return;
      keepDraft();
      route();
    });
    $('.skip-link').addEventListener('click', (event) => {
      event.preventDefault();  // the address keeps naming the file
      state.editor.focus();
    });
  }

  function menuItem(label, suffix, run, id) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button quiet';
    button.id = id;
    const name = document.createElement('span');
    name.textContent = label;
    button.append(name);
    if (suffix) {
      const tail = document.createElement('span');
      tail.className = 'suffix';
      tail.textContent = suffix;
      button.append(tail);
    }
    button.addEventListener('click', run);
    li.append(button);
    return li;
  }

  function toggleFiles() {
    const button = $('#files-toggle');
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    $('#files').hidden = !open;
    $('#workspace').classList.toggle('with-files', open);
    state.frame.anchors = null;
  }

  function showPane(which) {
    document.body.classList.toggle('show-report', which === 'report');
    $('#show-notes').setAttribute('aria-pressed', String(which === 'notes'));
    $('#show-report').setAttribute('aria-pressed', String(which === 'report'));
    state.frame.anchors = null;
    if (which === 'report') syncFrom('editor');
  }

  async function changeLanguage() {
    const code = $('#language-select').value;
    let response;
    try {
      response = await request('POST', '/api/language?' + query({format: state.doc.format,
                                                                 language: code}), {
        body: state.editor.text(), headers: {'Content-Type': 'text/plain; charset=utf-8'}});
    } catch (e) {
      serverLost();
      return;
    }
    const data = await json(response);
    if (!response.ok) {
      showBanner('language', 'error', 'The language was not changed: ' +
                 errorMessage(data, ''));
      return;
    }
    hideBanner('language');
    state.editor.replace(data.text);
    announce('The report is now in ' + (LANGUAGE_NAMES[code] || code) + '.');
  }

  // ---- start ----------------------------------------------------------------------------------

  async function start() {
    let response;
    try {
      response = await request('GET', '/api/config');
    } catch (e) {
      showBanner('offline', 'error', 'The gfmdreport server does not answer: start it ' +
                 'again with gfmdreport serve, then reload this page.');
      return;
    }
    state.config = await json(response);
    state.editor = window.GfmdEditor.create($('#editor'), {
      onChange() {
        showSaveState();
        window.clearTimeout(state.draftTimer);
        state.draftTimer = window.setTimeout(() => { keepDraft(); renderFiles(); },
                                             DRAFT_DELAY);
        previewSoon();
      },
      onCursor: cursorMoved,
      onScroll: () => scrolled('editor'),
      onSave: save,
      onNextProblem: nextProblem,
    });
    buildControls();
    loadFiles();
    await route();
    document.body.dataset.ready = 'true';
  }

  start();
}());
