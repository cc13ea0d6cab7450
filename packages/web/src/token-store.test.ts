import { describe, expect, test } from "vitest";
import { STREAM_TOKEN_KEY, TokenStore, TRIGGER_TOKEN_KEY } from "./token-store.ts";

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length(): number {
      return items.size;
    },
    clear: (): void => items.clear(),
    getItem: (key: string): string | null => items.get(key) ?? null,
    key: (index: number): string | null => [...items.keys()][index] ?? null,
    removeItem: (key: string): void => {
      items.delete(key);
    },
    setItem: (key: string, value: string): void => {
      items.set(key, value);
    },
  };
}

function throwingStorage(): Storage {
  const fail = (): never => {
    throw new DOMException("blocked", "SecurityError");
  };
  return { length: 0, clear: fail, getItem: fail, key: fail, removeItem: fail, setItem: fail };
}

describe("TokenStore", () => {
  test("keeps the token in storage so a reload of the tab finds it", () => {
    const storage = memoryStorage();
    new TokenStore(storage).set("abc");
    expect(new TokenStore(storage).get()).toBe("abc");
  });

  test("forgets the token when set to empty", () => {
    const storage = memoryStorage();
    const tokens = new TokenStore(storage);
    tokens.set("abc");
    tokens.set("");
    expect(storage.length).toBe(0);
    expect(tokens.get()).toBe("");
  });

  test("keeps the token in memory when storage is blocked or missing", () => {
    const blocked = new TokenStore(throwingStorage());
    blocked.set("abc");
    expect(blocked.get()).toBe("abc");
    const none = new TokenStore();
    none.set("xyz");
    expect(none.get()).toBe("xyz");
  });

  test("keeps the Token field's token under its own key, apart from the trigger token", () => {
    const storage = memoryStorage();
    new TokenStore(storage).set("trigger");
    new TokenStore(storage, STREAM_TOKEN_KEY).set("jwt");
    expect(storage.getItem(TRIGGER_TOKEN_KEY)).toBe("trigger");
    expect(storage.getItem(STREAM_TOKEN_KEY)).toBe("jwt");
    expect(new TokenStore(storage, STREAM_TOKEN_KEY).get()).toBe("jwt");
  });
});
