import type {KubeObject} from '../cluster/index.js';
import {APP_LABEL, INSTANCE_LABEL, NAME_LABEL} from '../core/labels.js';
import {usageError} from '../errors.js';
import type {AppRenderInput} from '../render/compose.js';
import {type Credentials, secretData} from './credentials.js';
import {type Engine, imageFor} from './engines.js';
import {renderHaDatabase} from './ha.js';
import {type BackupSchedule, renderBackupJob} from './schedule.js';

/** The label every object of a database carries, with the database's name. */
export const DB_LABEL = 'gshift.io/db';

/** Everything that decides a database's manifests, validated by inputs.ts. */
export interface DbRenderInput extends Pick<AppRenderInput, 'tenant' | 'env' | 'platform' | 'registry' | 'haEnvironments' | 'templateDirs'> {
  name: string;
  namespace: string;
  engine: Engine;
  version: string;
  /** The volume's size (the stack's default when undefined). */
  size?: string;
  storageClass?: string;
  credentials: Credentials;
  /** Scheduled backups: a CronJob and its volume (a ScheduledBackup with --ha). */
  backup?: BackupSchedule;
  /** A CloudNativePG Cluster instead of the StatefulSet (ha.ts). */
  ha?: boolean;
}

type Json = Record<string, any>;

/** The Secret keys the catalogue's templates use, and the CloudNativePG keys gshift's Secret has instead. */
const SECRET_KEY_OF: Record<string, string> = {'database-user': 'username', 'database-password': 'password', 'database-name': 'dbname', 'database-root-password': 'root-password'};

/** The headless Service that gives the StatefulSet's pod its stable DNS name. */
export const headlessName = (name: string) => `${name}-headless`;
/** The claim the StatefulSet makes for its one pod (volumeClaimTemplate "data", pod NAME-0). */
export const claimName = (name: string) => `data-${name}-0`;
export const podName = (name: string) => `${name}-0`;

/**
 * A database from its engine's catalogue stack: the stack renders the pod (image, probes,
 * mounts, resources, restricted Pod Security) exactly as `app create` would, and gshift makes
 * it a database: a StatefulSet whose volume comes from a volumeClaimTemplate, a headless and a
 * client Service, the credentials Secret with CloudNativePG's keys, and a NetworkPolicy.
 */
export async function renderDatabase(input: DbRenderInput): Promise<KubeObject[]> {
  const [{findStack}, {composeApp, withRegistry}] = await Promise.all([import('../render/catalogue.js'), import('../render/compose.js')]);
  const stack = await findStack(input.engine.stack, input.templateDirs ?? []);
  const declared = new Set(stack.template.parameters.map((parameter) => parameter.name));
  const {credentials} = input;
  const offered: Record<string, string | undefined> = {
    DATABASE_USER: credentials.username,
    DATABASE_PASSWORD: credentials.password,
    DATABASE_NAME: credentials.dbname,
    DATABASE_ROOT_PASSWORD: credentials.rootPassword,
  };
  const params = Object.fromEntries(Object.entries(offered).filter((entry): entry is [string, string] => entry[1] !== undefined && declared.has(entry[0])));
  const image = imageFor(input.engine, input.version, withRegistry(stack.descriptor.image, input.registry) ?? '');
  const rendered = composeApp(stack, {
    name: input.name,
    stack: stack.name,
    env: input.env,
    platform: input.platform,
    namespace: input.namespace,
    haEnvironments: input.haEnvironments,
    params,
    ...(image ? {image} : {}),
    ...(input.tenant ? {tenant: input.tenant} : {}),
    ...(input.size ? {storage: input.size} : {}),
  });
  return asDatabase(rendered.objects, input);
}

/** Pure: the stack's app objects (Secret, claim, Service, Deployment) turned into a database's. */
export function asDatabase(objects: readonly KubeObject[], input: DbRenderInput): KubeObject[] {
  const {name, namespace, engine} = input;
  const find = (kind: string) => objects.find((object) => object.kind === kind);
  const deployment = find('Deployment');
  const claim = find('PersistentVolumeClaim');
  const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === name);
  if (!deployment || !claim || !service) throw usageError(`Stack ${engine.stack} does not render a Deployment, a volume claim and a Service named after the database.`, 'restore the built-in stack, or fix the team stack that replaces it.');
  const labels = databaseLabels(deployment.metadata.labels ?? {}, name);
  if (input.ha) return renderHaDatabase(input, labels);

  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name, namespace, labels},
    type: 'Opaque',
    stringData: secretData(engine, input.credentials, `${name}.${namespace}.svc`),
  } as KubeObject;
  const headless: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: headlessName(name), namespace, labels},
    spec: {...(service.spec as Json), type: 'ClusterIP', clusterIP: 'None', publishNotReadyAddresses: true},
  };
  const client: KubeObject = {...service, metadata: {...service.metadata, labels}};
  const selector = (deployment.spec as Json).selector as {matchLabels: Record<string, string>};
  const policy: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name, namespace, labels},
    spec: {
      podSelector: {matchLabels: selector.matchLabels},
      policyTypes: ['Ingress'],
      // An empty podSelector without a namespaceSelector: pods of this namespace only.
      ingress: [{from: [{podSelector: {}}], ports: [{port: engine.port, protocol: 'TCP'}]}],
    },
  };
  const set = statefulSet(deployment, claim, input, labels);
  const backups = input.backup ? renderBackupJob({name, namespace, engine, labels, statefulSet: set, claimSpec: (set.spec as Json).volumeClaimTemplates[0].spec, backup: input.backup}) : [];
  return [secret, headless, client, policy, set, ...backups];
}

/** The recommended labels of the stack, with the database's label instead of the app's. */
function databaseLabels(stackLabels: Record<string, string>, name: string): Record<string, string> {
  const {[APP_LABEL]: _app, ...rest} = stackLabels;
  return {...rest, [DB_LABEL]: name};
}

function statefulSet(deployment: KubeObject, claim: KubeObject, input: DbRenderInput, labels: Record<string, string>): KubeObject {
  const {name, namespace} = input;
  const spec = deployment.spec as Json;
  const template = structuredClone(spec.template) as Json;
  const pod = template.spec as Json;
  template.metadata = {...template.metadata, labels: {...databaseLabels(template.metadata?.labels ?? {}, name)}};
  // The stack's claim becomes the volumeClaimTemplate: one volume per pod, kept with its identity.
  const volumes = (pod.volumes ?? []) as Json[];
  const dataVolume = volumes.find((volume) => volume.persistentVolumeClaim?.claimName === claim.metadata.name);
  if (!dataVolume) throw usageError(`Stack ${input.engine.stack} does not mount its volume claim.`, 'mount the claim in the stack template.');
  pod.volumes = volumes.filter((volume) => volume !== dataVolume);
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Json[]) {
    for (const variable of (container.env ?? []) as Json[]) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref && SECRET_KEY_OF[ref.key]) variable.valueFrom.secretKeyRef = {...ref, name, key: SECRET_KEY_OF[ref.key]};
    }
  }
  const claimSpec = structuredClone(claim.spec) as Json;
  if (input.storageClass) claimSpec.storageClassName = input.storageClass;
  const selector = spec.selector as {matchLabels: Record<string, string>};
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {name, namespace, labels},
    spec: {
      serviceName: headlessName(name),
      replicas: 1,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? 3,
      selector,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: {type: 'RollingUpdate'},
      // The data outlives the StatefulSet: `db delete` keeps the claim unless --purge-data.
      persistentVolumeClaimRetentionPolicy: {whenDeleted: 'Retain', whenScaled: 'Retain'},
      template,
      volumeClaimTemplates: [{apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: dataVolume.name, labels: {[NAME_LABEL]: labels[NAME_LABEL]!, [INSTANCE_LABEL]: name, [DB_LABEL]: name}}, spec: claimSpec}],
    },
  };
}
