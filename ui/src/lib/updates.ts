// The Updates part of Settings: typed calls to the shell's update commands and
// the few words the section shows. Types are generated from the Rust side.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { DownloadProgress } from '../bindings/DownloadProgress';
import type { InstallOutcome } from '../bindings/InstallOutcome';
import type { UpdateCheck } from '../bindings/UpdateCheck';
import type { UpdateSettings } from '../bindings/UpdateSettings';
import { ApiError, toErrorBody } from './api';
import { watchChannel } from './channel';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new ApiError(toErrorBody(e));
  }
}

export const updates = {
  settings: () => call<UpdateSettings>('update_settings'),
  setCheckAtStart: (on: boolean) => call<boolean>('set_update_check_at_start', { on }),
  check: () => call<UpdateCheck>('check_for_update'),
  install: (onprogress: (p: DownloadProgress) => void) => {
    const progress = new Channel<DownloadProgress>();
    progress.onmessage = onprogress;
    return call<InstallOutcome>('install_update', { progress });
  },
  restart: () => call<void>('restart_app'),
  /**
   * Calls `onoutcome` with each check's outcome, the last one first (the
   * start-up check's); returns a function that stops listening.
   */
  watch: (onoutcome: (c: UpdateCheck) => void): (() => void) =>
    watchChannel<UpdateCheck>('watch_updates', onoutcome),
};

/** The version a check found to install, or null (up to date, or it failed). */
export function availableVersion(c: UpdateCheck | null): string | null {
  return c?.status === 'available' ? c.version : null;
}

/** Whole percent of a download, or null while its size is unknown. */
export function percent(p: DownloadProgress | null): number | null {
  if (!p || p.total === null || p.total === 0) return null;
  return Math.min(100, Math.floor((p.received * 100) / p.total));
}

/** "1.2 MB of 6.9 MB", for the progress bar's text. */
export function progressText(p: DownloadProgress): string {
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return p.total === null ? `${mb(p.received)} received` : `${mb(p.received)} of ${mb(p.total)}`;
}

/** The one line a check ends with. */
export function checkText(c: UpdateCheck): string {
  switch (c.status) {
    case 'upToDate':
      return `Appdesk ${c.current} is up to date.`;
    case 'available':
      return `Appdesk ${c.version} is available (you have ${c.current}).`;
    case 'unreachable':
    case 'refused':
      return c.message;
  }
}

/** A release date as the day it was published, or '' when absent or unreadable. */
export function releaseDay(date: string | null): string {
  if (!date) return '';
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}
