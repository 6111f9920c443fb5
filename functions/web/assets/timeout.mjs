// The tracking sign-in's timeout warning (GOV.UK's timeout warning pattern; WCAG 2.2.1 Timing Adjustable).
// The page says how many seconds the sign-in sent with it has to run (data-app-timeout) and whether using
// the pages can still put that off. WARNING before it ends a modal dialog opens, with the focus in it, and
// says when; "Stay signed in" (or Escape) is a use of the pages (POST /track/stay-signed-in), which renews
// the sign-in and starts the count again from what the service answers. A sign-in at its hard limit cannot
// be renewed: the dialog says so and "Continue" closes it. When the time is up the page goes to
// /track/signed-out, which says what happened. Without this script the page is as it was.
// Every tracking page renews the same sign-in, so each open page tells the others (a BroadcastChannel of
// this origin's tabs, nothing stored) when the sign-in it was sent with ends: a page left open in one tab
// does not warn, nor leave what was typed in it, while the applicant uses the pages in another.
const WARNING_SECONDS = 180;

const dialog = document.querySelector('dialog[data-app-timeout]');
if (dialog instanceof HTMLDialogElement) watch(dialog);

function watch(dialog) {
  const left = dialog.querySelector('[data-app-timeout-left]');
  const stay = dialog.querySelector('button[data-app-timeout-when="renewable"]');
  const carryOn = dialog.querySelector('button[data-app-timeout-when="final"]');
  const token = dialog.querySelector('input[name="csrfToken"]');
  let endsAt = 0;
  let final = false;
  let dismissed = false;
  let returnFocus = null;
  let renewing = false;

  const channel = 'BroadcastChannel' in window ? new BroadcastChannel('app-track-timeout') : undefined;

  const endAt = (time, isFinal) => {
    endsAt = time;
    final = isFinal;
    dismissed = false;
    for (const element of dialog.querySelectorAll('[data-app-timeout-when]')) {
      element.hidden = element.dataset.appTimeoutWhen !== (final ? 'final' : 'renewable');
    }
  };

  const countFrom = (seconds, isFinal) => {
    endAt(Date.now() + seconds * 1000, isFinal);
    channel?.postMessage({ endsAt, final });
  };

  const close = () => {
    if (!dialog.open) return;
    dialog.close();
    if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
  };

  const signedOut = () => window.location.assign('/track/signed-out');

  // Said in whole minutes, so that the live region speaks once a minute, not every second.
  const words = (seconds) => {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  };

  const tick = () => {
    const seconds = (endsAt - Date.now()) / 1000;
    if (seconds <= 0) return signedOut();
    if (seconds > WARNING_SECONDS || dismissed) return undefined;
    const said = words(seconds);
    if (left && left.textContent !== said) left.textContent = said;
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      (final ? carryOn : stay)?.focus();
    }
    return undefined;
  };

  const renew = async () => {
    if (renewing) return undefined;
    renewing = true;
    try {
      const response = await fetch('/track/stay-signed-in', {
        method: 'POST',
        body: new URLSearchParams({ csrfToken: token?.value ?? '' }),
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const answer = response.ok ? await response.json() : {};
      if (typeof answer.seconds !== 'number' || answer.seconds <= 0) return signedOut();
      countFrom(answer.seconds, answer.final === true);
      close();
    } catch {
      // No answer (offline, say): the sign-in may still end; the dialog stays open to try again.
    } finally {
      renewing = false;
    }
    return undefined;
  };

  const carryOnToTheEnd = () => {
    dismissed = true;
    close();
  };

  stay?.addEventListener('click', renew);
  carryOn?.addEventListener('click', carryOnToTheEnd);
  // Escape is "Stay signed in" (or, at the hard limit, "Continue"), never a sign-out.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (final) carryOnToTheEnd();
    else renew();
  });

  // Another page renewed the sign-in: count from its end, the warning closed if it is no longer due.
  channel?.addEventListener('message', ({ data }) => {
    if (typeof data?.endsAt !== 'number' || data.endsAt <= endsAt) return;
    endAt(data.endsAt, data.final === true);
    if (endsAt - Date.now() > WARNING_SECONDS * 1000) close();
  });

  countFrom(Number(dialog.dataset.appTimeout), 'appTimeoutFinal' in dialog.dataset);
  window.setInterval(tick, 1000);
}
