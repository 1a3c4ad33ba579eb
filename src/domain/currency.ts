/**
 * ISO 4217 currencies and their minor-unit digits, from the runtime's ICU data: the same
 * answer for the same input, so the domain stays deterministic.
 */
const known: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code) && known.has(code);

/**
 * A currency's formatter, made once: building an Intl.NumberFormat costs about a hundred
 * microseconds, and every order's totals and every message ask again.
 */
const formatters = new Map<string, Intl.NumberFormat>();

export function currencyFormat(code: string): Intl.NumberFormat {
  let format = formatters.get(code);
  if (!format) formatters.set(code, (format = new Intl.NumberFormat('en', { style: 'currency', currency: code })));
  return format;
}

const digits = new Map<string, number>();

export function minorDigits(code: string): number {
  let n = digits.get(code);
  if (n === undefined) digits.set(code, (n = currencyFormat(code).resolvedOptions().maximumFractionDigits ?? 2));
  return n;
}
