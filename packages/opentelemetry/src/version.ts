// Written by scripts/write-version.mjs from package.json: do not edit.
/** This package's version, as published. */
export const VERSION = "0.0.0";
