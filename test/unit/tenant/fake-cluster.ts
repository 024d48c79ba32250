import type {ApplyOutcome, Cluster, KubeObject, ObjectRef} from '../../../src/cluster/index.ts';
import {GshiftError} from '../../../src/errors.ts';

/**
 * An in-memory cluster for the tenant service's unit tests: apply reports created/configured/
 * unchanged by comparing content, as the real server does with resourceVersions.
 */
export interface FakeOptions {
  platform?: 'openshift' | 'kubernetes';
  /** Serve project.openshift.io and answer "may not create namespaces". */
  projectsOnly?: boolean;
  objects?: KubeObject[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Project']);

export class FakeCluster {
  readonly objects = new Map<string, KubeObject>();
  /** Every write, as "verb Kind/namespace/name". */
  readonly writes: string[] = [];
  private version = 1;

  constructor(private readonly options: FakeOptions = {}) {
    for (const object of options.objects ?? []) this.objects.set(this.key(object.kind, object.metadata.namespace, object.metadata.name!), structuredClone(object));
  }

  key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${CLUSTER_SCOPED.has(kind) ? '' : (namespace ?? '')}/${name}`;
  }

  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(this.key(kind, namespace, name));
  }

  asCluster(): Cluster {
    const self = this;
    const notImplemented = () => {
      throw new Error('not used by the tenant service');
    };
    return {
      context: 'fake',
      server: 'https://127.0.0.1:6443',
      user: 'tester',
      namespace: 'default',
      sources: [],
      serverVersion: async () => ({gitVersion: 'v1.36.3', major: '1', minor: '36'}),
      discovery: async () =>
        ({
          has: (groupVersion: string) => groupVersion === 'project.openshift.io/v1' && Boolean(self.options.projectsOnly),
          groupVersions: () => ['v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1'],
          hasKind: () => true,
          platform: () => self.options.platform ?? 'kubernetes',
        }) as never,
      apply: async (objects: KubeObject[], options?: {namespace?: string; force?: boolean}) => objects.map((object) => self.apply(object, options?.namespace)),
      get: async <T>(ref: ObjectRef) => structuredClone(self.find(ref.kind, ref.namespace, ref.name)) as T | undefined,
      list: async <T>(_apiVersion: string, kind: string, options?: {namespace?: string; labelSelector?: string}) => ({
        items: [...self.objects.values()].filter((object) => object.kind === kind && (CLUSTER_SCOPED.has(kind) || object.metadata.namespace === options?.namespace) && matches(object, options?.labelSelector)).map((object) => structuredClone(object)) as T[],
        resourceVersion: String(self.version),
      }),
      create: async <T>(object: KubeObject) => self.create(object) as T,
      createSubresource: notImplemented,
      replace: notImplemented,
      patch: notImplemented,
      delete: async (ref: ObjectRef) => {
        self.writes.push(`delete ${ref.kind}/${ref.namespace ?? ''}/${ref.name}`);
        return self.objects.delete(self.key(ref.kind, ref.namespace, ref.name));
      },
      watch: notImplemented,
      streamLogs: notImplemented,
      readLogs: notImplemented,
      request: notImplemented,
      close: async () => {},
    } as unknown as Cluster;
  }

  private apply(object: KubeObject, namespace: string | undefined): ApplyOutcome {
    const scoped = CLUSTER_SCOPED.has(object.kind) ? undefined : (object.metadata.namespace ?? namespace);
    if (this.options.projectsOnly && ['Namespace', 'ResourceQuota', 'LimitRange'].includes(object.kind)) {
      throw new GshiftError('FORBIDDEN', `You (tester) may not patch ${object.kind}.`);
    }
    const key = this.key(object.kind, scoped, object.metadata.name!);
    const before = this.objects.get(key);
    const desired = structuredClone({...object, metadata: {...object.metadata, ...(scoped ? {namespace: scoped} : {})}});
    const ref = {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!, namespace: scoped};
    const merged: KubeObject = before ? {...before, ...desired, metadata: {...before.metadata, ...desired.metadata, labels: {...before.metadata.labels, ...desired.metadata.labels}}} : desired;
    const strip = (value: KubeObject | undefined) => JSON.stringify(value, (k, v) => (k === 'resourceVersion' ? undefined : v));
    if (before && strip(before) === strip(merged)) return {ref, action: 'unchanged', object: before, warnings: []};
    merged.metadata.resourceVersion = String(++this.version);
    this.objects.set(key, merged);
    this.writes.push(`apply ${object.kind}/${scoped ?? ''}/${object.metadata.name}`);
    return {ref, action: before ? 'configured' : 'created', object: merged, warnings: []};
  }

  private create(object: KubeObject): KubeObject {
    if (object.kind === 'SelfSubjectAccessReview') return {...object, status: {allowed: !this.options.projectsOnly}};
    this.writes.push(`create ${object.kind}/${object.metadata.name}`);
    if (object.kind === 'ProjectRequest') {
      const namespace = {apiVersion: 'v1', kind: 'Namespace', metadata: {name: object.metadata.name, annotations: {'openshift.io/requester': 'tester'}}};
      this.objects.set(this.key('Namespace', undefined, object.metadata.name!), namespace);
      return object;
    }
    this.objects.set(this.key(object.kind, object.metadata.namespace, object.metadata.name!), object);
    return object;
  }
}

function matches(object: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = object.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return value === undefined ? key! in labels : labels[key!] === value;
  });
}
