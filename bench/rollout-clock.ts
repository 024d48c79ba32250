// An outside observer for the app create rows (bench/cluster.ts), started as a process of its own
// so it sees the cluster while the bench waits on a run. It watches Deployments and pods in every
// namespace whose name starts with argv[2], and appends to argv[3], per namespace, when the
// Deployment first appeared and when its first pod turned ready (ms, this process's clock):
//
//   <ms> deployment <namespace>
//   <ms> ready <namespace>
//
// Between the two lies what neither tool controls (the controllers and kwok's pod start-up); the
// rest of a run is the tool's own. Plain HTTPS with the kubeconfig's client
// certificate, so the measuring code is not gshift's. Writes "watching" on stdout once both
// watches are open.
import {appendFileSync, readFileSync} from 'node:fs';
import {request, type RequestOptions} from 'node:https';

import YAML from 'yaml';

const [prefix, out] = process.argv.slice(2) as [string, string];
interface Kubeconfig {
  clusters: {cluster: {server: string; 'certificate-authority-data': string}}[];
  users: {user: {'client-certificate-data': string; 'client-key-data': string}}[];
}
const config = YAML.parse(readFileSync(process.env.KUBECONFIG!, 'utf8')) as Kubeconfig;
const decode = (text: string) => Buffer.from(text, 'base64');
const server = new URL(config.clusters[0]!.cluster.server);
const tls: RequestOptions = {
  host: server.hostname,
  port: server.port,
  ca: decode(config.clusters[0]!.cluster['certificate-authority-data']),
  cert: decode(config.users[0]!.user['client-certificate-data']),
  key: decode(config.users[0]!.user['client-key-data']),
};

interface Observed {
  metadata: {namespace?: string};
  status?: {conditions?: {type: string; status: string}[]};
}
const recorded = new Set<string>();
const record = (what: string, namespace: string) => {
  if (recorded.has(`${what} ${namespace}`)) return;
  recorded.add(`${what} ${namespace}`);
  appendFileSync(out, `${performance.now().toFixed(1)} ${what} ${namespace}\n`);
};

function watch(path: string, onObject: (object: Observed) => void): Promise<void> {
  return new Promise((opened, failed) => {
    const outgoing = request({...tls, path, method: 'GET'}, (response) => {
      if (response.statusCode !== 200) return failed(new Error(`GET ${path}: ${response.statusCode}`));
      opened();
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          if (line) onObject((JSON.parse(line) as {object: Observed}).object);
        }
      });
    });
    outgoing.on('error', failed);
    outgoing.end();
  });
}

const ours = (object: Observed) => object.metadata.namespace?.startsWith(prefix) ?? false;
await Promise.all([
  watch('/apis/apps/v1/deployments?watch=1', (deployment) => ours(deployment) && record('deployment', deployment.metadata.namespace!)),
  watch('/api/v1/pods?watch=1', (pod) => {
    if (ours(pod) && pod.status?.conditions?.some(({type, status}) => type === 'Ready' && status === 'True')) record('ready', pod.metadata.namespace!);
  }),
]);
process.stdout.write('watching\n');
