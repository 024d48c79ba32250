/**
 * Kubernetes resource quantities (500m, 16Gi, 1.5, 2e3), parsed exactly: values are held as
 * BigInt nano-units, the API server's own precision, so comparing a quota with its use never
 * suffers from floating-point rounding.
 */
export interface Quantity {
  /** The value × 10⁹. */
  nanos: bigint;
  /** How the server would print it: binary (Ki, Mi, …) or decimal (m, k, M, …). */
  format: 'binary' | 'decimal';
}

const NUMBER = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/;
const BINARY: Record<string, number> = {Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6};
const DECIMAL: Record<string, number> = {n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18};
const NANO = 10n ** 9n;

/** undefined when the text is not a quantity the API server would accept. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = NUMBER.exec(text.trim());
  if (!match || text.trim() !== text || text === '') return undefined;
  const [, number, suffix] = match as unknown as [string, string, string];
  const negative = number.startsWith('-');
  const [whole = '', fraction = ''] = number.replace(/^[+-]/, '').split('.');
  let decimalExponent: number;
  let binaryExponent = 0;
  let format: Quantity['format'] = 'decimal';
  if (suffix in BINARY) {
    binaryExponent = BINARY[suffix]! * 10;
    decimalExponent = 0;
    format = 'binary';
  } else if (suffix in DECIMAL) {
    decimalExponent = DECIMAL[suffix]!;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    decimalExponent = Number(suffix.slice(1));
    if (Math.abs(decimalExponent) > 30) return undefined;
  } else {
    return undefined;
  }
  // digits × 10^(exponent − fraction length) × 2^binary, scaled to nanos; below a nano rounds up as the server does.
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = decimalExponent - fraction.length + 9;
  let nanos = scale >= 0 ? digits * 10n ** BigInt(scale) : ceilDivide(digits, 10n ** BigInt(-scale));
  nanos *= 2n ** BigInt(binaryExponent);
  return {nanos: negative ? -nanos : nanos, format};
}

function ceilDivide(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** The server's canonical spelling: the largest suffix that keeps the number whole (1500m, 16Gi, 2). */
export function formatQuantity(quantity: Quantity): string {
  const {nanos} = quantity;
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  if (magnitude === 0n) return '0';
  if (quantity.format === 'binary' && magnitude % NANO === 0n) {
    const units = magnitude / NANO;
    for (const [suffix, power] of Object.entries(BINARY).reverse()) {
      const base = 2n ** BigInt(power * 10);
      if (units % base === 0n) return `${sign}${units / base}${suffix}`;
    }
    return `${sign}${units}`;
  }
  for (const [suffix, exponent] of Object.entries(DECIMAL).sort(([, a], [, b]) => b - a)) {
    const base = 10n ** BigInt(exponent + 9);
    if (magnitude % base === 0n) return `${sign}${magnitude / base}${suffix}`;
  }
  return `${sign}${magnitude}n`;
}

export function scaleQuantity(quantity: Quantity, factor: bigint): Quantity {
  return {nanos: quantity.nanos * factor, format: quantity.format};
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

export function addQuantities(values: Quantity[], format: Quantity['format']): Quantity {
  return {nanos: values.reduce((sum, value) => sum + value.nanos, 0n), format};
}

/** used/hard as a fraction, 0 when nothing is allowed. */
export function fractionUsed(used: Quantity, hard: Quantity): number {
  if (hard.nanos <= 0n) return used.nanos > 0n ? 1 : 0;
  return Number((used.nanos * 10_000n) / hard.nanos) / 10_000;
}

/** CPU in whole millicores (rounded), as `kubectl top` prints it. */
export function toMillicores(quantity: Quantity): number {
  return Number((quantity.nanos + 500_000n) / 1_000_000n);
}

/** Memory in whole mebibytes (rounded), as `kubectl top` prints it. */
export function toMebibytes(quantity: Quantity): number {
  const bytes = quantity.nanos / NANO;
  return Number((bytes + 512n * 1024n) / (1024n * 1024n));
}

/** The sum of quantities given as text; text that is not a quantity counts as 0. */
export function sumQuantityTexts(texts: readonly string[]): Quantity {
  const parsed = texts.map((text) => parseQuantity(text) ?? {nanos: 0n, format: 'decimal' as const});
  return addQuantities(parsed, parsed[0]?.format ?? 'decimal');
}
