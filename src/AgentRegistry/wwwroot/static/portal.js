// Progressive enhancement shared by every portal page. The pages work without it; nothing here is inline,
// so the pages run under script-src 'self'.
(() => {
  'use strict';

  // Copy buttons: data-copy names the element whose text is copied.
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-copy]');
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    const status = button.parentElement.querySelector('.copy-status');
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = 'Copied.';
    } catch {
      // No clipboard access: select the text so it can be copied by hand.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (status) status.textContent = 'Selected: press Ctrl+C (or Cmd+C) to copy.';
    }
  });

  // Forms that destroy something ask first.
  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // A table wider than the screen scrolls sideways; make that region reachable and named for keyboard users.
  const regions = () => {
    for (const wrap of document.querySelectorAll('.table-wrap')) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute('role', 'region');
        wrap.setAttribute('aria-label', wrap.querySelector('caption')?.textContent.trim() || 'Table');
      } else {
        wrap.removeAttribute('tabindex');
        wrap.removeAttribute('role');
        wrap.removeAttribute('aria-label');
      }
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', regions); else regions();
  window.addEventListener('resize', regions);

  /** The page's antiforgery token, sent as a header by the scripts' own requests. */
  window.AgentRegistryPortal = {
    token: (root) => (root || document).querySelector('input[name="__RequestVerificationToken"]')?.value || '',
    regions,
  };
})();
