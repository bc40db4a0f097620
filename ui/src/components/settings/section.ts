// What every Settings section receives. A section is one component taking
// these props; SettingsView lists them, so a new section is a one-line
// addition there.
import type { Component } from 'svelte';
import type { Settings } from '../../bindings/Settings';

export interface SectionProps {
  /** What the shell reports (null while loading or if it failed). */
  settings: Settings | null;
  /** The section changed the database: views reload. */
  onchanged: () => void;
  /** The section changed a setting: read the settings again. */
  onsettings: (s: Settings) => void;
}

export type Section = Component<SectionProps>;
