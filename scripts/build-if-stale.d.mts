/** See build-if-stale.mjs. */
export declare const root: string;
export declare const entry: string;
export declare const bundle: string;
export declare function buildIfStale(say?: (line: string) => void): boolean;
export declare function startEntry(): string;
