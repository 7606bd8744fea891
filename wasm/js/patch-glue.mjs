// Run by scripts/wasm-build.sh on the JS glue that wasm-bindgen (pinned: =0.2.130) writes, before
// it is minified: `node wasm/js/patch-glue.mjs <hcdb_lint.js>`.
//
// Every string handed to the module (a request body's JSON text, a pointer, a config) is copied
// into wasm memory by the glue's `passStringToWasm0`. As generated, it copies ASCII one UTF-16
// unit at a time in a JS loop and calls the native `TextEncoder.encodeInto` only from the first
// non-ASCII character on. This replaces the loop with one `encodeInto` of the whole string into
// room for 3 bytes per UTF-16 unit (the most UTF-8 needs), then shrinks the allocation to what
// was written (never to zero: a non-empty string writes at least one byte). Same bytes (lone surrogates become U+FFFD either way), one native call.
//
// The generated text is matched exactly: if wasm-bindgen writes it differently, this fails the
// build rather than ship the slow copy unnoticed.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node patch-glue.mjs <hcdb_lint.js>");
  process.exit(2);
}
const src = readFileSync(file, "utf8");

const generated = `    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}`;

// An empty string keeps the generated path's result (a zero-size allocation, no realloc: the
// module's realloc takes no zero sizes).
const replacement = `    if (arg.length === 0) {
        WASM_VECTOR_LEN = 0;
        return malloc(0, 1) >>> 0;
    }
    const len = arg.length * 3;
    let ptr = malloc(len, 1) >>> 0;
    const written = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len)).written;
    ptr = realloc(ptr, len, written, 1) >>> 0;
    WASM_VECTOR_LEN = written;
    return ptr;
}`;

const at = src.indexOf(generated);
if (at < 0 || src.indexOf(generated, at + 1) >= 0) {
  console.error(
    `patch-glue: ${file}: passStringToWasm0 is not the text wasm-bindgen 0.2.130 writes ` +
      "(found " + (at < 0 ? "none" : "more than one") + "); update wasm/js/patch-glue.mjs",
  );
  process.exit(1);
}
writeFileSync(file, src.slice(0, at) + replacement + src.slice(at + generated.length));
