/**
 * ISO 4217 currencies and their minor-unit digits, from the runtime's ICU data: the same
 * answer for the same input, so the domain stays deterministic.
 */
const known: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code) && known.has(code);

export function minorDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}
