// Training documents: drag-and-drop or chosen files are uploaded one request each with a progress bar, and the
// list's statuses update in place (the page's own HTML is fetched again) until every document is settled.
(() => {
  'use strict';
  const form = document.getElementById('upload-form');
  if (!form) return;
  const input = document.getElementById('upload-files');
  const zone = document.getElementById('dropzone');
  const uploads = document.getElementById('uploads');
  const max = Number(form.dataset.maxBytes);
  const size = (bytes) => bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const busy = (root) => root.querySelectorAll('#documents [data-status="queued"], #documents [data-status="processing"]').length > 0;
  const watched = new Map(); // document id -> the upload's state element

  function entry(file) {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = `${file.name} (${size(file.size)})`;
    const state = document.createElement('span');
    state.className = 'upload-state';
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute('aria-label', `Upload of ${file.name}`);
    item.append(name, state, progress);
    uploads.append(item);
    return { item, state, progress };
  }

  function fail(ui, text) {
    ui.state.textContent = text;
    ui.state.className = 'upload-state failed';
    ui.progress.remove();
  }

  function upload(file) {
    const ui = entry(file);
    if (file.size > max) {
      fail(ui, `Not uploaded: larger than the limit of ${size(max)}.`);
      return;
    }
    ui.state.textContent = 'Uploading…';
    const data = new FormData();
    data.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('RequestVerificationToken', window.AgentRegistryPortal.token(form));
    request.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) ui.progress.value = Math.round((e.loaded / e.total) * 100);
    });
    request.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status === 200 || request.status === 201) {
        ui.progress.value = 100;
        ui.state.className = 'upload-state done';
        ui.state.textContent = request.status === 201 ? 'Uploaded; processing…' : 'Already uploaded.';
        watched.set(body.id, ui.state);
        refresh();
      } else {
        fail(ui, `Not stored: ${body?.title || `the upload failed (${request.status}).`}`);
      }
    });
    request.addEventListener('error', () => fail(ui, 'Not stored: the connection failed; try again.'));
    request.send(data);
  }

  const uploadAll = (files) => { for (const file of files) upload(file); };
  input.addEventListener('change', () => { uploadAll(input.files); input.value = ''; });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.files.length === 0) { input.focus(); return; }
    uploadAll(input.files);
    input.value = '';
  });
  for (const name of ['dragenter', 'dragover']) {
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add('over'); });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    uploadAll(event.dataTransfer.files);
  });

  // Statuses: the page is fetched again and changed rows are swapped in, unless the keyboard is in them.
  let timer = null;
  let deadline = 0;
  async function refresh() {
    deadline = Date.now() + 5 * 60 * 1000;
    if (!timer) timer = setTimeout(poll, 800);
  }
  async function poll() {
    timer = null;
    let fresh;
    try {
      const response = await fetch(window.location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok) return;
      fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    } catch { return; }
    const body = document.querySelector('#documents tbody');
    const rows = [...fresh.querySelectorAll('#documents tbody tr')];
    for (const row of rows.reverse()) {
      const id = row.dataset.document;
      const current = body.querySelector(`tr[data-document="${id}"]`);
      if (!current) body.prepend(document.importNode(row, true));
      else if (current.innerHTML !== row.innerHTML && !current.contains(document.activeElement)) current.replaceWith(document.importNode(row, true));
      const state = watched.get(id);
      const status = row.querySelector('[data-status]')?.dataset.status;
      if (state && (status === 'ready' || status === 'failed')) {
        state.textContent = status === 'ready' ? 'Ready: the agent answers from it.' : `Failed: ${row.querySelector('.reason')?.textContent || 'see below.'}`;
        state.className = `upload-state ${status === 'ready' ? 'done' : 'failed'}`;
        watched.delete(id);
      }
    }
    const count = fresh.getElementById('documents-count');
    if (count) document.getElementById('documents-count').textContent = count.textContent;
    window.AgentRegistryPortal.regions();
    if ((busy(fresh) || watched.size > 0) && Date.now() < deadline) timer = setTimeout(poll, 1000);
  }
  if (busy(document)) refresh();
})();
