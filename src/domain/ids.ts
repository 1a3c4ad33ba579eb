/** Makes the ids of what a decision creates (refunds, their gateway calls, parcels): the domain makes none of its own. */
export type IdSource = () => string;
