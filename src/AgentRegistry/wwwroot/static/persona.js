// The persona page's try-it chat: the saved persona answers through the registry's chat pipeline, streamed as
// server-sent events, and the answer is written as text (never as markup).
(() => {
  'use strict';
  const section = document.getElementById('try');
  const form = document.getElementById('try-form');
  if (!section || !form) return;
  section.hidden = false;
  const input = document.getElementById('try-message');
  const transcript = document.getElementById('try-transcript');
  const error = document.getElementById('try-error');
  const send = document.getElementById('try-send');
  const status = document.createElement('p');
  status.className = 'sr-only';
  status.setAttribute('role', 'status');
  section.append(status);
  let conversation = null;

  const add = (role, text) => {
    const item = document.createElement('li');
    item.className = `msg ${role}`;
    const who = document.createElement('p');
    who.className = 'who';
    who.textContent = role === 'user' ? 'You' : 'Agent';
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    item.append(who, body);
    transcript.append(item);
    transcript.scrollTop = transcript.scrollHeight;
    return { item, body };
  };

  const cite = (item, citations) => {
    if (!citations || citations.length === 0) return;
    const list = document.createElement('ol');
    list.className = 'citations';
    for (const c of citations) {
      const li = document.createElement('li');
      li.value = c.number;
      li.textContent = c.title;
      list.append(li);
    }
    const label = document.createElement('p');
    label.className = 'muted';
    label.textContent = 'Cited:';
    item.append(label, list);
  };

  async function readEvents(response, on) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) on(name, JSON.parse(data));
      }
    }
  }

  document.getElementById('try-new')?.addEventListener('click', () => {
    conversation = null;
    transcript.replaceChildren();
    error.textContent = '';
    input.focus();
  });

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) {
      error.textContent = 'Write a question first.';
      input.focus();
      return;
    }
    error.textContent = '';
    send.disabled = true;
    add('user', message);
    const answer = add('assistant', '');
    answer.item.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json', Accept: 'text/event-stream',
          RequestVerificationToken: window.AgentRegistryPortal.token(form),
        },
        body: JSON.stringify({ message, conversationId: conversation }),
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new Error(problem?.detail || problem?.title || `The agent could not answer (${response.status}).`);
      }
      input.value = '';
      await readEvents(response, (name, data) => {
        if (name === 'delta') {
          answer.body.textContent += data.text;
          transcript.scrollTop = transcript.scrollHeight;
        } else if (name === 'done') {
          conversation = data.conversation_id;
          cite(answer.item, data.citations);
          status.textContent = `The agent answered: ${answer.body.textContent}`;
        } else if (name === 'error') {
          throw new Error(data.title);
        }
      });
    } catch (e) {
      if (!answer.body.textContent) answer.item.remove();
      error.textContent = e.message;
    } finally {
      answer.item.removeAttribute('aria-busy');
      send.disabled = false;
      input.focus();
    }
  });
})();
