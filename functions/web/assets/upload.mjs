// Several files at once. Without this script the upload form sends one file straight to storage with its
// presigned fields (and the page offers another). With it, the file input takes several: the page gives a
// presigned POST for each (the form's data-app-uploads address), and each file goes straight to storage,
// each with its own progress and result. Once every file is sent the page is loaded again to list them.
const form = document.querySelector('form[data-app-uploads]');
const input = form?.querySelector('input[type="file"]');
if (form instanceof HTMLFormElement && input instanceof HTMLInputElement) {
  input.multiple = true;
  const results = document.createElement('ul');
  results.className = 'govuk-list app-upload-results';
  results.setAttribute('aria-live', 'polite');
  form.after(results);
  form.addEventListener('submit', (event) => {
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    sendAll(form, files, results);
  });
}

/** At most this many files a request, as the service takes them. */
const PER_REQUEST = 10;

async function sendAll(form, files, results) {
  const button = form.querySelector('button');
  if (button) button.disabled = true;
  results.replaceChildren();
  const rows = files.map((file) => resultRow(results, file.name));
  const sent = [];
  for (let start = 0; start < files.length; start += PER_REQUEST) {
    const batch = files.slice(start, start + PER_REQUEST);
    const batchRows = rows.slice(start, start + PER_REQUEST);
    const uploads = await grant(form, batch, batchRows);
    if (uploads) {
      sent.push(
        ...(await Promise.all(batch.map((file, index) => send(uploads[index], file, batchRows[index])))),
      );
    }
  }
  if (sent.length === files.length && sent.every(Boolean)) window.location.reload();
  else if (button) button.disabled = false;
}

/** One line of the results: the file's name, a progress bar, then what became of it. */
function resultRow(list, name) {
  const item = document.createElement('li');
  const label = document.createElement('span');
  label.textContent = `${name}: `;
  const state = document.createElement('span');
  state.textContent = 'waiting';
  const progress = document.createElement('progress');
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute('aria-label', `Sending ${name}`);
  item.append(label, state, ' ', progress);
  list.append(item);
  return {
    progress: (percent) => {
      state.textContent = 'sending';
      progress.value = percent;
    },
    done: (text, ok) => {
      state.textContent = text;
      state.className = ok ? '' : 'govuk-error-message';
      progress.remove();
    },
  };
}

/** Asks the page for a presigned POST per file; undefined (each row saying why) when none is given. */
async function grant(form, files, rows) {
  const body = new URLSearchParams({ csrfToken: form.dataset.csrfToken ?? '', key: crypto.randomUUID() });
  for (const file of files) {
    body.append('name', file.name);
    body.append('type', file.type);
    body.append('size', String(file.size));
  }
  let answer;
  try {
    const response = await fetch(form.dataset.appUploads ?? '', {
      method: 'POST',
      body,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    answer = response.headers.get('content-type')?.includes('json') ? await response.json() : {};
  } catch {
    answer = {};
  }
  if (Array.isArray(answer.uploads)) return answer.uploads;
  const problems = new Map((answer.issues ?? []).map((issue) => [issue.path, issue.message]));
  rows.forEach((row, index) => {
    const own = problems.get(`files.${index}`);
    const text =
      own ?? (problems.size > 0 ? 'not sent, because of the other files chosen with it' : answer.message);
    row.done(`not sent: ${text ?? 'try again, or reload the page'}`, false);
  });
  return undefined;
}

/** Sends one file straight to storage with its presigned fields: true once storage has it. */
function send(upload, file, row) {
  return new Promise((resolve) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) data.append(name, value);
    data.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', upload.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) row.progress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener('load', () => {
      const ok = request.status >= 200 && request.status < 300;
      const message = /<Message>([^<]*)<\/Message>/.exec(request.responseText ?? '')?.[1];
      row.done(ok ? 'sent, and being checked' : `not sent: ${message ?? 'storage refused it'}`, ok);
      resolve(ok);
    });
    request.addEventListener('error', () => {
      row.done('not sent: the connection failed, try again', false);
      resolve(false);
    });
    request.send(data);
  });
}
