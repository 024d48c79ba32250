// The API server's audit log, so e2e tests can count the writes a command made (gshift up run
// twice must write nothing the second time) and benchmarks the requests (reads too). Logged
// at Metadata level (who, what, which object, the user agent; never a body), without the
// steady traffic of the controllers and the simulated nodes (leases, events, status), so the
// file stays small.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './layout.ts';

export type AuditFlavour = 'openshift' | 'kubernetes';

export function auditLogPath(flavour: AuditFlavour): string {
  return join(stateDir, 'audit', `${flavour}.log`);
}


const POLICY = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver'] },
    { level: 'None', userGroups: ['system:nodes', 'system:serviceaccounts'] },
    {
      level: 'None',
      resources: [
        { group: 'coordination.k8s.io', resources: ['leases'] },
        { group: '', resources: ['events', 'nodes', 'nodes/status', 'pods/status', 'pods/binding'] },
        { group: 'events.k8s.io', resources: ['events'] },
      ],
    },
    { level: 'Metadata' },
  ],
};

/** The kube-apiserver flags that turn the audit log on (the policy file is written here). */
export function auditArgs(flavour: AuditFlavour): { key: string; value: string }[] {
  mkdirSync(join(stateDir, 'audit'), { recursive: true });
  // JSON is YAML. Named by its content, so a changed policy changes the cluster's configuration (and restarts it).
  const text = JSON.stringify(POLICY, null, 2);
  const policyFile = join(stateDir, 'audit', `policy-${createHash('sha256').update(text).digest('hex').slice(0, 8)}.yaml`);
  writeFileSync(policyFile, text);
  return [
    { key: 'audit-policy-file', value: policyFile },
    { key: 'audit-log-path', value: auditLogPath(flavour) },
    { key: 'audit-log-maxsize', value: '200' },
    { key: 'audit-log-maxbackup', value: '1' },
  ];
}

export interface AuditEvent {
  auditID: string;
  /** ResponseStarted (long-running requests: watches, logs) or ResponseComplete. */
  stage: string;
  verb: string;
  userAgent?: string;
  requestURI: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  responseStatus?: { code?: number };
}

/** Where the log ends now: events after this mark are what happened since. */
export function auditMark(flavour: AuditFlavour = 'openshift'): number {
  const file = auditLogPath(flavour);
  return existsSync(file) ? statSync(file).size : 0;
}

export const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** The requests logged since the mark, one event each (a watch is logged when it starts and again when it ends). */
export function auditEventsSince(mark: number, flavour: AuditFlavour = 'openshift'): AuditEvent[] {
  const file = auditLogPath(flavour);
  if (!existsSync(file)) return [];
  const text = readFileSync(file).subarray(mark).toString('utf8');
  const seen = new Set<string>();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((event) => !seen.has(event.auditID) && seen.add(event.auditID));
}
