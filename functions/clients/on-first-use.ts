// A client a function rarely needs, loaded when first asked for rather than with the function: each
// AWS SDK client the function imports at its top is loaded, file by file, at every cold start.

/** Runs `load` once, when first asked for (and again after it failed), and gives its result after. */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (loaded === undefined) {
      loaded = load();
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  };
}
