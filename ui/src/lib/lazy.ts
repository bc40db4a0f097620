// Parts of the window that are not on the first paint (an app's page, the
// other views, the palette, the dialogs) are separate chunks, loaded the first
// time they are asked for: JavaScript that WebKit never parses, compiles or runs
// costs the web process no memory (issue 11's budget). `lazy` asks for a chunk
// once and hands every later caller the same promise; a failed load is asked
// again next time rather than remembered.

/** A loader of a module's default export that loads it once, on demand. */
export type Loader<T> = () => Promise<T>;

export function lazy<T>(load: () => Promise<{ default: T }>): Loader<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= load().then(
      (module) => module.default,
      (error: unknown) => {
        pending = null;
        throw error;
      },
    ));
}

/** What to say when a part of the window could not be loaded. */
export function loadFailure(error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return `This part of the window could not be loaded (${why}). Try again, or restart Appdesk.`;
}
