/** The seam between indexing/search and the embedding model. Implementations live beside this file. */
export {};
//# sourceMappingURL=types.js.map