import {spawn} from 'node:child_process';
import {kubectl} from '../test/e2e/support/kubectl.ts';
import {routeNamespaceLogs, appendLogLines} from '../test/e2e/support/logs.ts';
import {TEST_KUBECONFIG} from '../test/e2e/support/cluster.ts';
import {waitUntil} from '../test/e2e/support/wait.ts';
const ns = 'scale-' + Date.now() % 100000;
const N = Number(process.env.N ?? 200);
await kubectl(['create', 'namespace', ns]);
const file = await routeNamespaceLogs(ns);
const labels = {'app.kubernetes.io/instance': 'web', 'gshift.io/app': 'web'};
await kubectl(['apply', '--server-side', '-f', '-'], {namespace: ns, input: JSON.stringify({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', labels}, spec: {replicas: N, selector: {matchLabels: {'app.kubernetes.io/instance': 'web'}}, template: {metadata: {labels}, spec: {containers: [{name: 'web', image: 'x/y:1'}]}}}})});
await waitUntil(async () => Number(JSON.parse(await kubectl(['get', 'deployment', 'web', '-o', 'json'], {namespace: ns})).status?.readyReplicas ?? 0) === N, {timeoutMs: 180_000});
const child = spawn(process.execPath, ['bin/run.js', 'logs', 'web', '-f', '--tail', '0', '-n', ns], {env: {...process.env, KUBECONFIG: TEST_KUBECONFIG}, stdio: ['ignore', 'pipe', 'pipe']});
let out = ''; let err = '';
child.stdout.setEncoding('utf8').on('data', (t) => (out += t));
child.stderr.setEncoding('utf8').on('data', (t) => (err += t));
for (let i = 0; i < 40; i++) {
  appendLogLines(file, [`marker-${i}`]);
  await new Promise((r) => setTimeout(r, 500));
}
const pods = new Set(out.split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
console.log('labels', pods.size, 'lines', out.split('\n').length);
const d = err.split('\n'); console.log('requests', d.filter(l => l.startsWith('DEBUG request')).length, 'connected', d.filter(l => l.startsWith('DEBUG connected')).length); console.log(d.filter(l => l.startsWith('DEBUG failed')).slice(0,5).join('\n'));
console.log(out.split('\n').filter((l) => !/marker-/.test(l)).slice(0, 10).join('\n'));
child.kill('SIGKILL');
await kubectl(['delete', 'namespace', ns, '--wait=false']);
process.exit(0);
