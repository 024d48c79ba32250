import {describe, expect, it} from '@jest/globals';

import {compareQuantities, formatQuantity, fractionUsed, parseQuantity, scaleQuantity} from '../../../src/core/quantity.ts';

const nanos = (text: string) => parseQuantity(text)?.nanos;

describe('Kubernetes quantities', () => {
  it('parses cores, millicores and exponents exactly', () => {
    expect(nanos('8')).toBe(8_000_000_000n);
    expect(nanos('500m')).toBe(500_000_000n);
    expect(nanos('1.5')).toBe(1_500_000_000n);
    expect(nanos('2e3')).toBe(2_000n * 10n ** 9n);
    expect(nanos('.5')).toBe(500_000_000n);
  });

  it('parses binary and decimal byte suffixes', () => {
    expect(nanos('16Gi')).toBe(16n * 2n ** 30n * 10n ** 9n);
    expect(nanos('1G')).toBe(10n ** 18n);
    expect(nanos('128Mi')).toBe(128n * 2n ** 20n * 10n ** 9n);
  });

  it('rejects what the API server would reject', () => {
    for (const text of ['lots', '', '8 ', '16GB', '1.2.3', 'Gi', '5x', '--1']) expect(parseQuantity(text)).toBeUndefined();
  });

  it('prints the canonical form the API server stores, so re-applying changes nothing', () => {
    const format = (text: string) => formatQuantity(parseQuantity(text)!);
    expect(format('1000m')).toBe('1');
    expect(format('1500m')).toBe('1500m');
    expect(format('0.5')).toBe('500m');
    expect(format('16Gi')).toBe('16Gi');
    expect(format('1024Mi')).toBe('1Gi');
    expect(format('1000M')).toBe('1G');
    expect(format('50')).toBe('50');
    expect(format('0')).toBe('0');
  });

  it('doubles requests into limits without changing the unit family', () => {
    expect(formatQuantity(scaleQuantity(parseQuantity('500m')!, 2n))).toBe('1');
    expect(formatQuantity(scaleQuantity(parseQuantity('16Gi')!, 2n))).toBe('32Gi');
  });

  it('compares across spellings and computes the used fraction', () => {
    expect(compareQuantities(parseQuantity('1')!, parseQuantity('1000m')!)).toBe(0);
    expect(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1G')!)).toBe(1);
    expect(fractionUsed(parseQuantity('500m')!, parseQuantity('2')!)).toBe(0.25);
    expect(fractionUsed(parseQuantity('1')!, parseQuantity('0')!)).toBe(1);
  });
});
