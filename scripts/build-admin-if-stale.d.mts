export declare const root: string;
export declare const adminIndex: string;
export declare function adminIsStale(): boolean;
export declare function buildAdminIfStale(say?: (line: string) => void): 'fresh' | 'built' | 'failed';
