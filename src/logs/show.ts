import type {TargetFlags} from '../core/session.js';
import type {LogSink} from './events.js';
import {followWorkloadLogs} from './follow.js';
import {readWorkloadLogs} from './read.js';
import {planLogs, type LogsRequest} from './request.js';
import {findWorkload} from './workload.js';

/**
 * `gshift logs`: checks the request, finds the workload in the session's namespace, then reads
 * (or follows, until `signal` aborts) its pods' logs into the sink.
 */
export async function showLogs(flags: TargetFlags, request: LogsRequest, sink: LogSink, options: {signal?: AbortSignal; idleMs?: number} = {}): Promise<void> {
  const plan = planLogs(request);
  const {withSession} = await import('../core/session.js');
  await withSession(flags, {readNamespace: false}, async ({cluster, target}) => {
    const workload = await findWorkload(cluster, target.namespace, plan.workload);
    if (!plan.follow) {
      await readWorkloadLogs(cluster, workload, plan, sink);
      return;
    }
    await followWorkloadLogs(cluster, workload, plan, sink, {signal: options.signal ?? new AbortController().signal, idleMs: options.idleMs});
  });
}
