import type {OfflineStatus, Status} from '../core/status.js';

type Field = [string, string];

/** Both parts of the status line their values up. */
export const statusKeyWidth = (wide: boolean) => (wide ? 'Kubeconfig' : 'Namespace').length;

/** What gshift knows without the network. */
export function offlineStatusFields(status: OfflineStatus, options: {wide?: boolean} = {}): Field[] {
  return [
    ['Context', status.context],
    ...(options.wide ? ([['Kubeconfig', status.kubeconfig.join(', ')]] as Field[]) : []),
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
