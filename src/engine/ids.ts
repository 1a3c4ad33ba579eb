import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDs (v7): ids sort by creation, which keeps indexes compact and lists pageable by id. */
export type IdGenerator = () => string;

export const newId: IdGenerator = uuidv7;
