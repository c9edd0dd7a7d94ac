import { describe, expect, it } from 'vitest';
import { duplicateTopLevelKeys } from './json-duplicates.js';

describe('duplicateTopLevelKeys', () => {
  it('names each top-level key given more than once, and no other', () => {
    expect(duplicateTopLevelKeys('{"a":1,"b":{"a":2,"a":3},"a":4, "c" : [ {"b":1} ], "b" :5,"a":6}').sort()).toEqual(['a', 'b']);
    expect(duplicateTopLevelKeys('{"a":{"x":1},"b":[{"x":1},{"x":2}]}')).toEqual([]);
  });

  it('is not fooled by brackets, colons, quotes and escapes inside strings', () => {
    const text = String.raw`{"a":"}{\":","b\"":"[","a\\":"x","b\"" :1,"\u0061":2}`;
    expect(JSON.parse(text)).toBeTypeOf('object');
    // "b\"" twice, and "\u0061" is "a" a second time; "a\\" is its own key.
    expect(duplicateTopLevelKeys(text).sort()).toEqual(['a', 'b"']);
  });
});
