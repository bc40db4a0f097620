import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL_ACTIONS } from './actions';
import { api, ApiError } from './api';
import { extras, forgetExtras, loadExtras } from './extras.svelte';
import type { Catalog } from './types';

const catalog: Catalog = { modules: [{ id: 'crm', displayName: 'CRM', scopes: [] }] };
const original = { catalog: api.catalog, actionNames: api.actionNames };

afterEach(() => {
  api.catalog = original.catalog;
  api.actionNames = original.actionNames;
  forgetExtras();
});

describe('what the app page reads once', () => {
  it('reads the catalog and the action names once per sign-in', async () => {
    let reads = 0;
    api.catalog = async () => (reads++, catalog);
    api.actionNames = async () => ['upgrade', 'rotate'];
    await loadExtras(true);
    await loadExtras(true);
    expect(reads).toBe(1);
    expect(extras.catalog).toEqual(catalog);
    expect(extras.actions).toEqual(['upgrade', 'rotate']);
  });
  it('asks a developer for no action names', async () => {
    let asked = false;
    api.catalog = async () => catalog;
    api.actionNames = async () => ((asked = true), []);
    await loadExtras(false);
    expect(asked).toBe(false);
    expect(extras.actions).toEqual(DEFAULT_PORTAL_ACTIONS);
  });
  it('asks again after a failure, and forgets everything at sign-out', async () => {
    let reads = 0;
    api.catalog = async () => {
      reads++;
      if (reads === 1) throw new ApiError(500, 'internal', 'the portal failed');
      return catalog;
    };
    api.actionNames = async () => ['upgrade'];
    await loadExtras(true);
    expect(extras.catalog).toBeNull();
    await loadExtras(true);
    expect(extras.catalog).toEqual(catalog);
    forgetExtras();
    expect([extras.catalog, extras.actions]).toEqual([null, DEFAULT_PORTAL_ACTIONS]);
  });
});
