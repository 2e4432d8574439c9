// Freezes a realm so that code sharing it cannot change what other code in it sees: every object
// reachable from the global object and from the intrinsics that have no global name (the async and
// generator function constructors, the iterator prototypes) is frozen, and the legacy RegExp
// statics, which hold the last match of whoever ran a regular expression last, are removed.
//
// Frozen prototypes bring the "override mistake": in strict code, `this.name = 'MyError'` throws
// when the nearest inherited `name` is a frozen data property. For the properties ordinary code
// assigns like that, the data property becomes a getter/setter pair whose setter gives the object
// its own property instead (as SES's override taming does), so such code runs unchanged.

const LEGACY_REGEXP_STATICS = ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9', 'input', '$_', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'"];

const ERROR_CONSTRUCTORS = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];

/** Freezes everything reachable from the global object; call once, after the realm is set up. */
export function hardenRealm(): void {
  const regexp = RegExp as unknown as Record<string, unknown>;
  for (const name of LEGACY_REGEXP_STATICS) delete regexp[name];
  for (const key of ['toString', 'valueOf', 'toLocaleString', 'constructor']) allowOverride(Object.prototype, key);
  allowOverride(Function.prototype, 'toString');
  for (const E of ERROR_CONSTRUCTORS) for (const key of ['name', 'message', 'constructor', 'toString']) allowOverride(E.prototype, key);
  freezeAll([globalThis, ...hiddenIntrinsics()]);
}

/** Intrinsics reachable only through instances: freezing from the global object alone misses them. */
function hiddenIntrinsics(): unknown[] {
  const found: unknown[] = [
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(''[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]('')),
  ];
  const intl = globalThis.Intl as unknown as { Segmenter?: new () => { segment(s: string): Iterable<unknown> } };
  if (intl?.Segmenter) {
    const segments = new intl.Segmenter().segment('');
    found.push(Object.getPrototypeOf(segments), Object.getPrototypeOf(segments[Symbol.iterator]()));
  }
  return found;
}

function freezeAll(roots: unknown[]): void {
  const seen = new Set<object>();
  const todo = [...roots];
  while (todo.length > 0) {
    const v = todo.pop();
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    Object.freeze(v);
    todo.push(Object.getPrototypeOf(v));
    for (const key of Reflect.ownKeys(v)) {
      const d = Reflect.getOwnPropertyDescriptor(v, key)!;
      if ('value' in d) todo.push(d.value);
      else todo.push(d.get, d.set);
    }
  }
}

/** Turns `proto[key]` into an accessor whose setter defines the property on the assigned object. */
function allowOverride(proto: object, key: string): void {
  const d = Reflect.getOwnPropertyDescriptor(proto, key);
  if (!d || !('value' in d) || !d.configurable) return;
  const value: unknown = d.value;
  Object.defineProperty(proto, key, {
    get: function () {
      return value;
    },
    set: function (this: unknown, v: unknown) {
      if (this === proto) throw new TypeError(`Cannot assign to read only property '${key}' of a frozen built-in`);
      Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
    },
    enumerable: d.enumerable,
    configurable: false,
  });
}
