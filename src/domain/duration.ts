/** Durations in workflow settings are written like `90s`, `10m`, `72h`, `6d`. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * unitSeconds[m[2] as keyof typeof unitSeconds];
}
