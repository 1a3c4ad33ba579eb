/** The few icons the admin uses, inline: no icon package. Decorative unless given a label. */
import type { SVGProps } from 'react';

const Svg = ({ children, label, ...props }: SVGProps<SVGSVGElement> & { label?: string }) => (
  <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round"
    role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true} {...props}>
    {children}
  </svg>
);

export const IconOrders = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="M6 2h9l5 5v15H6z" /><path d="M14 2v6h6M9 13h8M9 17h6" /></Svg>;
export const IconFlow = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><rect x="3" y="3" width="6" height="6" rx="1" /><rect x="15" y="15" width="6" height="6" rx="1" /><path d="M9 6h4a2 2 0 0 1 2 2v7" /></Svg>;
export const IconBox = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="M21 8 12 3 3 8v8l9 5 9-5z" /><path d="m3 8 9 5 9-5M12 13v8" /></Svg>;
export const IconKey = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><circle cx="7.5" cy="15.5" r="4.5" /><path d="m10.7 12.3 9.3-9.3M16 7l3 3M14 9l2 2" /></Svg>;
export const IconSearch = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" /></Svg>;
export const IconCopy = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><rect x="9" y="9" width="12" height="12" rx="2" /><path d="M5 15V5a2 2 0 0 1 2-2h10" /></Svg>;
export const IconAlert = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="M12 3 2 21h20z" /><path d="M12 10v5M12 18h.01" /></Svg>;
export const IconChevron = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="m9 6 6 6-6 6" /></Svg>;
export const IconClock = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" /></Svg>;
export const IconLogout = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="M15 4h4v16h-4M10 17l5-5-5-5M15 12H3" /></Svg>;
export const IconMenu = (p: SVGProps<SVGSVGElement>) => <Svg {...p}><path d="M4 6h16M4 12h16M4 18h16" /></Svg>;
