/** Minor units as a reader expects them: `€19.99`, `¥1,200`. Exact: the amount goes to Intl as a decimal string, never a float. */
import { currencyFormat, minorDigits } from '../currency.js';

export function moneyText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal = `${minor < 0 ? '-' : ''}${digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs}`;
  // Intl takes a decimal string exactly (NumberFormat v3); its types still say number.
  return currencyFormat(currency).format(decimal as unknown as number);
}
