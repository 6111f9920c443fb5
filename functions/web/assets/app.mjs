// Enhancements only: every page works without this script.
// GOV.UK Frontend's scripts for the components the views use (the build refuses a view using another
// that has one), and the skip link's, which GOV.UK Frontend's page template gives every page.
import {
  Button,
  CharacterCount,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
} from 'govuk-frontend';

for (const Component of [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
]) {
  createAll(Component);
}

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
