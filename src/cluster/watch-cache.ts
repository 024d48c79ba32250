import type {KubeObject, WatchEventType} from './index.js';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

const keyOf = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

/**
 * The objects a watch has reported, so that a re-list (after 410 Gone, when the watch cannot
 * resume) can be turned into the events the consumer missed. Pure: no I/O.
 */
export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();

  get size(): number {
    return this.objects.size;
  }

  /** Records one watch event. */
  record(event: WatchEvent): void {
    if (event.type === 'DELETED') this.objects.delete(keyOf(event.object));
    else this.objects.set(keyOf(event.object), event.object);
  }

  /**
   * The events that turn what was reported into `items` (a fresh list): DELETED for objects
   * that are gone, ADDED for new ones, MODIFIED for those whose resourceVersion moved. An
   * object deleted and recreated under the same name (new uid) is reported as DELETED then
   * ADDED. Records the events too.
   */
  reconcile(items: KubeObject[]): WatchEvent[] {
    const events: WatchEvent[] = [];
    const listed = new Map(items.map((item) => [keyOf(item), item]));
    for (const [key, known] of this.objects) {
      const current = listed.get(key);
      if (!current || (known.metadata.uid && current.metadata.uid && known.metadata.uid !== current.metadata.uid)) {
        events.push({type: 'DELETED', object: known});
      }
    }
    for (const [key, item] of listed) {
      const known = this.objects.get(key);
      const replaced = known && known.metadata.uid && item.metadata.uid && known.metadata.uid !== item.metadata.uid;
      if (!known || replaced) events.push({type: 'ADDED', object: item});
      else if (known.metadata.resourceVersion !== item.metadata.resourceVersion) events.push({type: 'MODIFIED', object: item});
    }
    for (const event of events) this.record(event);
    return events;
  }
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.max(attempt - 1, 0), 30_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
