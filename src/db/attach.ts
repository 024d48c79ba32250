import type {ApplyTracker} from '../converge/engine.js';
import type {RedeployResult} from '../app/redeploy.js';
import type {Session} from '../core/session.js';
import {GshiftError} from '../errors.js';
import {type Binding, bindingValue, bindingsOf, checkPrefix} from './binding.js';
import {findEngine} from './engines.js';
import {type Attachment, type DbRecord, dbSet, requireDbRecord} from './inventory.js';

export interface AttachRequest {
  database: string;
  app: string;
  /** DATABASE when not given. */
  prefix: string;
  tooling: string;
}

export interface AttachResult {
  database: string;
  app: string;
  namespace: string;
  prefix?: string;
  /** The variables the app now has (names only). */
  variables: string[];
  changed: boolean;
  deployments: string[];
  warnings: string[];
  outcomes: import('../cluster/index.js').ApplyOutcome[];
  pruned: import('../cluster/index.js').ObjectRef[];
  kept: import('../cluster/index.js').ObjectRef[];
}

/**
 * `db attach`: the binding goes into the app's stored inputs (so every later render of the app
 * has it) and the app is rendered and applied again, the path deploy takes; the database records
 * the app too, so `db info` and `db delete` know who uses it.
 */
export async function attachDatabase(session: Session, request: AttachRequest, tracker?: ApplyTracker): Promise<AttachResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const prefix = checkPrefix(request.prefix);
  const [{requireInputs, redeploy}, {bindingVariables}] = await Promise.all([import('../app/redeploy.js'), import('./binding.js')]);
  const record = await requireDbRecord(cluster, namespace, request.database);
  const engine = findEngine(record.inputs?.engine ?? 'postgresql');
  const {stored} = await requireInputs(session, request.app);
  const taken = bindingsOf(stored.databases).find((binding) => binding.prefix === prefix && binding.database !== request.database);
  if (taken) {
    throw new GshiftError('CONFLICT', `App ${request.app} already has database ${taken.database} under the prefix ${prefix}.`, {
      hint: `pass another --prefix, or detach it first with gshift db detach ${taken.database} --app ${request.app}.`,
      details: {app: request.app, database: taken.database, prefix},
    });
  }
  const binding: Binding = {database: request.database, engine: engine.name, prefix, ...(record.inputs?.ha ? {secret: `${request.database}-app`} : {})};
  const result = await redeploy(session, request.app, {...stored, databases: {...stored.databases, [prefix]: bindingValue(binding)}}, {tooling: request.tooling, ...(tracker ? {tracker} : {})});
  const attached = [...record.attached.filter((entry) => !(entry.app === request.app && entry.prefix === prefix)), {app: request.app, prefix}];
  const recordChanged = await recordAttachments(session, record, attached, request.tooling);
  return {...bindingChange(request, namespace, result, recordChanged), prefix, variables: bindingVariables(binding).map((variable) => variable.name as string)};
}

/** `db detach`: the binding (one prefix, or all of this database's) leaves the app's inputs, and the app is applied again. */
export async function detachDatabase(session: Session, request: Omit<AttachRequest, 'prefix'> & {prefix?: string}, tracker?: ApplyTracker): Promise<AttachResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const {requireInputs, redeploy} = await import('../app/redeploy.js');
  const record = await requireDbRecord(cluster, namespace, request.database);
  const {stored} = await requireInputs(session, request.app);
  const leaving = bindingsOf(stored.databases).filter((binding) => binding.database === request.database && (!request.prefix || binding.prefix === request.prefix));
  if (leaving.length === 0) {
    throw new GshiftError('NOT_FOUND', `App ${request.app} is not attached to database ${request.database}${request.prefix ? ` under the prefix ${request.prefix}` : ''}.`, {
      hint: `gshift db info ${request.database} lists the apps attached to it.`,
      details: {app: request.app, database: request.database},
    });
  }
  const databases = Object.fromEntries(Object.entries(stored.databases ?? {}).filter(([prefix]) => !leaving.some((binding) => binding.prefix === prefix)));
  const {databases: _old, ...rest} = stored;
  const result = await redeploy(session, request.app, {...rest, ...(Object.keys(databases).length > 0 ? {databases} : {})}, {tooling: request.tooling, ...(tracker ? {tracker} : {})});
  const attached = record.attached.filter((entry) => !(entry.app === request.app && leaving.some((binding) => binding.prefix === entry.prefix)));
  const recordChanged = await recordAttachments(session, record, attached, request.tooling);
  return {...bindingChange(request, namespace, result, recordChanged), variables: []};
}

/** What attach and detach both report: the app's redeploy, and whether the database's record changed. */
function bindingChange(request: Pick<AttachRequest, 'database' | 'app'>, namespace: string, result: RedeployResult, recordChanged: boolean): Omit<AttachResult, 'prefix' | 'variables'> {
  return {
    database: request.database,
    app: request.app,
    namespace,
    changed: result.changed || recordChanged,
    deployments: result.deployments,
    warnings: result.warnings,
    outcomes: result.outcomes,
    pruned: result.pruned,
    kept: result.kept,
  };
}

/** The database's parent again, with the new list of apps: the same server-side apply as `db create`'s, so neither fights the other. */
async function recordAttachments(session: Session, record: DbRecord, attached: readonly Attachment[], tooling: string): Promise<boolean> {
  const {applysetParent, parseGroupKinds, APPLYSET_GROUP_KINDS_ANNOTATION} = await import('../converge/applyset.js');
  if (!record.inputs) return false;
  const labels = Object.fromEntries(Object.entries(record.parent.metadata.labels ?? {}).filter(([key]) => key.startsWith('gshift.io/') && key !== 'gshift.io/db'));
  const set = dbSet({name: record.name, namespace: record.namespace, tooling, labels, inputs: record.inputs, attached});
  const groupKinds = parseGroupKinds(record.parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]);
  const [outcome] = await session.cluster.apply([applysetParent(set, groupKinds)], {namespace: record.namespace});
  return outcome?.action !== 'unchanged';
}
