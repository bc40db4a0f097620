import { describe, expect, it } from 'vitest';
import { mask } from './secret';

describe('masking a secret', () => {
  it('shows none of its characters', () => {
    const secret = 'cs_AbC123xyz';
    const masked = mask(secret);
    for (const ch of secret) expect(masked).not.toContain(ch);
    expect(masked).toBe('•'.repeat(secret.length));
  });
  it('does not give away the length of a short or long secret', () => {
    expect(mask('ab')).toBe('•'.repeat(8));
    expect(mask('x'.repeat(100))).toBe('•'.repeat(40));
  });
});
