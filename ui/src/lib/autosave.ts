// Saves a draft as it is typed: the latest value wins, saves never overlap (so
// they reach the database in order), and a burst of keystrokes is one save.

export interface Autosave<T> {
  /** Queue `value`; it is saved after `delay` ms without a newer one. */
  push(value: T): void;
  /** Save what is queued now; resolves when everything queued is saved. */
  flush(): Promise<void>;
  /** True while a value is queued or being saved. */
  busy(): boolean;
}

export function autosave<T>(
  save: (value: T) => Promise<void>,
  delay: number,
  onError: (e: unknown) => void = () => {},
  onIdle: () => void = () => {},
): Autosave<T> {
  let queued: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (queued) {
      const { value } = queued;
      queued = null;
      try {
        await save(value);
      } catch (e) {
        onError(e);
      }
    }
  }

  function start(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!running) {
      running = drain().finally(() => {
        running = null;
        if (!queued && !timer) onIdle();
      });
    }
    return running;
  }

  return {
    push(value) {
      queued = { value };
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void start(), delay);
    },
    async flush() {
      // A save in progress may be followed by one queued meanwhile.
      while (queued || running) await start();
    },
    busy: () => queued !== null || running !== null,
  };
}
