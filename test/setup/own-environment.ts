// Files that share a worker process (isolate: false) must not see each other's settings: whatever a
// file sets in process.env (the tables, endpoints and credentials its handlers read) is put back as it
// was before the file once the file ends.
import { afterAll } from 'vitest';

const before = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in before)) delete process.env[name];
  Object.assign(process.env, before);
});
