// Test files share worker processes (isolate: false), not module state: before each file,
// vitest forgets the project's modules, so a module that reads the environment when it loads (a
// handler's settings, Powertools' service name) loads afresh for the file that set that environment.
import { vi } from 'vitest';

vi.resetModules();
