/** 32-bit FNV-1a of a string's UTF-16 code units: a fast, stable, non-cryptographic hash (deterministic picks, fake vectors). */
export function fnv1a(s, seed = 0x811c9dc5) {
    let h = seed;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
}
//# sourceMappingURL=hash.js.map