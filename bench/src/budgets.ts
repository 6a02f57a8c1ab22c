/**
 * Size budgets: the most bytes each package's ESM build may weigh, minified (esbuild) and gzipped
 * (level 9), with its dependencies and its SDK left out. `pnpm bench` and `pnpm bench --quick` (CI) exit
 * non-zero when a package is over its budget. Raise a budget only on purpose, in its own commit, saying
 * what the bytes buy.
 */
export const SIZE_BUDGETS: Readonly<Record<string, number>> = {
  // The goal (issue 10) is 2 KB. Core measures about 2.4 KB because it carries input validation with
  // messages that name the option, the redaction of email addresses and secrets in error messages, and
  // the retry policy with backoff and jitter: each is a user-facing guarantee, none is dead weight. The
  // budget holds it at 2.5 KB so that it cannot drift further while the 2 KB goal stays open.
  "@auth-recipes/core": 2560,
};
