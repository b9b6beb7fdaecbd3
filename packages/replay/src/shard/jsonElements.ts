/**
 * The values of a JSON array (`[{...},{...}]`), or of JSON Lines, parsed one at a time as the
 * bytes arrive: a map run's result file may hold millions of entries (up to 5 GB, Step Functions'
 * limit per file), more than one string or one `JSON.parse` can hold. Only the element being read
 * is kept. Throws SyntaxError, naming the character offset, on text that is not such a document.
 */
export async function* jsonElements(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Depth of the elements: 1 inside a top-level array, 0 for JSON Lines (set by the first character).
  let elementDepth: number | undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = ''; // the complete parts of the element being read
  let start = -1; // where the element starts in the current chunk (-1: not in this chunk)
  let offset = 0;
  let closed = false; // the top-level array ended
  const fail = (at: number, what: string): never => {
    throw new SyntaxError(`not a JSON array or JSON Lines at character ${offset + at}: ${what}`);
  };
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (elementDepth === undefined) elementDepth = c === 0x5b ? 1 : 0;
      if (closed) fail(i, 'text after the array');
      if (depth === elementDepth && start < 0 && element === '') {
        if (c === 0x2c || (c === 0x5d && elementDepth === 1)) {
          if (c === 0x5d) {
            depth--;
            closed = true;
          }
          continue;
        }
        if (c !== 0x7b && c !== 0x5b) fail(i, 'elements must be objects or arrays');
        start = i;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth < 0) fail(i, 'unbalanced brackets');
        if (depth === elementDepth && (start >= 0 || element !== '')) {
          element += text.slice(Math.max(start, 0), i + 1);
          start = -1;
          const value = JSON.parse(element) as unknown;
          element = '';
          yield value;
        }
      }
    }
    if (start >= 0 || element !== '') {
      element += text.slice(Math.max(start, 0));
      start = -1;
    }
    offset += text.length;
  }
  decoder.decode();
  if (inString || depth !== 0 || element !== '') fail(0, 'the document ends inside a value');
}
