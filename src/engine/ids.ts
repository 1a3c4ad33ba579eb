import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDs (v7): ids sort by creation, which keeps indexes compact and lists pageable by id. */
export type IdGenerator = () => string;

export const newId: IdGenerator = uuidv7;

/** Whether `s` is a UUID in its text form (what every id of Ordo's is): anything else names nothing. */
export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
