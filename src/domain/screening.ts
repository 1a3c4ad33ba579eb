/** The fraud screening's verdict, as the order keeps it. */
export interface Screening {
  readonly flagged: boolean;
  readonly reasons: readonly string[];
  /** A reviewer let the order go on: the flag no longer sends it to review. */
  readonly accepted?: boolean;
}
