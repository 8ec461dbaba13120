// Widget settings: a live preview of the theme and the contrast of text on the primary colour while picking,
// computed as WCAG 2.2 does (the registry checks it again when saving).
(() => {
  'use strict';
  const form = document.getElementById('widget-form');
  const preview = document.getElementById('widget-preview');
  const contrast = document.getElementById('contrast');
  if (!form || !preview || !contrast) return;
  const source = (name) => form.querySelector(`[data-preview-source="${name}"]`);
  const target = (name) => preview.querySelector(`[data-preview="${name}"]`);
  const hex = /^#[0-9a-fA-F]{6}$/;

  const channel = (c) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (colour) => {
    const rgb = parseInt(colour.slice(1), 16);
    return 0.2126 * channel(rgb >> 16) + 0.7152 * channel((rgb >> 8) & 0xff) + 0.0722 * channel(rgb & 0xff);
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)]; return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const readableOn = (bg) => (ratio('#000000', bg) >= ratio('#ffffff', bg) ? '#000000' : '#ffffff');
  // As the registry quotes it: never rounded up to the 4.5 it misses.
  const format = (r) => `${(r < 4.5 ? Math.min(Math.round(r * 100) / 100, 4.49) : Math.round(r * 100) / 100).toFixed(2)}:1`;

  function update() {
    const primary = hex.test(source('primary').value) ? source('primary').value.toLowerCase() : '#2563eb';
    const chosen = source('text').value.trim();
    const text = hex.test(chosen) ? chosen.toLowerCase() : readableOn(primary);
    const r = ratio(text, primary);
    preview.style.setProperty('--wp-primary', primary);
    preview.style.setProperty('--wp-text', text);
    const radius = Number(source('radius').value);
    if (Number.isFinite(radius)) preview.style.setProperty('--wp-radius', `${Math.min(40, Math.max(0, radius))}px`);
    if (source('font').value.trim()) preview.style.setProperty('--wp-font', source('font').value.trim());
    preview.classList.toggle('dark', source('dark').checked);
    preview.dataset.position = source('position').value;
    target('title').textContent = source('title').value;
    target('welcome').textContent = source('welcome').value;
    target('placeholder').textContent = source('placeholder').value;
    const chips = target('questions');
    chips.replaceChildren(...source('questions').value.split('\n').map((q) => q.trim()).filter(Boolean).slice(0, 6).map((q) => {
      const li = document.createElement('li');
      li.textContent = q;
      return li;
    }));
    if (chosen && !hex.test(chosen)) {
      contrast.textContent = 'Write the text colour as #rrggbb, or leave it empty.';
      contrast.className = 'contrast fails';
      return;
    }
    const auto = chosen ? '' : ` with automatic ${text === '#000000' ? 'black' : 'white'} text`;
    contrast.textContent = r >= 4.5
      ? `Contrast ${format(r)}${auto}: passes WCAG 2.2 AA`
      : `Contrast ${format(r)}: below the 4.5:1 that WCAG 2.2 AA needs. Choose another colour, or leave the text colour empty.`;
    contrast.className = `contrast ${r >= 4.5 ? 'passes' : 'fails'}`;
  }

  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
})();
