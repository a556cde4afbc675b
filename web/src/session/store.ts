// The autosaved session in IndexedDB: one record under one key, replaced on every save. Files
// and typed arrays are stored as they are (IndexedDB clones them), so nothing is encoded.
import type { SessionRecord } from './record.js';

const DB = 'cellscope';
const STORE = 'session';
const KEY = 'last';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available'));
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = use(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('autosave aborted'));
    });
  } finally {
    db.close();
  }
}

export function saveSession(record: SessionRecord): Promise<unknown> {
  return run('readwrite', (store) => store.put(record, KEY));
}

/** The last autosaved session, or undefined (none, or one an older app wrote). */
export async function loadSession(): Promise<SessionRecord | undefined> {
  const record = (await run('readonly', (store) => store.get(KEY))) as SessionRecord | undefined;
  return record?.version === 1 ? record : undefined;
}

export function clearSession(): Promise<unknown> {
  return run('readwrite', (store) => store.delete(KEY));
}
