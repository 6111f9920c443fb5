// Enhancements only: every page works without this script.
import { initAll } from './govuk-frontend.min.js';

initAll();

// "Add another" buttons (the officer's one-screen application): without this script each sends the form,
// which comes back with one more block; with it, the block is added in place from its <template>, whose
// placeholder becomes the block's number, and the first box of the new block takes the focus.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-app-add]') : null;
  const template = button && document.getElementById(button.dataset.appAdd ?? '');
  const container = template && document.getElementById(template.dataset.container ?? '');
  if (!(template instanceof HTMLTemplateElement) || !container) return;
  event.preventDefault();
  // Enter in a box "clicks" the form's first button: on this long form it neither adds a block nor sends.
  if (event.detail === 0 && document.activeElement !== button) return;
  const next = Number(button.dataset.appNext);
  const html = template.innerHTML.replaceAll(template.dataset.placeholder ?? '', String(next));
  const block = document.createRange().createContextualFragment(html);
  const first = block.querySelector('input, textarea, select');
  container.append(block);
  button.dataset.appNext = String(next + 1);
  if (next >= Number(button.dataset.appMax)) button.hidden = true;
  first?.focus();
});
