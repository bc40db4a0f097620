// Shows changes made elsewhere (the CLI, another window) without a restart: poll
// the store's change token and call `onChange` when it moves.

export function watchChanges(
  token: () => Promise<number>,
  onChange: () => void,
  intervalMs = 1000,
): () => void {
  let last: number | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = async () => {
    try {
      const t = await token();
      if (last !== null && t !== last) onChange();
      last = t;
    } catch {
      // The store may be unavailable (it failed to open); keep quiet and retry.
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
