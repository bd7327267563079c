// Reading the app's IndexedDB straight from the page, as a test checks what is really stored.
import type { Page } from "@playwright/test";

// Records as the app stored them; each test reads the fields it checks.
export type StoredRecord = Record<string, any>;

/** Every record of each of `stores` in the app's database, read in one transaction. */
export function storedRecords<Name extends string>(page: Page, stores: Name[]): Promise<Record<Name, StoredRecord[]>> {
  return page.evaluate(
    (stores) =>
      new Promise<Record<string, StoredRecord[]>>((resolve, reject) => {
        const open = indexedDB.open("spor");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction(stores);
          const all = (name: string) =>
            new Promise<StoredRecord[]>((done, fail) => {
              const request = transaction.objectStore(name).getAll();
              request.onsuccess = () => done(request.result);
              request.onerror = () => fail(request.error);
            });
          Promise.all(stores.map(all)).then((lists) => {
            open.result.close();
            resolve(Object.fromEntries(stores.map((name, index) => [name, lists[index]])));
          }, reject);
        };
      }),
    stores,
  ) as Promise<Record<Name, StoredRecord[]>>;
}
