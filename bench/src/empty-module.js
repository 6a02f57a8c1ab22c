// A module with nothing in it: the import-time probe loads it first to warm up the ESM loader.
export {};
