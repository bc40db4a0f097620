import { describe, expect, it } from 'vitest';
import {
  confirmDisable,
  confirmRegenerate,
  confirmRemoveTenant,
  confirmRetirePrevious,
  confirmUpgradeAll,
} from './confirm';

const run = () => {};
const prod = { tenantId: '5678', environment: 'production' as const };
const integ = { tenantId: '5678', environment: 'integration' as const };
const other = { tenantId: '1234', environment: 'production' as const };

describe('confirmations say what ends', () => {
  it('Disable names the connection and that its credentials stop working', () => {
    const c = confirmDisable(prod, run);
    expect(c.action).toBe('Disable');
    expect(c.message).toContain('tenant 5678 in Production');
    expect(c.message).toContain('stops working');
  });

  it('Regenerate says the old secret stops working', () => {
    const c = confirmRegenerate(integ, run);
    expect(c.message).toContain('tenant 5678 in Integration');
    expect(c.message).toContain('the old secret stops working');
  });

  it("removing a tenant lists only that tenant's connections, which end", () => {
    const c = confirmRemoveTenant('5678', [prod, other, integ], run);
    expect(c.title).toBe('Remove tenant 5678?');
    expect(c.message).toContain('2 connections (Production, Integration) end');
    const one = confirmRemoveTenant('1234', [prod, other], run);
    expect(one.message).toContain('connection (Production) ends');
    expect(confirmRemoveTenant('9', [prod], run).message).toContain('no connection');
  });

  it('keeps the action to run on confirming', () => {
    let ran = 0;
    void confirmDisable(prod, () => void ran++).run();
    expect(ran).toBe(1);
  });
});

describe('lifecycle confirmations', () => {
  it('Retire previous says the previous secret stops working and the current stays', () => {
    const c = confirmRetirePrevious(prod, run);
    expect(c.action).toBe('Retire previous');
    expect(c.message).toContain('previous client secret of tenant 5678 in Production stops working');
    expect(c.message).toContain('current one stays');
  });

  it('Upgrade all behind lists every connection it moves with its versions', () => {
    const c = confirmUpgradeAll(
      [
        { ...prod, version: 1, latestVersion: 3 },
        { ...other, version: 2, latestVersion: 3 },
      ],
      run,
    );
    expect(c.title).toBe('Upgrade 2 connections behind?');
    expect(c.items).toEqual([
      'tenant 5678 in Production: version 1 to 3',
      'tenant 1234 in Production: version 2 to 3',
    ]);
  });
});
