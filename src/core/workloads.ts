/** Kinds that start pods: applied after what comes before them (the Secret, ConfigMap or ServiceAccount a pod needs at its start). */
const POD_STARTERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'DeploymentConfig']);

/** Whether objects of this kind start pods: a workload. */
export const startsPods = (kind: string) => POD_STARTERS.has(kind);
