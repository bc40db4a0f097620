// Tests only: a keyboard event's fields as the shortcut functions read them
// (lib/keys.ts, lib/tabs.ts), with no modifier unless `mods` sets one.
export const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
