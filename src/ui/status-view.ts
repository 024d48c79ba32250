import type {OfflineStatus, Status} from '../core/status.js';

type Field = [string, string];

/** Both parts of the status line their values up. */
export const STATUS_KEY_WIDTH = 'Namespace'.length;

/** What gshift knows without the network. */
export function offlineStatusFields(status: OfflineStatus): Field[] {
  return [
    ['Context', status.context],
    ['Server', status.server],
    ['User', status.user],
    ['Tenant', status.tenant ? `${status.tenant} (${status.tenantSource})` : '-'],
    ['Env', status.env ? `${status.env} (${status.envSource})` : '-'],
    ['Namespace', `${status.namespace} (${status.namespaceSource})`],
  ];
}

/** What the server said. */
export function onlineStatusFields(status: Status): Field[] {
  return [
    ['Version', status.serverVersion],
    ['Platform', `${status.platform} (${status.platformSource === 'config' ? 'set in config' : 'detected'})`],
  ];
}
