// Lambda's Node.js runtime carries the AWS SDK for JavaScript v3 and the bundles leave it out
// (infra/bundling.ts), importing it by name. Here the project's copy stands in for the runtime's: a
// bundle's `@aws-sdk/*` imports resolve from this project's node_modules wherever the bundle sits (a
// cloud assembly under /tmp has no node_modules above it), as they resolve to the runtime's in AWS.
import { registerHooks } from 'node:module';

// What infra/bundling.ts leaves to the runtime (its RUNTIME_PROVIDED), not imported from there so that
// a sandbox does not load esbuild.
const RUNTIME_PROVIDED = /^@aws-sdk\//;

/** Applies to modules imported afterwards on this thread (a worker thread registers its own). */
export function provideRuntimeSdk(): void {
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      nextResolve(
        specifier,
        RUNTIME_PROVIDED.test(specifier) ? { ...context, parentURL: import.meta.url } : context,
      ),
  });
}
